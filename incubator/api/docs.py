"""The OpenAPI description (/api/v1/openapi.json) and its readable page (/api/v1/docs): Swagger UI's files
from the swagger-ui-bundle package, started by a static script, so the Content-Security-Policy holds."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, send_from_directory

from incubator.api.framework import API_PREFIX

bp = Blueprint("api_docs", __name__, url_prefix=API_PREFIX)

ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png",
          "favicon-16x16.png"}


@bp.route("/openapi.json")
def openapi_json():
    return current_app.extensions["incubator-api"].spec.to_dict()


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
