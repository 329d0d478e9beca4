"""Each change of a business's request through its one door, with the refusals that write nothing (issue 21)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import Conflict, DomainError, NotAllowed
from incubator.mail.models import OutboxMessage
from incubator.requests import queries, services
from incubator.requests.enums import (
    AnswerSource,
    BodyKind,
    EventKind,
    PublicationConsent,
    RequestKind,
    RequestStatus,
)
from incubator.requests.models import BusinessRequest, RequestCategory
from tests.helpers import nothing_written

MONDAY = date(2026, 3, 2)


@pytest.fixture
def world(make, db):
    """A verified business with its founder, two members of staff of VUHN, a body, the seeded categories."""
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER, email="sanglap@example.vn")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, email="canbo@example.vn")
    second = make.user(Role.STAFF, email="canbo2@example.vn")
    body = services.save_body(None, actor=staff, name_vi="Phòng Bưu chính, Viễn thông", name_en="Post and telecoms",
                              kind=BodyKind.DEPARTMENT_UNIT, contact_email="pbcvt@example.vn")
    other_body = services.save_body(None, actor=staff, name_vi="UBND quận Cầu Giấy", kind=BodyKind.DISTRICT)
    db.session.commit()
    category = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))
    return {"company": company, "founder": founder, "staff": staff, "second": second, "body": body,
            "other_body": other_body, "category": category}


def _file(world, *, consent=PublicationConsent.NAMED, today=MONDAY, **kw) -> BusinessRequest:
    kw.setdefault("title", "Hoàn thuế giá trị gia tăng cho phần mềm xuất khẩu")
    kw.setdefault("text", "Công ty Sông Hồng đề nghị hướng dẫn thủ tục hoàn thuế. Người liên hệ: Nguyễn Văn An.")
    return services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                         category=world["category"], consent=consent, today=today, **kw)


def _mails(db, purpose: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == purpose)
                                   .order_by(OutboxMessage.id)))


def _answered(world, db, **kw) -> BusinessRequest:
    request = _file(world, **kw)
    services.route(request, world["body"], actor=world["staff"])
    services.draft_answer(request, actor=world["staff"], text="Cục Thuế hướng dẫn: nộp hồ sơ trực tuyến.")
    services.approve_answer(request, actor=world["second"], today=date(2026, 3, 13))
    db.session.commit()
    return request


def test_the_eight_categories_are_seeded_once(db):
    assert services.ensure_default_categories() == 8
    assert services.ensure_default_categories() == 0
    assert [c.time_limit_days for c in queries.categories()] == [15] * 8


def test_a_founder_files_a_request_numbered_acknowledged_and_due_in_working_days(world, db):
    request = _file(world, today=date(2026, 3, 6))  # a Friday
    db.session.commit()
    assert request.number == "KN-2026-0001"
    assert request.status is RequestStatus.SUBMITTED
    assert request.acknowledged_on == date(2026, 3, 6)
    assert request.due_on == date(2026, 3, 27)  # 15 working days from Monday 09/03
    assert request.incubator.code == "VUHN"
    assert [e.kind for e in request.events] == [EventKind.FILED]
    (mail,) = _mails(db, "request_acknowledged")
    assert mail.to_address == world["founder"].email and "KN-2026-0001" in mail.body_text
    assert "27/03/2026" in mail.body_text
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "business_requests")) \
        == "request.file"


def test_numbers_run_per_year_city_wide(world, db, make):
    assert _file(world, today=date(2026, 12, 30)).number == "KN-2026-0001"
    assert _file(world, today=date(2026, 12, 31)).number == "KN-2026-0002"
    assert _file(world, today=date(2027, 1, 4)).number == "KN-2027-0001"
    from incubator.organisation import services as organisation
    from incubator.organisation.current import use_incubator

    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    make.residency(company=world["company"], incubator=hn2)
    with use_incubator(hn2):
        assert _file(world, today=date(2027, 1, 5)).number == "KN-2027-0002"  # one sequence for the city
    assert services.next_number(2027) == "KN-2027-0003"


def test_only_a_founder_of_a_verified_business_files(world, db, make):
    with nothing_written(), pytest.raises(NotAllowed):
        services.file(world["company"], actor=world["staff"], kind="request", category=world["category"],
                      title="T", text="X", consent="named")
    unverified = make.company(verified_at=None)
    make.member(company=unverified, user=world["founder"])
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.file(unverified, actor=world["founder"], kind="request", category=world["category"],
                      title="T", text="X", consent="named")
    assert refused.value.field == "company"
    with nothing_written(), pytest.raises(DomainError) as refused:
        _file(world, title="   ")
    assert refused.value.field == "title"
    with nothing_written(), pytest.raises(DomainError) as refused:
        _file(world, consent="maybe")
    assert refused.value.field == "consent"


def test_the_business_withdraws_until_answered(world, db):
    request = _file(world)
    services.withdraw(request, actor=world["founder"], reason="Đã được giải quyết", version=request.version_id)
    assert request.status is RequestStatus.WITHDRAWN and request.withdrawn_at is not None
    answered = _answered(world, db)
    with nothing_written(), pytest.raises(DomainError):
        services.withdraw(answered, actor=world["founder"])
    other = _file(world)
    db.session.commit()
    with nothing_written(), pytest.raises(NotAllowed):
        services.withdraw(other, actor=world["staff"])
    with nothing_written(), pytest.raises(Conflict):
        services.withdraw(other, actor=world["founder"], version=other.version_id + 1)


def test_staff_route_and_route_again_with_a_reason(world, db):
    request = _file(world)
    services.route(request, world["body"], actor=world["staff"])
    assert request.status is RequestStatus.ROUTED and request.body is world["body"]
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.route(request, world["other_body"], actor=world["staff"])
    assert refused.value.field == "reason"
    with nothing_written(), pytest.raises(NotAllowed):
        services.route(request, world["other_body"], actor=world["founder"], reason="x")
    services.route(request, world["other_body"], actor=world["staff"], reason="Thuộc thẩm quyền của quận")
    assert request.body is world["other_body"]
    assert [e.kind for e in request.events][-1] is EventKind.REROUTED
    assert request.events[-1].note == "Thuộc thẩm quyền của quận" and request.events[-1].visible_to_business


def test_asking_for_information_pauses_the_clock_and_adding_it_resumes(world, db):
    request = _file(world)  # Monday 02/03/2026: due 23/03
    assert request.due_on == date(2026, 3, 23)
    services.ask_information(request, actor=world["staff"], question="Gửi tờ khai thuế quý 4.",
                             today=date(2026, 3, 4))
    assert request.status is RequestStatus.AWAITING_INFORMATION and request.paused_since == date(2026, 3, 4)
    assert _mails(db, "request_information_asked")[0].to_address == world["founder"].email
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.route(request, world["body"], actor=world["staff"])
    services.add_information(request, actor=world["founder"], text="Tờ khai đính kèm.", today=date(2026, 3, 10))
    assert request.status is RequestStatus.SUBMITTED and request.paused_since is None
    assert request.due_on == date(2026, 3, 27) and request.paused_working_days == 4
    assert queries.due_soon(date(2026, 3, 24)) == [request]
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.add_information(request, actor=world["founder"], text="Thêm nữa")


def test_information_added_to_a_routed_request_goes_back_to_its_body(world, db):
    request = _file(world)
    services.route(request, world["body"], actor=world["staff"])
    services.ask_information(request, actor=world["staff"], question="?", today=date(2026, 3, 3))
    services.add_information(request, actor=world["founder"], text="Đây", today=date(2026, 3, 3))
    assert request.status is RequestStatus.ROUTED and request.due_on == date(2026, 3, 23)


def test_a_duplicate_is_merged_into_another_request_of_the_same_incubator(world, db, make):
    first, duplicate = _file(world), _file(world)
    services.merge(duplicate, first, actor=world["staff"], reason="Trùng nội dung")
    assert duplicate.status is RequestStatus.MERGED and duplicate.merged_into is first
    assert first.number in duplicate.events[-1].note
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.merge(first, first, actor=world["staff"])
    with nothing_written(), pytest.raises(DomainError):
        services.merge(first, duplicate, actor=world["staff"])  # into a closed one


def test_a_request_is_declined_with_a_reason(world, db):
    request = _file(world)
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.decline(request, actor=world["staff"], reason=" ")
    assert refused.value.field == "reason"
    services.decline(request, actor=world["staff"], reason="Không thuộc phạm vi của Sở")
    assert request.status is RequestStatus.DECLINED and request.decline_reason == "Không thuộc phạm vi của Sở"
    assert "Không thuộc phạm vi của Sở" in _mails(db, "request_declined")[0].body_text


def test_an_answer_is_approved_by_a_second_member_of_staff_and_sent(world, db):
    request = _file(world)
    services.route(request, world["body"], actor=world["staff"])
    answer = services.draft_answer(request, actor=world["staff"], text="Bản nháp")
    assert request.status is RequestStatus.ROUTED and not answer.is_approved
    assert not request.events[-1].visible_to_business  # the business does not see drafts
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.approve_answer(request, actor=world["staff"])
    with nothing_written(), pytest.raises(NotAllowed):
        services.approve_answer(request, actor=world["founder"])
    services.draft_answer(request, actor=world["staff"], text="Trả lời: nộp hồ sơ trực tuyến.",
                          version=answer.version_id)
    services.approve_answer(request, actor=world["second"], version=answer.version_id,
                            today=date(2026, 3, 13))
    assert request.status is RequestStatus.ANSWERED and request.answered_on == date(2026, 3, 13)
    assert answer.approved_by_id == world["second"].id and answer.sent_at is not None
    assert request.answered_on_time
    (mail,) = _mails(db, "request_answered")
    assert "nộp hồ sơ trực tuyến" in mail.body_text and mail.to_address == world["founder"].email
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.draft_answer(request, actor=world["staff"], text="Sửa")


def test_an_answer_received_from_the_body_comes_with_its_document(world, db):
    request = _file(world)
    services.route(request, world["body"], actor=world["staff"])
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.draft_answer(request, actor=world["staff"], text="Công văn số 12", source=AnswerSource.BODY)
    assert refused.value.field == "document"


def test_the_business_rates_the_answer_once(world, db):
    request = _answered(world, db)
    with nothing_written(), pytest.raises(NotAllowed):
        services.rate(request, actor=world["staff"], satisfied=True)
    services.rate(request, actor=world["founder"], satisfied=False, comment="Chưa rõ thời hạn")
    assert request.rating_satisfied is False and request.rating_comment == "Chưa rõ thời hạn"
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.rate(request, actor=world["founder"], satisfied=True)


def test_a_request_not_consented_is_never_published(world, db):
    request = _answered(world, db, consent=PublicationConsent.NOT_PUBLISHED)
    with nothing_written(), pytest.raises(DomainError):
        services.prepare_publication(request, actor=world["staff"], title="T", text="X")
    with nothing_written(), pytest.raises(DomainError):
        services.publish(request, actor=world["staff"])
    # Even set by hand, the public list and page never show it.
    request.published_at = request.filed_at
    db.session.commit()
    assert db.session.scalars(queries.published_answers()).all() == []
    assert queries.published_answer(request.id) is None


def test_an_anonymised_request_is_published_only_as_staff_prepared_it(world, db):
    request = _answered(world, db, consent=PublicationConsent.ANONYMISED)
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.publish(request, actor=world["staff"])
    assert refused.value.field == "public_text"
    services.prepare_publication(request, actor=world["staff"], title="Hoàn thuế cho phần mềm xuất khẩu",
                                 text="Một doanh nghiệp đề nghị hướng dẫn thủ tục hoàn thuế.")
    services.publish(request, actor=world["staff"])
    db.session.commit()
    (shown,) = db.session.scalars(queries.published_answers(search="hoan thue")).all()
    public = queries.public_view(shown)
    assert public.business is None and public.title == "Hoàn thuế cho phần mềm xuất khẩu"
    everything = " ".join(str(value) for value in vars(public).values())
    assert "Sông Hồng" not in everything and "Nguyễn Văn An" not in everything
    assert db.session.scalars(queries.published_answers(search="song hong")).all() == []
    assert db.session.scalars(queries.published_answers(search="nguyen van an")).all() == []
    assert public.working_days == 9  # acknowledged Monday 02/03, answered Friday 13/03


@pytest.mark.parametrize(("title", "text", "field"), [
    ("Hoàn thuế cho CÔNG TY CO PHAN PHAN MEM SONG HONG", "Một doanh nghiệp hỏi.", "public_title"),
    ("Hoàn thuế cho phần mềm", "Doanh nghiệp mã số thuế {tax} hỏi.", "public_text"),
    ("Hoàn thuế cho phần mềm", "Người hỏi: nguyễn văn an.", "public_text"),
    ("Hoàn thuế cho phần mềm", "Cán bộ ghi: Trần Thị Hồng Nhung hỏi.", "public_text"),
])
def test_an_anonymised_request_is_not_prepared_with_the_business_s_or_people_s_names(world, db, make, title,
                                                                                     text, field):
    other = make.user(Role.FOUNDER, full_name="Trần Thị Hồng Nhung")
    make.member(company=world["company"], user=other)
    world["founder"].full_name = "Nguyễn Văn An"
    request = _answered(world, db, consent=PublicationConsent.ANONYMISED)
    text = text.format(tax=world["company"].tax_code)
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.prepare_publication(request, actor=world["staff"], title=title, text=text)
    assert refused.value.field == field
    # Written by other means (before the rule), it is not published either.
    request.public_title, request.public_text = title, text
    with pytest.raises(DomainError) as refused:
        services.publish(request, actor=world["staff"])
    assert refused.value.field == field and not request.is_published
    db.session.rollback()


def test_an_anonymised_request_may_mention_words_of_a_name_that_are_not_the_name(world, db):
    world["founder"].full_name = "Nguyễn Văn An"
    request = _answered(world, db, consent=PublicationConsent.ANONYMISED)
    services.prepare_publication(request, actor=world["staff"], title="Phần mềm xuất khẩu",
                                 text="Một doanh nghiệp ở Sông Hồng hỏi; ông Nguyễn Văn Ant không liên quan.")
    services.publish(request, actor=world["staff"])
    assert request.is_published


def test_a_named_request_is_published_with_the_business_and_can_be_withdrawn(world, db):
    request = _answered(world, db)
    services.publish(request, actor=world["staff"])
    db.session.commit()
    public = queries.public_view(queries.published_answer(request.id))
    assert public.business == "Công ty Cổ phần Phần mềm Sông Hồng" and public.body == "Phòng Bưu chính, Viễn thông"
    assert db.session.scalars(queries.published_answers(search="song hong", year=2026)).all() == [request]
    assert db.session.scalars(queries.published_answers(year=2025)).all() == []
    with nothing_written(), pytest.raises(DomainError):
        services.publish(request, actor=world["staff"])
    services.unpublish(request, actor=world["staff"], reason="Doanh nghiệp đề nghị")
    db.session.commit()
    assert queries.published_answer(request.id) is None


def test_an_unanswered_request_is_not_published(world, db):
    request = _file(world)
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.publish(request, actor=world["staff"])


def test_staff_of_another_incubator_do_not_handle_the_request(world, db, make):
    from incubator.organisation import services as organisation
    from incubator.organisation.current import NoIncubatorChosen, use_incubator

    vuhn = world["staff"].role_rows[0].incubator_id
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    stranger = make.user(Role.STAFF, incubator=hn2)
    db.session.commit()
    with nothing_written(), pytest.raises(NoIncubatorChosen):  # several incubators: the founder chooses
        _file(world)
    with use_incubator(vuhn):
        request = _file(world)
    db.session.commit()
    with nothing_written(), pytest.raises(NotAllowed):
        services.route(request, world["body"], actor=stranger)
    services.route(request, world["body"], actor=world["staff"])


def test_the_staff_list_filters_and_finds_without_diacritics(world, db):
    first = _file(world, title="Thuê mặt bằng ở Hòa Lạc")
    second = _file(world, today=date(2026, 3, 3))
    services.route(second, world["body"], actor=world["staff"])
    db.session.commit()
    assert db.session.scalars(queries.staff_list(search="hoa lac")).unique().all() == [first]
    assert db.session.scalars(queries.staff_list(body_id=world["body"].id)).unique().all() == [second]
    assert db.session.scalars(queries.staff_list(overdue=True, today=date(2026, 3, 24))).unique().all() == [first]
    assert queries.overdue(date(2026, 3, 25)) == [first, second]


def test_figures_per_quarter(world, db):
    on_time = _answered(world, db)  # acknowledged 02/03, due 23/03, answered 13/03
    services.rate(on_time, actor=world["founder"], satisfied=True)
    late = _file(world, today=date(2026, 3, 2))
    _file(world, today=date(2026, 4, 1))
    db.session.commit()
    quarters = dict(queries.figures_by_quarter(2026))
    q1 = quarters[1].total
    assert (q1.received, q1.answered, q1.on_time, q1.overdue, q1.rated, q1.satisfied) == (2, 1, 1, 1, 1, 1)
    assert q1.median_days == 11 and q1.satisfaction == 1
    assert quarters[2].total.received == 1
    assert [name for name, _ in quarters[1].by_category] == ["Thuế và tài chính"]
    assert late.status is RequestStatus.SUBMITTED


def _pdf(name: str = "to-khai.pdf"):
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from incubator.uploads import check_pdf
    from tests.helpers import blank_pdf

    return check_pdf(FileStorage(BytesIO(blank_pdf()), filename=name), "attachments")


def test_attachments_are_stored_when_filing_and_when_adding_information(world, db, app):
    request = _file(world, attachments=[_pdf("de-nghi.pdf")])
    services.ask_information(request, actor=world["staff"], question="Bổ sung tờ khai", today=date(2026, 3, 3))
    services.add_information(request, actor=world["founder"], text="Đính kèm", attachments=[_pdf()],
                             today=date(2026, 3, 4))
    db.session.commit()
    assert [a.original_name for a in request.attachments] == ["de-nghi.pdf", "to-khai.pdf"]
    from incubator import uploads

    assert request.attachments and all(uploads.exists(services.UPLOAD_KIND, a.stored_name) for a in request.attachments)
    too_many = [_pdf() for _ in range(services.MAX_ATTACHMENTS)]
    services.ask_information(request, actor=world["staff"], question="Thêm", today=date(2026, 3, 5))
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.add_information(request, actor=world["founder"], text="Nhiều", attachments=too_many,
                                 today=date(2026, 3, 5))
    assert refused.value.field == "attachments"
    db.session.rollback()
    assert not any(uploads.exists(services.UPLOAD_KIND, pdf.stored_name) for pdf in too_many)


def test_who_may_read_and_handle_a_request(world, db, make):
    from incubator.requests import permissions

    request = _file(world)
    db.session.commit()
    stranger = make.user(Role.FOUNDER)
    official = make.user(Role.OFFICIAL)
    assert permissions.can_read_request(world["founder"], request)
    assert permissions.can_read_request(world["staff"], request)
    assert not permissions.can_read_request(stranger, request)
    assert not permissions.can_read_request(official, request)
    assert permissions.can_handle_request(world["staff"], request)
    assert not permissions.can_handle_request(world["founder"], request)
    assert permissions.can_withdraw_request(world["founder"], request)
    assert not permissions.can_rate_answer(world["founder"], request)
    assert not permissions.can_read_published(request)
    assert permissions.can_file_for(world["founder"], world["company"])
    assert not permissions.can_file_for(stranger, world["company"])


def test_with_several_incubators_the_founder_files_in_one_the_business_works_with(world, db, make):
    from incubator.organisation import services as organisation

    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    hn3 = organisation.create("HN3", "Vườn ươm Hà Nội 3", "Hà Nội incubator 3")
    make.residency(company=world["company"], incubator=hn2)
    db.session.commit()
    assert [i.code for i in services.incubator_choices(world["company"])] == ["HN2"]
    request = _file(world, incubator_id=hn2.id)
    assert request.incubator_id == hn2.id
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        _file(world, incubator_id=hn3.id)
    assert refused.value.field == "incubator"


# ---- Filed by staff on the business's behalf (a question from the floor of a dialogue conference) ----------

def _on_behalf(world, **kw) -> BusinessRequest:
    kw.setdefault("title", "Thuê mặt bằng tại khu CNTT tập trung")
    kw.setdefault("text", "Doanh nghiệp hỏi về ưu đãi thuê mặt bằng.")
    kw.setdefault("raised_at", "Hội nghị đối thoại quý I (05/03/2026)")
    return services.file_on_behalf(world["company"], actor=world["staff"], category=world["category"],
                                   incubator_id=world["staff_incubator"],
                                   today=MONDAY, **kw)


@pytest.fixture
def behalf(world, db):
    from incubator.organisation.models import Incubator

    world["staff_incubator"] = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == "VUHN"))
    return world


def test_staff_file_a_question_from_the_floor_on_the_business_s_behalf(behalf, db, make):
    world = behalf
    other_founder = make.user(Role.FOUNDER, email="dongsanglap@example.vn")
    make.member(company=world["company"], user=other_founder)
    with nothing_written(), pytest.raises(NotAllowed):
        services.file_on_behalf(world["company"], actor=world["founder"], category=world["category"], title="T",
                                text="X", raised_at="Hội nghị", incubator_id=world["staff_incubator"])
    request = _on_behalf(world)
    db.session.commit()
    assert request.number.startswith("KN-2026-") and request.status is RequestStatus.SUBMITTED
    assert request.filed_by == world["staff"] and request.acknowledged_on == MONDAY
    assert request.due_on == date(2026, 3, 23)  # 15 working days from Tuesday 03/03
    assert request.consent is PublicationConsent.NOT_PUBLISHED
    (filed,) = request.events
    assert filed.kind is EventKind.FILED and filed.visible_to_business
    assert filed.raised_at == "Hội nghị đối thoại quý I (05/03/2026)"
    mails = _mails(db, "request_acknowledged")
    assert sorted(m.to_address for m in mails) == sorted([world["founder"].email, other_founder.email])
    assert all(request.number in m.body_text and "Hội nghị đối thoại quý I" in m.body_text for m in mails)
    assert world["staff"].email not in [m.to_address for m in mails]
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "business_requests")) \
        == "request.file_on_behalf"


def test_a_request_filed_on_behalf_may_be_routed_at_once_and_its_mail_goes_to_the_founders(behalf, db):
    world = behalf
    request = _on_behalf(world, body=world["body"])
    assert request.status is RequestStatus.ROUTED and request.body == world["body"]
    assert [e.kind for e in request.events] == [EventKind.FILED, EventKind.ROUTED]
    services.draft_answer(request, actor=world["staff"], text="Ưu đãi 20% diện tích.")
    services.approve_answer(request, actor=world["second"], today=date(2026, 3, 5))
    (mail,) = _mails(db, "request_answered")
    assert mail.to_address == world["founder"].email


def test_a_request_filed_on_behalf_is_published_only_once_a_founder_consents(behalf, db):
    world = behalf
    request = _on_behalf(world, body=world["body"])
    services.draft_answer(request, actor=world["staff"], text="Ưu đãi 20% diện tích.")
    services.approve_answer(request, actor=world["second"], today=date(2026, 3, 5))
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.publish(request, actor=world["staff"])
    with nothing_written(), pytest.raises(NotAllowed):
        services.set_consent(request, actor=world["staff"], consent=PublicationConsent.NAMED)
    with nothing_written(), pytest.raises(DomainError):
        services.set_consent(request, actor=world["founder"], consent="everyone")
    services.set_consent(request, actor=world["founder"], consent=PublicationConsent.NAMED,
                         version=request.version_id)
    db.session.commit()
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "business_requests")
                             .order_by(AuditEntry.id.desc()).limit(1)) == "request.consent"
    services.publish(request, actor=world["staff"])
    db.session.commit()
    assert request.is_published
    with nothing_written(), pytest.raises(DomainError):
        services.set_consent(request, actor=world["founder"], consent=PublicationConsent.NOT_PUBLISHED)


def test_staff_file_on_behalf_only_of_a_verified_business(behalf, db, make):
    world = behalf
    unverified = make.company(name="Công ty chưa xác minh", verified_at=None)
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.file_on_behalf(unverified, actor=world["staff"], category=world["category"], title="T",
                                text="X", raised_at="Hội nghị", incubator_id=world["staff_incubator"])
    assert refused.value.field == "company"
