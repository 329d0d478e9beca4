"""Which partners one incubator's staff see (issue 20): a partner is one record city-wide, and the staff of an
incubator see the partners working with it (an agreement there, a person holding a role there) and those
working with none anywhere yet; another incubator's partners are not listed, exported or offered in any
drop-down, and their pages answer 404. Administrators (and officials, not limited) see every partner; an
installation with a single incubator is unchanged. Staff start an agreement with a partner another incubator
has through the new partner form, without a second record."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.mentoring.models import Agreement
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.partners.enums import PartnerKind
from incubator.partners.models import Partner
from tests.helpers import login, nothing_written, post_form

NAMES = {
    "hn1": "Công ty Đối Tác Chỉ Ở Một",  # an agreement and a mentor in HN1
    "hn2": "Công ty Đối Tác Chỉ Ở Hai",  # an agreement in HN2
    "both": "Công ty Đối Tác Ở Cả Hai",  # an agreement in each
    "none": "Công ty Đối Tác Mới Chưa Ở Đâu",  # nothing anywhere yet
    "mentor_hn2": "Công ty Đối Tác Có Cố Vấn Ở Hai",  # only a mentor in HN2
    "fund_hn1": "Quỹ Đầu Tư Chỉ Ở Một",  # only a fund manager in HN1
}
SEEN_BY = {
    "hn1": {"hn1", "both", "none", "fund_hn1"},
    "hn2": {"hn2", "both", "none", "mentor_hn2"},
}


@pytest.fixture
def two(make, db):
    hn1 = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    partners = {key: make.partner(name=name, kind=PartnerKind.FUND_MANAGER if key == "fund_hn1"
                                  else PartnerKind.SOFTWARE_COMPANY) for key, name in NAMES.items()}

    def agreement(key, incubator):
        with use_incubator(incubator):
            make._save(Agreement(partner_id=partners[key].id, programme=f"Hợp tác {key}",
                                 starts_on=date(2025, 1, 1), mentoring_hours=10))

    for key, incubator in (("hn1", hn1), ("hn2", hn2), ("both", hn1), ("both", hn2)):
        agreement(key, incubator)
    people = {"hn1": make.user(Role.STAFF, incubator=hn1), "hn2": make.user(Role.STAFF, incubator=hn2),
              "admin": make.user(Role.ADMIN), "official": make.user(Role.OFFICIAL),
              "mentor_hn1": make.user(Role.MENTOR, incubator=hn1, partner=partners["hn1"]),
              "mentor_hn2": make.user(Role.MENTOR, incubator=hn2, partner=partners["mentor_hn2"]),
              "fund_hn1": make.user(Role.FUND_MANAGER, incubator=hn1, partner=partners["fund_hn1"])}
    db.session.commit()
    return hn1.id, hn2.id, {k: p.id for k, p in partners.items()}, people


def _names(html: str) -> set[str]:
    return {key for key, name in NAMES.items() if name in html}


@pytest.mark.parametrize("who", ["hn1", "hn2"])
def test_staff_list_the_partners_of_their_incubator_and_those_of_none(two, who, client):
    *_, people = two
    login(client, people[who])
    assert _names(client.get("/partners/").get_data(as_text=True)) == SEEN_BY[who]
    exported = client.get("/partners/export.csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {NAMES[k] for k in SEEN_BY[who]}


def test_an_administrator_lists_every_partner_and_an_official_is_not_limited(two, client, app):
    from incubator.home.incubators import place_of
    from incubator.organisation.scoping import scoped_to
    from incubator.partners import queries

    *_, people = two
    login(client, people["admin"])
    assert _names(client.get("/partners/").get_data(as_text=True)) == set(NAMES)
    assert _names(client.get("/partners/export.xlsx").get_data().decode("latin-1")) <= set(NAMES)
    place = place_of(people["official"], None)
    assert place is not None and not place.scoped  # the official works across the network
    with app.test_request_context(), scoped_to(None):
        assert {p.name for p in queries.partners()} == set(NAMES.values())


def test_another_incubators_partner_answers_404_at_each_of_its_doors(two, client, db):
    _hn1, _hn2, ids, people = two
    login(client, people["hn2"])
    theirs = ids["hn1"]
    agreement_id = db.session.scalar(sa.select(Agreement.id).where(Agreement.partner_id == theirs))
    for url in (f"/partners/{theirs}", f"/partners/{theirs}/edit", f"/partners/{ids['fund_hn1']}",
                f"/partners/{theirs}/agreements/{agreement_id}/edit", f"/partners/{theirs}/take-in"):
        assert client.get(url).status_code == 404, url
    with nothing_written():
        for url, data in ((f"/partners/{theirs}/edit", {"kind": "other", "name": "Đổi tên", "version": "1"}),
                          (f"/partners/{theirs}/agreements", {"programme": "Chen ngang", "starts_on": "01/01/2026"}),
                          (f"/partners/{theirs}/take-in", {"programme": "Chen ngang", "starts_on": "01/01/2026"})):
            assert post_form(client, url, data, token_from="/partners/").status_code == 404, url
    for key in SEEN_BY["hn2"]:
        assert client.get(f"/partners/{ids[key]}").status_code == 200, key


def test_a_partners_own_people_see_their_partner_where_they_work(two, client_factory):
    _hn1, _hn2, ids, people = two
    for who, key in (("mentor_hn1", "hn1"), ("mentor_hn2", "mentor_hn2"), ("fund_hn1", "fund_hn1")):
        client = client_factory()
        login(client, people[who])
        assert client.get(f"/partners/{ids[key]}").status_code == 200, who
        assert client.get(f"/partners/{ids['both']}").status_code == 404, who  # not theirs


def test_every_drop_down_offers_the_partners_this_incubator_sees(two, client, client_factory, make, db):
    *_, people = two
    login(client, people["hn2"])
    for url in ("/mentoring/sessions", "/services/new"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert _names(page.get_data(as_text=True)) == SEEN_BY["hn2"], url
    # A founder belongs to no incubator: every fund-management partner is theirs to consent to.
    founder = make.user()
    company = make.company(name="Công ty Của Người Sáng Lập")
    make.member(company=company, user=founder)
    db.session.commit()
    theirs = client_factory()
    login(theirs, founder)
    assert "Quỹ Đầu Tư Chỉ Ở Một" in theirs.get(f"/funding/consent/{company.id}").get_data(as_text=True)


def test_a_service_keeps_its_provider_in_the_drop_down_whatever_it_became(two, client, make, db):
    from incubator.cohorts.enums import ServiceKind
    from incubator.cohorts.models import ServiceDelivery

    _hn1, hn2, ids, people = two
    with use_incubator(hn2):
        service = make._save(ServiceDelivery(kind=ServiceKind.CONSULTING, title="Tư vấn", provider_id=ids["hn1"],
                                             delivered_on=date(2025, 4, 1), hours=2))
    db.session.commit()
    login(client, people["hn2"])
    html = client.get(f"/services/{service.id}/edit").get_data(as_text=True)
    assert _names(html) == SEEN_BY["hn2"] | {"hn1"}
    assert "Công ty Đối Tác Chỉ Ở Một" not in client.get("/services/new").get_data(as_text=True)


def test_the_new_partner_form_leads_to_starting_an_agreement_with_another_incubators_partner(two, client, db):
    _hn1, _hn2, ids, people = two
    theirs = ids["hn1"]
    login(client, people["hn2"])
    count = db.session.scalar(sa.select(sa.func.count(Partner.id)))
    answer = post_form(client, "/partners/new", {"kind": "software_company", "name": f"  {NAMES['hn1']} "},
                       token_from="/partners/new")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/partners/{theirs}/take-in")
    page = client.get(f"/partners/{theirs}/take-in")
    assert page.status_code == 200 and NAMES["hn1"] in page.get_data(as_text=True)
    assert "Hợp tác hn1" not in page.get_data(as_text=True)  # HN1's agreement is not shown
    refused = post_form(client, f"/partners/{theirs}/take-in", {"programme": ""}, token_from="/partners/new")
    assert refused.status_code == 400
    done = post_form(client, f"/partners/{theirs}/take-in",
                     {"programme": "Hợp tác với Vườn Hai", "starts_on": "01/02/2026", "mentoring_hours": "20"},
                     token_from="/partners/new")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/partners/{theirs}")
    assert db.session.scalar(sa.select(sa.func.count(Partner.id))) == count  # no second record
    db.session.expire_all()
    agreements = db.session.execute(sa.select(Agreement.programme, Agreement.incubator_id).where(
        Agreement.partner_id == theirs).execution_options(all_incubators=True)).all()
    assert ("Hợp tác với Vườn Hai", _hn2) in agreements and len(agreements) == 2
    assert _names(client.get("/partners/").get_data(as_text=True)) == SEEN_BY["hn2"] | {"hn1"}
    page = client.get(f"/partners/{theirs}").get_data(as_text=True)
    assert "Hợp tác với Vườn Hai" in page and "Hợp tác hn1" not in page
    # Once seen, the take-in page leads to the partner's page.
    assert client.get(f"/partners/{theirs}/take-in").status_code == 302


def test_the_take_in_is_found_by_tax_code_and_a_partner_seen_keeps_its_name_taken(two, client, db):
    _hn1, _hn2, ids, people = two
    partner = db.session.get(Partner, ids["fund_hn1"])
    partner.tax_code = "0100109106"
    db.session.commit()
    login(client, people["hn2"])
    answer = post_form(client, "/partners/new", {"kind": "fund_manager", "name": "Quỹ Tên Khác",
                                                 "tax_code": "0100109106"}, token_from="/partners/new")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/partners/{ids['fund_hn1']}/take-in")
    with nothing_written():
        taken = post_form(client, "/partners/new", {"kind": "other", "name": NAMES["both"]},
                          token_from="/partners/new")
    assert taken.status_code == 400  # a partner this incubator sees: its name is taken, as before


def test_with_a_single_incubator_staff_see_every_partner(make, client, db):
    staff = make.user(Role.STAFF)
    with_agreement = make.partner(name="Công ty Có Hợp Đồng")
    make._save(Agreement(partner_id=with_agreement.id, programme="Hợp tác", starts_on=date(2025, 1, 1)))
    make.user(Role.MENTOR, partner=make.partner(name="Công ty Có Cố Vấn"))
    make.partner(name="Công ty Chưa Có Gì")
    db.session.commit()
    login(client, staff)
    html = client.get("/partners/").get_data(as_text=True)
    assert all(name in html for name in ("Công ty Có Hợp Đồng", "Công ty Có Cố Vấn", "Công ty Chưa Có Gì"))


def test_a_fund_looks_up_a_business_by_the_registers_rule(two, client, make, db):
    hn1, hn2, _ids, people = two
    mine, theirs = make.company(name="Công ty Ở Hai"), make.company(name="Công ty Ở Một")
    with use_incubator(hn2):
        make.residency(company=mine)
    with use_incubator(hn1):
        make.residency(company=theirs)
    db.session.commit()
    login(client, people["hn2"])
    assert client.get(f"/funding/startups/{theirs.id}").status_code == 404
    assert client.get(f"/funding/startups/{mine.id}").status_code == 200


def test_the_new_partner_form_says_so_only_with_several_incubators(make, client, db):
    staff = make.user(Role.STAFF)
    db.session.commit()
    login(client, staff)
    assert 'id="partner-of-the-city"' not in client.get("/partners/new").get_data(as_text=True)
    organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    assert 'id="partner-of-the-city"' in client.get("/partners/new").get_data(as_text=True)
