"""The OpenAPI description (/api/v1/openapi.json) and its readable page (/api/v1/docs): Swagger UI's files
from the swagger-ui-bundle package, started by a static script, so the Content-Security-Policy holds."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, send_from_directory

from incubator.api.framework import API_PREFIX

bp = Blueprint("api_docs", __name__, url_prefix=API_PREFIX)

ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png",
          "favicon-16x16.png"}


def description() -> dict:
    """The OpenAPI description flask-smorest generated, with two fixes: a nested schema that may be null is
    written by apispec as ``anyOf: [{type: object, nullable: true}, {$ref}]``, whose first branch would let any
    object through; it is written here as what it means, null only (``{nullable: true, enum: [null]}``); and the
    tags are the resources' names (the blueprints' less their ``api_``)."""
    cached = current_app.extensions.get("incubator-api-description")
    if cached is None:
        cached = _null_only(current_app.extensions["incubator-api"].spec.to_dict())
        for tag in cached.get("tags", []):
            tag["name"] = tag["name"].removeprefix("api_")
        for item in cached.get("paths", {}).values():
            for operation in item.values():
                if isinstance(operation, dict) and "tags" in operation:
                    operation["tags"] = [t.removeprefix("api_") for t in operation["tags"]]
        current_app.extensions["incubator-api-description"] = cached
    return cached


def _null_only(node):
    if isinstance(node, dict):
        if node == {"type": "object", "nullable": True}:
            return {"nullable": True, "enum": [None]}
        return {key: _null_only(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_null_only(value) for value in node]
    return node


@bp.route("/openapi.json")
def openapi_json():
    return description()


@bp.route("/docs")
def docs():
    return render_template("api/docs.html")


@bp.route("/docs/assets/<string:filename>")
def asset(filename: str):
    if filename not in ASSETS:
        abort(404)
    from swagger_ui_bundle import swagger_ui_path

    response = send_from_directory(str(swagger_ui_path), filename, max_age=86400)
    return response
