"""The read-only API for the Department's systems (/api/v1): flask-smorest generates its OpenAPI description
from the resources' code; tokens, their pages and commands are here too. See README-resources.md."""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_smorest import Api

from incubator.api.framework import API_PREFIX, PROBLEM_MIMETYPE, http_problem, install, server_problem
from incubator.api.schemas import ProblemSchema

# The resource modules of incubator/api/resources, each with its ``blp``: add a new one here.
RESOURCES = ["incubators", "targets", "register", "rounds", "cohorts", "mentoring", "reports", "answers",
             "catalogue"]


class ReadOnlyApi(Api):
    """flask-smorest's Api, but errors stay the site's business: its handler of every HTTPException (JSON for
    the whole site) is not registered; /api/v1 answers problem+json through incubator.errors' hook."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> Api:
    from incubator import errors
    from incubator.api import docs
    from incubator.extensions import csrf

    app.config.setdefault("API_TITLE", "Hà Nội ICT incubators — read-only API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")  # Swagger UI 4 (swagger-ui-bundle) reads 3.0, not 3.1
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Read-only figures and records of Hà Nội's ICT business incubators, for the "
                                "Department's systems. Every call needs a token, sent as the header "
                                "`Authorization: Bearer <token>` (administrators and officials make tokens on "
                                "their API tokens page). "
                                "Errors are application/problem+json; lists are paged by cursor (the `next` "
                                "link); every answer carries an ETag."},
        "security": [{"bearerAuth": []}],
    })
    app.config["OPENAPI_URL_PREFIX"] = None  # the description and its page are served by docs.py
    api = ReadOnlyApi(app)
    # flask-smorest's own page-number pagination is not used (cursors are: framework.paginate), nor its
    # `flask openapi` commands (the description is served at /api/v1/openapi.json).
    api.spec.components.schemas.pop("PaginationMetadata", None)
    app.cli.commands.pop("openapi", None)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                       "description": "A token made on the API tokens page or "
                                                                      "with `flask api-tokens create`."})
    for name in RESOURCES:
        blp = import_module(f"incubator.api.resources.{name}").blp
        csrf.exempt(blp)
        api.register_blueprint(blp)
    # Errors are problems: say so in the description of the error responses flask-smorest declares.
    for response in api.spec.components.responses.values():
        content = response.get("content") or {}
        if "application/json" in content:
            content[PROBLEM_MIMETYPE] = content.pop("application/json")
    app.register_blueprint(docs.bp)
    app.extensions["incubator-api"] = api
    errors.answer_errors_under(API_PREFIX, http_problem, server_problem)
    install(app)
    return api
