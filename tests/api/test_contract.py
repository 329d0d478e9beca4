"""Acceptance 1: every documented operation is called with an administrator's token (who reads every resource in
the interface; an official's reads fewer: test_officials_read_through_the_api_what_they_read_in_the_interface)
on the demonstration's data,
and each answer (every page of a list, by its `next` links) is checked against its schema in the description,
whose fields are all required and which allows no other property (test_description.py checks that)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from jsonschema import Draft202012Validator

from incubator.api.framework import API_PREFIX
from incubator.auth.enums import Role
from tests.api.conftest import CALLS

pytestmark = pytest.mark.slow


def as_json_schema(node):
    """OpenAPI 3.0's schema objects as JSON Schema: ``nullable: true`` becomes a "null" type (or a null in the
    enum); the rest is the same."""
    if isinstance(node, dict):
        node = {key: as_json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            if "enum" in node:
                node["enum"] = list(dict.fromkeys([*node["enum"], None]))
            if "type" in node:
                node["type"] = [node["type"], "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [as_json_schema(value) for value in node]
    return node


def _validator(spec: dict, schema: dict) -> Draft202012Validator:
    root = as_json_schema(dict(schema))
    root["components"] = as_json_schema(spec["components"])
    return Draft202012Validator(root)


def test_null_is_null_only():
    """A nullable field takes null or its type, nothing else (the conversion above can fail)."""
    spec = {"components": {"schemas": {"R": {"type": "object", "properties": {"a": {"type": "integer"}},
                                             "required": ["a"], "additionalProperties": False}}}}
    schema = {"type": "object", "additionalProperties": False, "required": ["n", "r"],
              "properties": {"n": {"type": "string", "nullable": True},
                             "r": {"anyOf": [{"nullable": True, "enum": [None]}, {"$ref": "#/components/schemas/R"}]}}}
    validator = _validator(spec, schema)
    assert validator.is_valid({"n": None, "r": None}) and validator.is_valid({"n": "x", "r": {"a": 1}})
    assert not validator.is_valid({"n": 1, "r": None})
    assert not validator.is_valid({"n": None, "r": {"b": 1}})
    assert not validator.is_valid({"n": None})


def _check(spec, schema, body, where):
    errors = sorted(_validator(spec, schema).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{where}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def _calls(path: str, operation: dict, db) -> list[tuple[dict, dict]]:
    if path in CALLS:
        return CALLS[path](db)
    needs = [p for p in operation.get("parameters", []) if p.get("required")]
    assert "{" not in path and not needs, f"{path}: add its parameters to tests/api/conftest.py CALLS"
    return [({}, {})]


def test_every_documented_operation_answers_what_its_schema_says(api_world, api, new_token, make, client):
    spec = client.get(f"{API_PREFIX}/openapi.json").get_json()
    reader = api(new_token(owner=make.user(Role.ADMIN)))
    problem = spec["components"]["schemas"]["Problem"]
    called = 0
    for path, item in spec["paths"].items():
        operation = item["get"]
        operation = {**operation, "parameters": item.get("parameters", []) + operation.get("parameters", [])}
        content = operation["responses"]["200"]["content"]
        schema = content.get("application/json", {}).get("schema")
        for path_values, query in _calls(path, operation, api_world):
            url = path.format(**path_values) + (f"?{urlencode(query)}" if query else "")
            pages = 0
            while url:
                response = reader.get(url)
                assert response.status_code == 200, (url, response.get_data(as_text=True))
                assert response.headers["ETag"] and "private" in response.headers["Cache-Control"]
                if schema is None:  # a file: described as its media type, binary
                    assert set(content) == {response.mimetype} and response.data.startswith(b"%PDF"), url
                    assert content[response.mimetype]["schema"] == {"type": "string", "format": "binary"}
                    called += 1
                    break
                body = response.get_json()
                _check(spec, schema, body, url)
                called += 1
                pages += 1
                nxt = body.get("next") if isinstance(body, dict) else None
                url = nxt.removeprefix("http://localhost") if nxt else None
                assert pages < 100
            # The same operation with a made-up parameter is a problem, which its schema describes too.
            bad = reader.get(path.format(**path_values) + "?" + urlencode({**query, "no_such_parameter": 1}))
            assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
            _check(spec, problem, bad.get_json(), f"{path} with an unknown parameter")
    assert called >= len(spec["paths"])
