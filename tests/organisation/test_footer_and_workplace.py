"""The footer and the navigation bar name the incubator a person works in (issue 20, review): with several
incubators, staff limited to one read its names (and its operator) rather than VUHN's; visitors and people of
the whole network read the network's; with a single incubator the page is as it always was."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.organisation import services as organisation
from incubator.organisation.models import Incubator
from tests.helpers import login

VUHN_LINE = "Vườn ươm doanh nghiệp"
CENTRE = "Đào tạo, tư vấn CNTT"


def _footer(html: str) -> str:
    return re.search(r'<footer.*?</footer>', html, re.S).group(0)


def _page(client_factory, user=None, url="/"):
    client = client_factory()
    if user is not None:
        login(client, user)
        url = "/rounds/manage" if url == "/" else url
    return client.get(url, follow_redirects=True).get_data(as_text=True)


def test_with_a_single_incubator_the_footer_and_bar_are_as_before(make, client_factory):
    staff = make.user(Role.STAFF)
    for html in (_page(client_factory), _page(client_factory, staff)):
        footer = _footer(html)
        assert CENTRE in footer and VUHN_LINE in footer
        assert 'id="incubator-workplace"' not in html and 'id="current-incubator"' not in html


@pytest.fixture
def hl(db):
    hl = organisation.create("HL", "Vườn ươm Hòa Lạc", "Hòa Lạc incubator",
                             operator_vi="Ban Quản lý Khu CNC Hòa Lạc", operator_en="Hòa Lạc Hi-tech Park Authority")
    db.session.commit()
    return hl.id


def test_staff_of_one_of_several_incubators_read_theirs(hl, make, client_factory, db):
    html = _page(client_factory, make.user(Role.STAFF, incubator=hl))
    footer = _footer(html)
    assert "Vườn ươm Hòa Lạc" in footer and "Ban Quản lý Khu CNC Hòa Lạc" in footer
    assert CENTRE not in footer
    workplace = re.search(r'id="incubator-workplace".*?</li>', html, re.S).group(0)
    assert '<span id="current-incubator">HL</span>' in workplace and "Vườn ươm Hòa Lạc" in workplace
    assert 'id="incubator-switcher"' not in html

    vuhn = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == "VUHN"))
    html = _page(client_factory, make.user(Role.STAFF, incubator=vuhn))
    assert "Hòa Lạc" not in _footer(html) and VUHN_LINE in _footer(html)
    assert '<span id="current-incubator">VUHN</span>' in html


def test_visitors_and_the_network_read_the_network(hl, make, client_factory):
    for html in (_page(client_factory), _page(client_factory, make.user(Role.ADMIN)),
                 _page(client_factory, make.user(Role.FOUNDER), url="/home/founder")):
        footer = _footer(html)
        assert "Hòa Lạc" not in footer and CENTRE not in footer
        assert 'id="incubator-workplace"' not in html


def _here(html: str) -> str | None:
    """The incubator named beside the brand, which stays in sight when the bar folds (below 1200 px)."""
    found = re.search(r'<span class="navbar-text text-white d-xl-none me-auto" id="incubator-here"[^>]*>'
                      r'<span class="visually-hidden">[^<]*</span>([^<]*)</span>', html)
    return found.group(1) if found else None


def test_the_incubator_one_works_in_stays_in_sight_when_the_bar_folds(hl, make, client_factory, db):
    """Issue 20: the current incubator is always visible; on a phone or a tablet the bar's items fold under the
    menu button, so its code is also said beside the brand, outside the fold."""
    from incubator.auth.models import UserRole
    from tests.helpers import post_form

    brand_end = '<small>Hà Nội</small></a>'
    html = _page(client_factory, make.user(Role.STAFF, incubator=hl))
    assert _here(html) == "HL"
    assert html.index('id="incubator-here"') > html.index(brand_end)
    assert html.index('id="incubator-here"') < html.index('id="mainNav"')  # outside what folds

    vuhn = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == "VUHN"))
    both = make.user(Role.STAFF, incubator=vuhn)
    both.role_rows.append(UserRole(role=Role.STAFF, incubator_id=hl))
    make._save(both)
    client = client_factory()
    login(client, both)
    assert _here(client.get("/rounds/manage").get_data(as_text=True)) == "VUHN"
    assert post_form(client, "/incubator", {"incubator_id": hl}, token_from="/rounds/manage").status_code == 302
    assert _here(client.get("/rounds/manage").get_data(as_text=True)) == "HL"  # it follows the switch

    # Visitors and founders work in none; with a single incubator nothing is added (below).
    assert _here(_page(client_factory)) is None
    assert _here(_page(client_factory, make.user(Role.FOUNDER), url="/home/founder")) is None


def test_with_a_single_incubator_nothing_is_said_beside_the_brand(make, client_factory):
    assert _here(_page(client_factory, make.user(Role.STAFF))) is None
    assert 'id="incubator-here"' not in _page(client_factory, make.user(Role.ADMIN))
