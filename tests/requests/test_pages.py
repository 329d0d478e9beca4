"""The pages of businesses' requests (issue 21), through the HTTP test client: the founder files, follows, adds
information, withdraws and rates; staff list, route, ask, merge, decline, answer, approve (a second member of
staff), prepare and publish; anyone reads the published answers and their feed, and nothing else."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.requests import services
from incubator.requests.enums import BodyKind, PublicationConsent, RequestKind, RequestOrigin, RequestStatus
from incubator.requests.models import AnsweringBody, BusinessRequest, CalendarDay, RequestCategory
from tests.helpers import blank_pdf, count_queries, csrf_token, login, nothing_written

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(make, db):
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER, full_name="Nguyễn Văn An")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, full_name="Trần Thị Bình")
    second = make.user(Role.STAFF, full_name="Lê Văn Cường")
    body = services.save_body(None, actor=staff, name_vi="Cục Thuế thành phố Hà Nội", name_en="Hà Nội Tax Department",
                              kind=BodyKind.OTHER_DEPARTMENT, contact_email="cucthue@example.vn")
    other_body = services.save_body(None, actor=staff, name_vi="UBND quận Cầu Giấy", kind=BodyKind.DISTRICT)
    db.session.commit()
    category = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))
    return {"company": company, "founder": founder, "staff": staff, "second": second, "body": body,
            "other_body": other_body, "category": category}


def _file(world, db, *, consent=PublicationConsent.NAMED, title="Hoàn thuế giá trị gia tăng cho phần mềm",
          text="Công ty Sông Hồng đề nghị hướng dẫn hoàn thuế. Người liên hệ: Nguyễn Văn An.") -> BusinessRequest:
    request = services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                            category=world["category"], title=title, text=text, consent=consent)
    db.session.commit()
    return request


def _answered(world, db, **kw) -> BusinessRequest:
    request = _file(world, db, **kw)
    services.route(request, world["body"], actor=world["staff"])
    services.draft_answer(request, actor=world["staff"], text="Cục Thuế hướng dẫn: nộp hồ sơ hoàn thuế trực tuyến.")
    services.approve_answer(request, actor=world["second"])
    db.session.commit()
    return request


def _as(client_factory, user):
    client = client_factory()
    login(client, user)
    return client, csrf_token(client)


def _act(client, token, request, action, **fields):
    """POST a staff action's form, its fields prefixed with the action's name as the page writes them."""
    data = {f"{action}-csrf_token": token, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/requests/{request.id}/staff/{action}", data=data)


def _feed(data: bytes):
    return ET.fromstring(data)  # noqa: S314 - the application's own feed, parsed to prove it is XML


def _reload(db, request_id) -> BusinessRequest:
    db.session.expire_all()
    return db.session.get(BusinessRequest, request_id)


# ---- The founder ---------------------------------------------------------------------------------------------

def test_the_founders_navigation_leads_to_their_requests(world, client_factory):
    client, _token = _as(client_factory, world["founder"])
    html = client.get("/requests/mine").get_data(as_text=True)
    assert 'id="nav-requests"' in html and 'href="/requests/mine"' in html
    assert 'href="/requests/new"' in html


def test_a_founder_files_a_request_with_a_pdf_and_reads_its_number_and_due_date(world, client_factory, db):
    client, token = _as(client_factory, world["founder"])
    page = client.get("/requests/new").get_data(as_text=True)
    assert "Công ty Cổ phần Phần mềm Sông Hồng" in page and 'name="consent"' in page
    response = client.post("/requests/new", data={
        "csrf_token": token, "company": str(world["company"].id), "kind": "complaint",
        "category": str(world["category"].id), "title": "Chậm cấp phép mặt bằng", "text": "Nội dung chi tiết.",
        "consent": "anonymised", "attachments": (io.BytesIO(blank_pdf()), "giay-to.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    request = db.session.scalar(sa.select(BusinessRequest))
    assert request.number.startswith("KN-") and request.kind is RequestKind.COMPLAINT
    assert request.consent is PublicationConsent.ANONYMISED
    assert [a.original_name for a in request.attachments] == ["giay-to.pdf"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert request.number in page and request.due_on.strftime("%d/%m/%Y") in page
    assert "giay-to.pdf" in page
    download = client.get(f"/requests/{request.id}/attachments/{request.attachments[0].id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    mine = client.get("/requests/mine").get_data(as_text=True)
    assert request.number in mine and request.due_on.strftime("%d/%m/%Y") in mine


def test_a_request_without_its_fields_or_with_a_file_that_is_no_pdf_is_refused_and_nothing_written(
        world, client_factory, db):
    client, token = _as(client_factory, world["founder"])
    with nothing_written():
        response = client.post("/requests/new", data={"csrf_token": token, "company": str(world["company"].id)})
        assert response.status_code == 400
        response = client.post("/requests/new", data={
            "csrf_token": token, "company": str(world["company"].id), "kind": "request",
            "category": str(world["category"].id), "title": "T", "text": "X", "consent": "named",
            "attachments": (io.BytesIO(b"<html>not a pdf</html>"), "trick.pdf")}, content_type="multipart/form-data")
        assert response.status_code == 400


def test_a_business_not_yet_verified_cannot_file(make, client_factory, db):
    services.ensure_default_categories()
    founder = make.user(Role.FOUNDER)
    company = make.company(verified_at=None)
    make.member(company=company, user=founder)
    db.session.commit()
    client, token = _as(client_factory, founder)
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'id="file-request"' not in page
    with nothing_written():
        response = client.post("/requests/new", data={
            "csrf_token": token, "company": str(company.id), "kind": "request", "category": "1", "title": "T",
            "text": "X", "consent": "named"})
    assert response.status_code == 400


def test_another_founder_and_another_role_do_not_see_a_request(world, make, client_factory, db):
    request = _file(world, db)
    stranger = make.user(Role.FOUNDER)
    make.member(user=stranger)
    db.session.commit()
    client, token = _as(client_factory, stranger)
    assert client.get(f"/requests/{request.id}").status_code == 404
    with nothing_written():
        assert client.post(f"/requests/{request.id}/withdraw", data={"csrf_token": token}).status_code == 404
    assert request.number not in client.get("/requests/mine").get_data(as_text=True)
    mentor, _token = _as(client_factory, make.user(Role.MENTOR))
    assert mentor.get(f"/requests/{request.id}").status_code == 404
    assert mentor.get("/requests/").status_code == 403
    assert client_factory().get(f"/requests/{request.id}").status_code == 302  # to the login page


def test_the_founder_withdraws_after_a_confirmation_page_without_script(world, client_factory, db):
    request = _file(world, db)
    client, token = _as(client_factory, world["founder"])
    page = client.get(f"/requests/{request.id}/withdraw").get_data(as_text=True)
    assert 'id="confirm-withdraw"' in page and "<script" not in page.split("</nav>", 1)[1].split("<footer")[0]
    response = client.post(f"/requests/{request.id}/withdraw",
                           data={"csrf_token": token, "reason": "Đã tự giải quyết", "version": request.version_id})
    assert response.status_code == 302
    assert _reload(db, request.id).status is RequestStatus.WITHDRAWN
    # Closed: no way back, and the page no longer offers it.
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert 'id="withdraw"' not in page
    assert client.get(f"/requests/{request.id}/withdraw").status_code == 302


def test_asked_for_information_the_founder_adds_it_and_the_clock_runs_again(world, client_factory, db):
    request = _file(world, db)
    staff, token = _as(client_factory, world["staff"])
    response = _act(staff, token, request, "ask", question="Gửi tờ khai thuế quý 1.", version=request.version_id)
    assert response.status_code == 302
    assert _reload(db, request.id).status is RequestStatus.AWAITING_INFORMATION
    founder, token = _as(client_factory, world["founder"])
    page = founder.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Gửi tờ khai thuế quý 1." in page and 'id="send-information"' in page
    response = founder.post(f"/requests/{request.id}/information",
                            data={"csrf_token": token, "text": "Đã gửi tờ khai.",
                                  "attachments": (io.BytesIO(blank_pdf()), "to-khai.pdf")},
                            content_type="multipart/form-data")
    assert response.status_code == 302
    request = _reload(db, request.id)
    assert request.status is RequestStatus.SUBMITTED and not request.is_paused
    assert [a.original_name for a in request.attachments] == ["to-khai.pdf"]
    # Nothing asked any more: the door is closed.
    with nothing_written():
        response = founder.post(f"/requests/{request.id}/information", data={"csrf_token": token, "text": "Thêm"})
    assert response.status_code == 403


def test_the_founder_reads_the_answer_and_rates_it_once(world, client_factory, db):
    request = _answered(world, db)
    client, token = _as(client_factory, world["founder"])
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "nộp hồ sơ hoàn thuế trực tuyến" in page and 'id="send-rating"' in page
    # The staff's drafting is not on the business's timeline.
    assert "Trần Thị Bình" not in page
    response = client.post(f"/requests/{request.id}/rating",
                           data={"csrf_token": token, "satisfied": "no", "comment": "Chưa rõ thời hạn."})
    assert response.status_code == 302
    request = _reload(db, request.id)
    assert request.rating_satisfied is False and request.rating_comment == "Chưa rõ thời hạn."
    with nothing_written():
        assert client.post(f"/requests/{request.id}/rating",
                           data={"csrf_token": token, "satisfied": "yes"}).status_code == 403


def test_the_founders_pages_fit_a_phone(world, client_factory, db):
    request = _file(world, db)
    client, _token = _as(client_factory, world["founder"])
    for url in ("/requests/mine", "/requests/new", f"/requests/{request.id}"):
        html = client.get(url).get_data(as_text=True)
        assert 'name="viewport" content="width=device-width' in html
        assert "<table" not in html.split('id="content"', 1)[1], url  # lists and cards, no wide tables


# ---- Staff -------------------------------------------------------------------------------------------------

def test_staff_list_filters_marks_the_overdue_and_sorts_by_due_date(world, client_factory, db):
    first = _file(world, db, title="Alpha thứ nhất")
    late = _file(world, db, title="Beta trễ hạn")
    late.due_on = date(2020, 1, 6)
    routed = _file(world, db, title="Gamma đã chuyển")
    services.route(routed, world["body"], actor=world["staff"])
    db.session.commit()
    client, _token = _as(client_factory, world["staff"])
    html = client.get("/requests/").get_data(as_text=True)
    assert 'href="/requests/" id="menu-requests"' in html  # in the staff's menu
    assert html.index("Beta trễ hạn") < html.index("Alpha thứ nhất")  # the soonest due first
    assert "06/01/2020" in html and "table-danger" in html
    assert first.due_on.strftime("%d/%m/%Y") in html
    html = client.get("/requests/?sort=-due").get_data(as_text=True)
    assert html.index("Alpha thứ nhất") < html.index("Beta trễ hạn")
    html = client.get("/requests/?overdue=1").get_data(as_text=True)
    assert "Beta trễ hạn" in html and "Alpha thứ nhất" not in html
    html = client.get(f"/requests/?body={world['body'].id}").get_data(as_text=True)
    assert "Gamma đã chuyển" in html and "Alpha thứ nhất" not in html
    html = client.get("/requests/?status=routed").get_data(as_text=True)
    assert "Gamma đã chuyển" in html and "Beta trễ hạn" not in html
    html = client.get(f"/requests/?category={world['category'].id}&q=beta tre han").get_data(as_text=True)
    assert "Beta trễ hạn" in html and "Alpha thứ nhất" not in html  # searched without diacritics
    assert client.get("/requests/?status=nonsense&category=abc&sort=x").status_code == 200


def test_two_hundred_requests_are_paginated_in_the_same_queries_as_five(world, make, client_factory, db):
    categories = list(db.session.scalars(sa.select(RequestCategory).order_by(RequestCategory.id)))
    bodies = [world["body"], world["other_body"]]
    companies = [world["company"]]
    for _n in range(3):
        company = make.company()
        make.member(company=company, user=world["founder"])
        companies.append(company)

    def seed(n, start):
        for i in range(start, start + n):
            filed = services.file(companies[i % 4], actor=world["founder"], kind=RequestKind.REQUEST,
                                  category=categories[i % len(categories)], title=f"Kiến nghị số {i}",
                                  text="Nội dung", consent=PublicationConsent.NOT_PUBLISHED)
            if i % 3:
                services.route(filed, bodies[i % 2], actor=world["staff"])
        db.session.commit()

    client, _token = _as(client_factory, world["staff"])

    def measure(url="/requests/"):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    seed(5, 0)
    small = measure()
    seed(195, 5)
    assert measure() == small
    html = client.get("/requests/").get_data(as_text=True)
    assert len(re.findall(r'href="/requests/\d+"', html)) == 25
    assert 'class="pagination' in html and "page=8" in html
    assert len(re.findall(r'href="/requests/\d+"', client.get("/requests/?page=8").get_data(as_text=True))) == 25
    assert len(re.findall(r'href="/requests/\d+"', client.get("/requests/?page=9").get_data(as_text=True))) == 0


def test_staff_route_reroute_with_a_reason_answer_and_a_second_member_approves(world, client_factory, db):
    request = _file(world, db)
    staff, token = _as(client_factory, world["staff"])
    page = staff.get(f"/requests/{request.id}").get_data(as_text=True)
    for action in ("route", "ask", "merge", "decline", "answer"):
        assert f'id="action-{action}"' in page, action
    assert _act(staff, token, request, "route", body=str(world["body"].id)).status_code == 302
    request = _reload(db, request.id)
    assert request.status is RequestStatus.ROUTED and request.body_id == world["body"].id
    # Sent elsewhere: a reason is needed.
    with nothing_written():
        response = _act(staff, token, request, "route", body=str(world["other_body"].id))
    assert response.status_code == 400
    route_form = response.get_data(as_text=True).split('id="action-route"')[1].split("</section>")[0]
    assert '<div class="invalid-feedback d-block" id="route-reason-feedback">' in route_form
    assert _act(staff, token, request, "route", body=str(world["other_body"].id),
                reason="Thuộc thẩm quyền quận").status_code == 302
    assert _reload(db, request.id).body_id == world["other_body"].id
    response = _act(staff, token, request, "answer", text="Trả lời của quận.", source="staff", body="")
    assert response.status_code == 302
    # The one who drafted cannot approve.
    page = staff.get(f"/requests/{request.id}").get_data(as_text=True)
    assert 'id="action-approve"' not in page and 'id="approve-by-another"' in page
    answer_version = _reload(db, request.id).answer.version_id
    with nothing_written():
        assert _act(staff, token, request, "approve", version=answer_version).status_code == 400
    second, token2 = _as(client_factory, world["second"])
    assert 'id="action-approve"' in second.get(f"/requests/{request.id}").get_data(as_text=True)
    assert _act(second, token2, request, "approve", version=answer_version).status_code == 302
    request = _reload(db, request.id)
    assert request.status is RequestStatus.ANSWERED and request.answer.approved_by_id == world["second"].id


def test_staff_merge_a_duplicate_by_its_number_and_decline_with_a_reason(world, client_factory, db):
    original = _file(world, db, title="Bản gốc")
    duplicate = _file(world, db, title="Bản trùng")
    other = _file(world, db, title="Không thuộc phạm vi")
    staff, token = _as(client_factory, world["staff"])
    with nothing_written():
        response = _act(staff, token, duplicate, "merge", into="KN-1999-9999")
    assert response.status_code == 400
    assert _act(staff, token, duplicate, "merge", into=original.number).status_code == 302
    duplicate = _reload(db, duplicate.id)
    assert duplicate.status is RequestStatus.MERGED and duplicate.merged_into_id == original.id
    with nothing_written():
        assert _act(staff, token, other, "decline").status_code == 400
    assert _act(staff, token, other, "decline", reason="Không thuộc thẩm quyền thành phố.").status_code == 302
    assert _reload(db, other.id).status is RequestStatus.DECLINED
    founder, _token = _as(client_factory, world["founder"])
    assert "Không thuộc thẩm quyền thành phố." in founder.get(f"/requests/{other.id}").get_data(as_text=True)


def test_staff_actions_are_refused_to_founders_and_other_roles(world, make, client_factory, db):
    request = _file(world, db)
    for user in (world["founder"], make.user(Role.REVIEWER), make.user(Role.OFFICIAL)):
        db.session.commit()
        client, token = _as(client_factory, user)
        with nothing_written():
            response = _act(client, token, request, "route", body=str(world["body"].id))
        assert response.status_code == 403
    staff, token = _as(client_factory, world["staff"])
    assert staff.post(f"/requests/{request.id}/staff/nonsense", data={"csrf_token": token}).status_code == 404


def test_an_anonymised_request_is_published_only_once_prepared_without_names(world, client_factory, db):
    request = _answered(world, db, consent=PublicationConsent.ANONYMISED)
    staff, token = _as(client_factory, world["staff"])
    page = staff.get(f"/requests/{request.id}").get_data(as_text=True)
    assert 'id="action-prepare"' in page and 'id="action-publish"' not in page
    with nothing_written():
        assert _act(staff, token, request, "publish").status_code == 400
    assert _act(staff, token, request, "prepare", public_title="Hoàn thuế giá trị gia tăng cho phần mềm",
                public_text="Một doanh nghiệp đề nghị hướng dẫn hoàn thuế.").status_code == 302
    assert _act(staff, token, request, "publish").status_code == 302
    public = client_factory().get("/requests/answers/").get_data(as_text=True)
    assert "Một doanh nghiệp đề nghị hướng dẫn hoàn thuế." in public
    assert "Sông Hồng" not in public and "Nguyễn Văn An" not in public
    assert _act(staff, token, request, "unpublish").status_code == 302
    assert "hoàn thuế" not in client_factory().get("/requests/answers/").get_data(as_text=True)


def test_an_anonymised_request_s_text_to_publish_starts_empty_and_refuses_names(world, client_factory, db):
    request = _answered(world, db, consent=PublicationConsent.ANONYMISED)
    staff, token = _as(client_factory, world["staff"])
    page = staff.get(f"/requests/{request.id}").get_data(as_text=True)
    form = page[page.index('id="action-prepare"'):]
    form = form[:form.index("</form>")]
    original = re.search(r'id="original-question".*?</div>\s*</div>', page, re.S).group(0)
    assert "Nguyễn Văn An" in original  # shown for reference, outside the fields
    assert "Nguyễn Văn An" not in form.replace(original, "") and "Hoàn thuế giá trị gia tăng" not in \
        form.replace(original, "")
    with nothing_written():
        refused = _act(staff, token, request, "prepare", public_title="Hoàn thuế giá trị gia tăng",
                       public_text="Công ty Cổ phần Phần mềm Sông Hồng hỏi; liên hệ Nguyễn Văn An.")
    assert refused.status_code == 400
    assert re.search(r'<textarea(?=[^>]*is-invalid)[^>]*id="prepare-public_text"',
                     refused.get_data(as_text=True))
    assert _reload(db, request.id).public_text is None


def test_a_named_request_s_text_to_publish_starts_from_the_original(world, client_factory, db):
    request = _answered(world, db)
    staff, _token = _as(client_factory, world["staff"])
    page = staff.get(f"/requests/{request.id}").get_data(as_text=True)
    form = page[page.index('id="action-prepare"'):]
    assert "Nguyễn Văn An" in form[:form.index("</form>")] and 'id="original-question"' not in page


def test_a_request_not_to_be_published_offers_no_publication(world, client_factory, db):
    request = _answered(world, db, consent=PublicationConsent.NOT_PUBLISHED)
    staff, token = _as(client_factory, world["staff"])
    page = staff.get(f"/requests/{request.id}").get_data(as_text=True)
    assert 'id="action-prepare"' not in page and 'id="action-publish"' not in page
    with nothing_written():
        assert _act(staff, token, request, "publish").status_code == 400


def test_staff_keep_bodies_categories_and_calendar_days(world, client_factory, db):
    staff, token = _as(client_factory, world["staff"])
    html = staff.get("/requests/lists").get_data(as_text=True)
    assert "Cục Thuế thành phố Hà Nội" in html and "Thuế và tài chính" in html
    assert staff.post("/requests/bodies/new", data={"csrf_token": token, "name_vi": "Sở Tài chính",
                                                     "kind": "other_department", "active": "y"}).status_code == 302
    assert db.session.scalar(sa.select(AnsweringBody).where(AnsweringBody.name_vi == "Sở Tài chính")).active
    category = world["category"]
    assert staff.post(f"/requests/categories/{category.id}", data={
        "csrf_token": token, "name_vi": category.name_vi, "name_en": category.name_en, "time_limit_days": "10",
        "active": "y", "version": category.version_id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(RequestCategory, category.id).time_limit_days == 10
    with nothing_written():
        assert staff.post(f"/requests/categories/{category.id}", data={
            "csrf_token": token, "name_vi": "X", "name_en": "X", "time_limit_days": "0"}).status_code == 400
    assert staff.post("/requests/calendar", data={"csrf_token": token, "day": "02/01/2026", "kind": "day_off",
                                                  "note": "Nghỉ bù Tết Dương lịch"}).status_code == 302
    day = db.session.scalar(sa.select(CalendarDay))
    assert day.day == date(2026, 1, 2)
    assert "02/01/2026" in staff.get("/requests/lists?year=2026").get_data(as_text=True)
    with nothing_written():
        assert staff.post("/requests/calendar", data={"csrf_token": token, "day": "02/01/2026",
                                                      "kind": "day_off"}).status_code == 400
    assert staff.post(f"/requests/calendar/{day.id}/delete", data={"csrf_token": token}).status_code == 302
    assert db.session.scalar(sa.select(CalendarDay)) is None


# ---- The public ------------------------------------------------------------------------------------------

def test_published_answers_show_newest_first_searchable_without_diacritics_and_nothing_else(
        world, client_factory, db):
    named = _answered(world, db, title="Đặt hàng nền tảng số trong nước")
    services.publish(named, actor=world["staff"])
    anonymised = _answered(world, db, consent=PublicationConsent.ANONYMISED, title="Tên riêng Sông Hồng",
                           text="Bí mật của Sông Hồng")
    services.prepare_publication(anonymised, actor=world["staff"], title="Thủ tục thuế điện tử",
                                 text="Một doanh nghiệp hỏi về thủ tục thuế điện tử.")
    services.publish(anonymised, actor=world["staff"])
    _answered(world, db, consent=PublicationConsent.NOT_PUBLISHED, title="Không được công bố")
    unpublished = _answered(world, db, title="Đã trả lời, chưa công bố")
    open_one = _file(world, db, title="Đang xử lý")
    db.session.commit()
    client = client_factory()  # anonymous
    html = client.get("/requests/answers/").get_data(as_text=True)
    assert html.index("Thủ tục thuế điện tử") < html.index("Đặt hàng nền tảng số trong nước")  # newest first
    assert "Công ty Cổ phần Phần mềm Sông Hồng" in html  # the named one
    for hidden in ("Tên riêng Sông Hồng", "Bí mật", "Không được công bố", "Đã trả lời, chưa công bố",
                   "Đang xử lý", unpublished.number, open_one.number):
        assert hidden not in html
    assert html.count("public-answer") == 2
    assert "Cục Thuế thành phố Hà Nội" in html
    found = client.get("/requests/answers/?q=nen tang so").get_data(as_text=True)
    assert "Đặt hàng nền tảng số trong nước" in found and "Thủ tục thuế điện tử" not in found
    # A search never reaches what is not published (the original text of the anonymised request).
    assert "public-answer" not in client.get("/requests/answers/?q=bi mat").get_data(as_text=True)
    year = named.answered_on.year
    assert client.get(f"/requests/answers/?year={year}").get_data(as_text=True).count("public-answer") == 2
    assert "public-answer" not in client.get(f"/requests/answers/?year={year - 1}").get_data(as_text=True)
    assert client.get(f"/requests/answers/?category={world['category'].id}&body={world['body'].id}") \
        .get_data(as_text=True).count("public-answer") == 2
    assert "public-answer" not in client.get(
        f"/requests/answers/?body={world['other_body'].id}").get_data(as_text=True)


def test_the_atom_feed_is_valid_xml_of_the_published_answers_only(world, client_factory, db):
    named = _answered(world, db, title="Đặt hàng <nền tảng> & số", text="Nội dung & câu hỏi")
    services.publish(named, actor=world["staff"])
    _answered(world, db, consent=PublicationConsent.NOT_PUBLISHED, title="Không được công bố")
    anonymised = _answered(world, db, consent=PublicationConsent.ANONYMISED, title="Tên riêng Sông Hồng")
    services.prepare_publication(anonymised, actor=world["staff"], title="Câu hỏi ẩn danh", text="Không tên.")
    services.publish(anonymised, actor=world["staff"])
    db.session.commit()
    response = client_factory().get("/requests/answers.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = _feed(response.data)
    assert feed.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 2 and any("Đặt hàng <nền tảng> & số" in t for t in titles)
    text = response.get_data(as_text=True)
    assert "Không được công bố" not in text and "Tên riêng" not in text and "Nguyễn Văn An" not in text
    assert all(e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry"))


def test_the_public_pages_and_feed_filter_by_incubator_when_there_are_several(world, make, client_factory, db):
    from incubator.organisation import services as organisation

    named = _answered(world, db, title="Câu hỏi của VUHN")
    services.publish(named, actor=world["staff"])
    organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    client = client_factory()
    html = client.get("/requests/answers/").get_data(as_text=True)
    assert 'id="incubator"' in html and "Câu hỏi của VUHN" in html
    assert "Câu hỏi của VUHN" not in client.get("/requests/answers/?incubator=HN2").get_data(as_text=True)
    assert "Câu hỏi của VUHN" in client.get("/requests/answers/?incubator=VUHN").get_data(as_text=True)
    feed = _feed(client.get("/requests/answers.atom?incubator=HN2").data)
    assert feed.findall(f"{ATOM}entry") == []
    feed = _feed(client.get("/requests/answers.atom?incubator=VUHN").data)
    assert len(feed.findall(f"{ATOM}entry")) == 1


def test_an_answer_received_from_the_body_carries_its_document_which_the_business_reads_once_sent(
        world, client_factory, db):
    request = _file(world, db)
    services.route(request, world["body"], actor=world["staff"])
    db.session.commit()
    staff, token = _as(client_factory, world["staff"])
    with nothing_written():  # the body's answer without its document
        assert _act(staff, token, request, "answer", text="Văn bản của Cục Thuế.", source="body",
                    body=str(world["body"].id)).status_code == 400
    response = staff.post(f"/requests/{request.id}/staff/answer", data={
        "answer-csrf_token": token, "answer-text": "Văn bản của Cục Thuế.", "answer-source": "body",
        "answer-body": str(world["body"].id), "answer-document": (io.BytesIO(blank_pdf()), "cong-van.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert staff.get(f"/requests/{request.id}/answer.pdf").status_code == 200
    founder, _token = _as(client_factory, world["founder"])
    assert founder.get(f"/requests/{request.id}/answer.pdf").status_code == 404  # not sent yet
    second, token2 = _as(client_factory, world["second"])
    assert _act(second, token2, request, "approve").status_code == 302
    page = founder.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Văn bản của Cục Thuế." in page and f"/requests/{request.id}/answer.pdf" in page
    document = founder.get(f"/requests/{request.id}/answer.pdf")
    assert document.status_code == 200 and document.data.startswith(b"%PDF")


def test_with_several_incubators_the_founder_files_in_one_the_business_works_with(world, make, client_factory, db):
    from incubator.organisation import services as organisation
    from incubator.organisation.models import Incubator

    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    make.residency(company=world["company"])  # in VUHN
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    client, token = _as(client_factory, world["founder"])
    page = client.get("/requests/new").get_data(as_text=True)
    assert 'id="incubator"' in page and "VUHN" in page.split('id="incubator"')[1].split("</select>")[0]
    assert "HN2" not in page.split('id="incubator"')[1].split("</select>")[0]
    fields = {"csrf_token": token, "company": str(world["company"].id), "kind": "request",
              "category": str(world["category"].id), "title": "Kiến nghị", "text": "Nội dung", "consent": "named"}
    with nothing_written():
        assert client.post("/requests/new", data=fields).status_code == 400  # which one, unsaid
        assert client.post("/requests/new", data={**fields, "incubator": str(hn2.id)}).status_code == 400
    assert client.post("/requests/new", data={**fields, "incubator": str(vuhn.id)}).status_code == 302
    request = db.session.scalar(sa.select(BusinessRequest).execution_options(all_incubators=True))
    assert request.incubator_id == vuhn.id


def test_the_homes_lead_to_the_requests(world, client_factory, db):
    late = _file(world, db, title="Kiến nghị trễ hạn")
    late.due_on = date(2020, 1, 6)
    db.session.commit()
    staff, _token = _as(client_factory, world["staff"])
    home = staff.get("/home/staff").get_data(as_text=True)
    section = home.split('id="home-requests"')[1].split("</section>")[0]
    assert late.number in section and "06/01/2020" in section and "text-danger" in section
    founder, _token = _as(client_factory, world["founder"])
    assert 'id="home-requests"' in founder.get("/home/founder").get_data(as_text=True)


# ---- Answered within the day; a request filed on the business's behalf ---------------------------------------

def _took(html: str) -> list[str]:
    return [" ".join(t.split()) for t in re.findall(r'<span class="answer-took">(.*?)</span>', html, re.S)]


def test_an_answer_given_the_day_it_was_filed_reads_the_same_day_not_zero_working_days(world, client_factory, db):
    friday, saturday, monday = date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 9)
    for title, answered_on in (("Trả lời trong ngày", friday), ("Trả lời hôm thứ Bảy", saturday),
                               ("Trả lời sau một ngày làm việc", monday)):
        request = services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                                category=world["category"], title=title, text="Nội dung", today=friday,
                                consent=PublicationConsent.NAMED)
        services.route(request, world["body"], actor=world["staff"])
        services.draft_answer(request, actor=world["staff"], text="Trả lời")
        services.approve_answer(request, actor=world["second"], today=answered_on)
        services.publish(request, actor=world["staff"])
    db.session.commit()
    client = client_factory()
    with client.session_transaction() as session:
        session["locale"] = "en"
    took = _took(client.get("/requests/answers/").get_data(as_text=True))
    assert sorted(took) == sorted(["1 working day", "in less than a working day", "answered the same day"])
    assert not any(t.startswith("0") for t in took)
    with client.session_transaction() as session:
        session["locale"] = "vi"
    took = _took(client.get("/requests/answers/").get_data(as_text=True))
    assert len(took) == 3 and not any(t.startswith("0") for t in took)
    assert "trả lời ngay trong ngày" in took and "chưa đến một ngày làm việc" in took


def test_the_founder_chooses_publication_of_a_request_filed_on_the_business_s_behalf(world, client_factory, db):
    from incubator.organisation.models import Incubator

    vuhn = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == "VUHN"))
    request = services.file_on_behalf(world["company"], actor=world["staff"], category=world["category"],
                                      title="Ưu đãi thuê mặt bằng", text="Câu hỏi tại hội nghị",
                                      raised_at="Hội nghị đối thoại quý I (05/03/2026)", incubator_id=vuhn,
                                      body=world["body"])
    db.session.commit()
    client, token = _as(client_factory, world["founder"])
    with client.session_transaction() as session:
        session["locale"] = "en"
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Raised from the floor at Hội nghị đối thoại quý I (05/03/2026)" in page
    assert "answers to the survey" not in page and request.origin is RequestOrigin.DIALOGUE
    assert 'id="save-consent"' in page
    # Staff cannot post the founder's choice; the founder can.
    staff, staff_token = _as(client_factory, world["staff"])
    with nothing_written():
        assert staff.post(f"/requests/{request.id}/consent", data={"csrf_token": staff_token, "consent": "named",
                                                                   "version": request.version_id}).status_code == 404
    with nothing_written():
        assert client.post(f"/requests/{request.id}/consent", data={
            "csrf_token": token, "consent": "everyone", "version": request.version_id}).status_code == 400
    response = client.post(f"/requests/{request.id}/consent", data={
        "csrf_token": token, "consent": "anonymised", "version": request.version_id})
    assert response.status_code == 302
    assert _reload(db, request.id).consent is PublicationConsent.ANONYMISED
