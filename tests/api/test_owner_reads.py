"""The API gives a token exactly what its owner reads in the interface, never more (issue 24): each resource is
tied to the interface's page of the same data, and for each owner a token may have (an administrator, an
official) the API answers a list of it when, and only when, the permission matrix lets that person open the page.
An official reads the targets (with the businesses behind each figure), the finalised reports, the published
answers and the catalogue; the register's, the rounds', the cohorts' and the mentoring pages are staff's, and so
are those resources."""

from __future__ import annotations

import pytest

from incubator.auth.enums import Role
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.slow

# resource -> (a list of it in the API, the interface's page of the same data as the matrix names it)
PAGES = {
    "incubators": ("/api/v1/incubators", ("GET", "targets.dashboard", None)),  # the city dashboard names them
    "targets": ("/api/v1/targets?as_of=2025-12-31&incubator=VUHN", ("GET", "targets.dashboard", None)),
    "register": ("/api/v1/businesses", ("GET", "companies.index", None)),
    "rounds": ("/api/v1/rounds", ("GET", "rounds.manage", None)),
    "cohorts": ("/api/v1/cohorts", ("GET", "cohorts.index", None)),
    "mentoring": ("/api/v1/mentoring/hours?from=2025-01-01&to=2025-12-31", ("GET", "partners.partner", "partner_id")),
    "reports": ("/api/v1/reports", ("GET", "reports.index", None)),
    "answers": ("/api/v1/answers", ("GET", "requests.answers", None)),
    "catalogue": ("/api/v1/products", ("GET", "catalogue.index", None)),
}


def test_every_resource_is_tied_to_a_page_of_the_interface():
    from incubator.api import RESOURCES

    assert set(PAGES) == set(RESOURCES)
    assert all(page in MATRIX for _url, page in PAGES.values())


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICIAL])
def test_a_token_reads_what_its_owner_reads_in_the_interface(role, api_world, api, new_token, make):
    reader = api(new_token(owner=make.user(role)))
    answers = {}
    for resource, (url, page) in PAGES.items():
        opens_the_page = MATRIX[page][role.value] == 200
        response = reader.get(url)
        answers[resource] = response.status_code
        assert response.status_code == (200 if opens_the_page else 403), (role, resource, response.get_json())
        if response.status_code == 403:
            assert response.mimetype == "application/problem+json"
    if role is Role.OFFICIAL:  # the walk compared something: an official reads some and not others
        assert {answers["targets"], answers["reports"], answers["register"], answers["rounds"]} == {200, 403}
