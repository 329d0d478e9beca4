"""Acceptance 1: the OpenAPI description validates, documents exactly the app's /api/v1 routes, and every
schema in it is strict (each property required, no other property allowed)."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from incubator.api.framework import API_PREFIX, DOC_ENDPOINTS

OPERATION_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def _description(client) -> dict:
    response = client.get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_the_description_validates(client):
    spec = _description(client)
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"][
            "description"]}
    assert spec["security"] == [{"bearerAuth": []}]


def _app_operations(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX + "/") or rule.endpoint in DOC_ENDPOINTS:
            continue
        path = re.sub(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((path, method.lower()))
    return found


def test_the_routes_of_the_app_are_the_paths_of_the_description(app, client):
    spec = _description(client)
    documented = {(path, method) for path, item in spec["paths"].items() for method in item
                  if method in OPERATION_METHODS}
    assert _app_operations(app) == documented
    assert documented, "no operation documented"
    assert {method for _, method in documented} == {"get"}  # read-only


def test_only_get_head_and_options_are_routed_under_the_api(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def _schemas(node, where="$"):
    """Every schema object in the description (components, parameters, responses), with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _schemas(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schemas(value, f"{where}[{i}]")


def test_every_schema_of_the_description_is_strict(client):
    spec = _description(client)
    loose = []
    schemas = list(_schemas(spec["components"].get("schemas", {}), "components.schemas"))
    schemas += list(_schemas(spec["paths"], "paths"))
    for where, schema in schemas:
        properties = set(schema.get("properties", {}))
        if schema.get("additionalProperties") is not False or set(schema.get("required", [])) != properties:
            loose.append(where)
    assert schemas
    assert loose == [], f"schemas that allow other properties or leave some optional: {loose}"


def test_a_loose_schema_would_be_caught():
    """The check above can fail: a schema with an optional field, or allowing others, is reported."""
    spec = {"components": {"schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}},
                                             "required": [], "additionalProperties": False},
                                       "B": {"type": "object", "properties": {}, "required": []}}}}
    flagged = [where for where, schema in _schemas(spec["components"]["schemas"], "s")
               if schema.get("additionalProperties") is not False
               or set(schema.get("required", [])) != set(schema.get("properties", {}))]
    assert flagged == ["s.A", "s.B"]


def test_the_description_is_public_and_documents_the_token(client):
    """The description and its page are read without a token (they hold no data)."""
    assert client.get(f"{API_PREFIX}/openapi.json").status_code == 200
    page = client.get(f"{API_PREFIX}/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "cdn" not in html.lower()
    assert "/static/api/swagger-init.js" in html
    assert client.get(f"{API_PREFIX}/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get(f"{API_PREFIX}/docs/assets/index.html").status_code == 404
