"""Bad input to the API gets a clear answer (quality.md): every documented operation, called with an official's
token and generated query strings (its own parameters and others, with huge and negative numbers, NaN, far
and impossible dates, control characters, bytes that are not UTF-8) and generated path values, answers below
500, and every error is application/problem+json."""

from __future__ import annotations

import os
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.conftest import CALLS
from tests.test_fuzz_forms import FUZZ_SETTINGS, _bytes, any_value

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))


def _check(response, url):
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json", url
        assert set(response.get_json()) == {"type", "title", "status", "detail"}


def _fuzz(official, path: str, names: list[str], path_names: list[str], path_values: dict, query: dict) -> None:
    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=8)), any_value),
                     max_size=4)

    @settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
    @given(pairs=pairs, values=st.fixed_dictionaries(dict.fromkeys(path_names, any_value)),
           keep_path=st.booleans())
    def call(pairs, values, keep_path):
        chosen = path_values if keep_path or not path_names else {
            k: quote(_bytes(v) or b"x", safe="") for k, v in values.items()}
        url = path.format(**chosen)
        query_string = "&".join(f"{quote_plus(_bytes(k))}={quote_plus(_bytes(v))}"
                                for k, v in [*query.items(), *pairs])
        _check(official.get(url, query_string=query_string), f"{url}?{query_string[:200]}")

    call()


def test_generated_queries_and_paths_never_give_a_5xx(api_world, api, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    official = api()
    for path, item in spec["paths"].items():
        parameters = item.get("parameters", []) + item["get"].get("parameters", [])
        names = sorted({p["name"] for p in parameters if p["in"] == "query"} | {"as_of", "incubator", "limit",
                                                                                "cursor", "q"})
        path_names = [p["name"] for p in parameters if p["in"] == "path"]
        path_values, query = CALLS[path](api_world)[0] if path in CALLS else ({}, {})
        _fuzz(official, path, names, path_names, path_values, query)
