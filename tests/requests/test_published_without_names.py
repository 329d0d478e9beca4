"""An anonymised request is published without names: not only its question (the version staff prepare) but
its answer too, which is published as it was sent and cannot be changed once approved; an answer that names
the business or its people is therefore not published at all (issue 21: "no personal data beyond what was
consented, ever shows")."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.requests import queries, services
from incubator.requests.enums import BodyKind, PublicationConsent, RequestKind
from incubator.requests.models import BusinessRequest, RequestCategory
from tests.helpers import csrf_token, login, nothing_written

PREPARED = {"title": "Hoàn thuế cho phần mềm xuất khẩu", "text": "Một doanh nghiệp đề nghị hướng dẫn hoàn thuế."}


@pytest.fixture
def world(make, db):
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER, full_name="Nguyễn Văn An")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, full_name="Trần Thị Bình", locale="en")
    second = make.user(Role.STAFF, full_name="Lê Văn Cường")
    body = services.save_body(None, actor=staff, name_vi="Cục Thuế thành phố Hà Nội", kind=BodyKind.OTHER_DEPARTMENT)
    db.session.commit()
    category = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))
    return {"company": company, "founder": founder, "staff": staff, "second": second, "body": body,
            "category": category}


def _answered(world, db, answer: str, consent=PublicationConsent.ANONYMISED) -> BusinessRequest:
    request = services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                            category=world["category"], title="Hoàn thuế cho Công ty Sông Hồng",
                            text="Công ty Sông Hồng đề nghị hướng dẫn hoàn thuế.", consent=consent)
    services.route(request, world["body"], actor=world["staff"])
    services.draft_answer(request, actor=world["staff"], text=answer)
    services.approve_answer(request, actor=world["second"])
    services.prepare_publication(request, actor=world["staff"], **PREPARED)
    db.session.commit()
    return request


@pytest.mark.parametrize("answer", [
    "Trả lời kiến nghị của Công ty Cổ phần Phần mềm Sông Hồng: hồ sơ nộp trực tuyến.",
    "Kính gửi ông NGUYEN VAN AN: hồ sơ nộp trực tuyến.",
])
def test_an_anonymised_request_whose_answer_names_the_business_or_its_people_is_not_published(world, db,
                                                                                              answer):
    request = _answered(world, db, answer)
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.publish(request, actor=world["staff"])
    with force_locale("en"):  # the message as its English source says it, whatever the catalogues hold
        assert "names the business" in str(refused.value.message)
    assert not request.is_published
    assert db.session.scalars(queries.published_answers()).all() == []


def test_an_anonymised_request_whose_answer_names_no_one_is_published(world, db):
    request = _answered(world, db, "Cục Thuế hướng dẫn: hồ sơ hoàn thuế nộp trực tuyến.")
    services.publish(request, actor=world["staff"])
    db.session.commit()
    assert db.session.scalars(queries.published_answers()).all() == [request]


def test_a_named_request_is_published_with_an_answer_that_names_the_business(world, db):
    request = _answered(world, db, "Trả lời Công ty Cổ phần Phần mềm Sông Hồng: hồ sơ nộp trực tuyến.",
                        consent=PublicationConsent.NAMED)
    services.publish(request, actor=world["staff"])
    assert request.is_published


def test_the_staff_page_warns_before_the_answer_and_refuses_to_publish_it(world, db, client_factory):
    request = services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                            category=world["category"], title="Hoàn thuế", text="Đề nghị hướng dẫn hoàn thuế.",
                            consent=PublicationConsent.ANONYMISED)
    db.session.commit()
    client = client_factory()
    login(client, world["staff"])
    assert 'id="answer-without-names"' in client.get(f"/requests/{request.id}").get_data(as_text=True)
    answered = _answered(world, db, "Trả lời Công ty Cổ phần Phần mềm Sông Hồng: hồ sơ nộp trực tuyến.")
    token = csrf_token(client)
    with nothing_written():
        refused = client.post(f"/requests/{answered.id}/staff/publish",
                              data={"publish-csrf_token": token, "publish-version": answered.version_id})
    assert refused.status_code == 400
    assert "names the business or its people" in refused.get_data(as_text=True)
    assert "Sông Hồng" not in client_factory().get("/requests/answers/").get_data(as_text=True)
