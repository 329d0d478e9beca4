"""Where a business files its requests when there are several incubators (issues 20 and 21): one rule, offered by
the form and kept by the service. A business that is in an incubator (a residency, an outcome, an application
submitted there: the register's notion of "in an incubator") files there; a business in none yet files in any
incubator, rather than in none."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.requests import services
from incubator.requests.enums import RequestKind
from incubator.requests.models import BusinessRequest, RequestCategory
from tests.helpers import csrf_token, login, nothing_written


@pytest.fixture
def world(make, db):
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Đà")
    founder = make.user(Role.FOUNDER, full_name="Đặng Thị Hoa")
    make.member(company=company, user=founder)
    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    db.session.commit()
    category = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))
    return {"company": company, "founder": founder, "category": category, "vuhn": vuhn, "hn2": hn2}


def _file(world, incubator_id):
    return services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                         category=world["category"], title="Hướng dẫn hoàn thuế", text="Nội dung kiến nghị",
                         consent="named", incubator_id=incubator_id)


def _codes(world):
    return [i.code for i in services.incubator_choices(world["company"])]


# ---- Through the service ----------------------------------------------------------------------------------

def test_a_business_in_no_incubator_is_offered_every_one_and_files_in_any(world, db):
    assert _codes(world) == ["HN2", "VUHN"]
    assert services.may_file_in(world["company"], world["hn2"].id)
    assert services.may_file_in(world["company"], world["vuhn"].id)
    in_hn2 = _file(world, world["hn2"].id)
    in_vuhn = _file(world, world["vuhn"].id)
    db.session.commit()
    assert (in_hn2.incubator_id, in_vuhn.incubator_id) == (world["hn2"].id, world["vuhn"].id)


def test_a_business_with_an_application_submitted_to_an_incubator_files_there_only(world, make, db):
    with use_incubator(world["hn2"]):
        make.application(company=world["company"], status=ApplicationStatus.SUBMITTED)
    db.session.commit()
    assert _codes(world) == ["HN2"]
    assert not services.may_file_in(world["company"], world["vuhn"].id)
    with nothing_written(), pytest.raises(DomainError) as refused:
        _file(world, world["vuhn"].id)
    assert refused.value.field == "incubator"
    assert _file(world, world["hn2"].id).incubator_id == world["hn2"].id


def test_a_draft_application_puts_the_business_in_no_incubator(world, make, db):
    with use_incubator(world["hn2"]):
        make.application(company=world["company"])  # the founder's own draft
    db.session.commit()
    assert _codes(world) == ["HN2", "VUHN"]
    assert _file(world, world["vuhn"].id).incubator_id == world["vuhn"].id


def test_a_business_with_a_residency_or_an_outcome_files_in_those(world, make, db):
    make.residency(company=world["company"], incubator=world["vuhn"])
    db.session.commit()
    assert _codes(world) == ["VUHN"]
    with use_incubator(world["hn2"]):
        make.outcome(company=world["company"])
    db.session.commit()
    assert _codes(world) == ["HN2", "VUHN"]
    third = organisation.create("HN3", "Vườn ươm Hà Nội 3", "Hà Nội incubator 3")
    db.session.commit()
    assert not services.may_file_in(world["company"], third.id)
    with nothing_written(), pytest.raises(DomainError):
        _file(world, third.id)


def test_the_incubator_this_work_is_in_is_held_to_the_same_rule(world, make, db):
    """No incubator named: the one chosen for the block (a command, the demonstration) must be one of the
    business's too."""
    make.residency(company=world["company"], incubator=world["vuhn"])
    db.session.commit()
    with use_incubator(world["hn2"]), nothing_written(), pytest.raises(DomainError):
        _file(world, None)
    with use_incubator(world["vuhn"]):
        assert _file(world, None).incubator_id == world["vuhn"].id


# ---- Through the pages ------------------------------------------------------------------------------------

def _offered(page: str) -> set[str]:
    select = page.split('id="incubator"')[1].split("</select>")[0]
    return set(re.findall(r'value="(\d+)"', select))


def _post(client, world, token, incubator):
    return client.post("/requests/new", data={
        "csrf_token": token, "company": str(world["company"].id), "kind": "request",
        "category": str(world["category"].id), "title": "Kiến nghị về thủ tục", "text": "Nội dung kiến nghị",
        "consent": "named", "incubator": str(incubator.id)})


def _as_founder(client_factory, world):
    client = client_factory()
    login(client, world["founder"])
    return client, csrf_token(client, "/requests/new")


def test_the_founder_of_a_business_in_no_incubator_chooses_any_and_files(world, client_factory, db):
    client, token = _as_founder(client_factory, world)
    page = client.get("/requests/new").get_data(as_text=True)
    assert _offered(page) == {str(world["vuhn"].id), str(world["hn2"].id)}
    response = _post(client, world, token, world["hn2"])
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    filed = db.session.scalar(sa.select(BusinessRequest).execution_options(all_incubators=True))
    assert filed.incubator_id == world["hn2"].id and filed.company_id == world["company"].id


def test_the_form_offers_what_the_service_accepts(world, make, client_factory, db):
    with use_incubator(world["hn2"]):
        make.application(company=world["company"], status=ApplicationStatus.UNDER_REVIEW)
    db.session.commit()
    client, token = _as_founder(client_factory, world)
    assert _offered(client.get("/requests/new").get_data(as_text=True)) == {str(world["hn2"].id)}
    with nothing_written():
        assert _post(client, world, token, world["vuhn"]).status_code == 400
    assert _post(client, world, token, world["hn2"]).status_code == 302
    filed = db.session.scalar(sa.select(BusinessRequest).execution_options(all_incubators=True))
    assert filed.incubator_id == world["hn2"].id
