"""The pages of dialogue conferences (issue 21), through the HTTP test client: staff plan, keep the agenda,
invite, record answers, hold, make and publish the minutes; a founder invited registers and raises a question;
anyone reads a published conference and its minutes, and nothing unpublished or not consented."""

from __future__ import annotations

import re
from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from incubator.dialogue import services
from incubator.dialogue.models import DialogueConference
from incubator.mail.models import OutboxMessage
from incubator.requests.enums import AnswerSource, PublicationConsent
from incubator.requests.models import BusinessRequest
from tests.dialogue.conftest import PAST, future
from tests.helpers import csrf_token, login


def _post(client, url, data, token_from):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from)})


def test_staff_plan_a_conference_put_a_request_on_the_agenda_and_invite(world, db, client):
    request = world["file"]()
    db.session.commit()
    login(client, world["staff"])
    response = _post(client, "/dialogue/new", {
        "title": "Đối thoại quý II", "starts_at": "08:30 15/12/2030", "minutes_long": "180",
        "place": "Hội trường Sở", "chair": "Giám đốc Sở", "bodies": str(world["body"].id)}, "/dialogue/new")
    assert response.status_code == 302, response.get_data(as_text=True)
    conference = db.session.scalar(sa.select(DialogueConference))
    assert conference.bodies == [world["body"]] and conference.starts_at.hour == 1  # 08:30 in Hà Nội
    page = f"/dialogue/{conference.id}"
    assert _post(client, f"{page}/staff/add_item", {"number": request.number}, page).status_code == 302
    refused = _post(client, f"{page}/staff/add_item", {"number": "KN-1999-0001"}, page)
    assert refused.status_code == 400 and "Không có kiến nghị nào" in refused.get_data(as_text=True)
    assert _post(client, f"{page}/staff/invite", {"concerned": "y", "emails": "hiephoi@example.vn"},
                 page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert request.number in html and "hiephoi@example.vn" in html and world["founder"].email in html
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                             .where(OutboxMessage.purpose == "dialogue_invitation")) == 2


def test_a_founder_invited_registers_and_raises_a_question(world, db, client):
    conference = services.plan(actor=world["staff"], title="Đối thoại quý II", starts_at=future(), chair="Chủ trì",
                               place="Hội trường")
    services.add_item(conference, world["file"](), actor=world["staff"])
    services.invite(conference, actor=world["staff"])
    db.session.commit()
    login(client, world["founder"])
    assert "Đối thoại quý II" in client.get("/dialogue/invitations").get_data(as_text=True)
    url = f"/dialogue/{conference.id}/register"
    response = _post(client, url, {
        "company": str(world["company"].id), "question_title": "Ưu đãi thuê văn phòng",
        "question_text": "Doanh nghiệp đề nghị ưu đãi giá thuê văn phòng.", "category": str(world["category"].id),
        "consent": "named"}, url)
    assert response.status_code == 302, response.get_data(as_text=True)
    filed = db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.title == "Ưu đãi thuê văn phòng"))
    assert filed is not None and filed.company_id == world["company"].id
    html = client.get(url).get_data(as_text=True)
    assert 'id="registered"' in html and filed.number in html


def test_a_founder_raising_a_question_chooses_publication_explicitly(world, db, client):
    conference = services.plan(actor=world["staff"], title="Đối thoại quý II", starts_at=future(), chair="Chủ trì",
                               place="Hội trường")
    services.add_item(conference, world["file"](), actor=world["staff"])
    services.invite(conference, actor=world["staff"])
    db.session.commit()
    login(client, world["founder"])
    url = f"/dialogue/{conference.id}/register"
    page = client.get(url).get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="consent"[^>]*>', page)
    assert len(radios) == 3 and not any("checked" in radio for radio in radios)
    question = {"company": str(world["company"].id), "question_title": "Ưu đãi thuê văn phòng",
                "question_text": "Doanh nghiệp đề nghị ưu đãi giá thuê văn phòng.",
                "category": str(world["category"].id)}
    refused = _post(client, url, question, url)
    assert refused.status_code == 400
    assert re.search(r'name="consent".*?invalid-feedback', refused.get_data(as_text=True), re.S)
    assert db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.title == "Ưu đãi thuê văn phòng")) \
        is None
    assert _post(client, url, {**question, "consent": "anonymised"}, url).status_code == 302
    filed = db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.title == "Ưu đãi thuê văn phòng"))
    assert filed.consent is PublicationConsent.ANONYMISED


def test_a_founder_not_invited_finds_nothing(world, db, client, make):
    from incubator.auth.enums import Role

    conference = services.plan(actor=world["staff"], title="Đối thoại", starts_at=future(), chair="Chủ trì",
                               place="Hội trường")
    db.session.commit()
    other = make.user(Role.FOUNDER)
    login(client, other)
    assert client.get(f"/dialogue/{conference.id}/register").status_code == 404
    assert client.get(f"/dialogue/{conference.id}").status_code == 404


def _held_and_minuted(world, db):
    conference = services.plan(actor=world["staff"], title="Đối thoại với doanh nghiệp CNTT quý I/2026",
                               starts_at=PAST, chair="Phó Giám đốc Sở", place="Hội trường tầng 6",
                               bodies=[world["body"]])
    named = world["file"](title="Hoàn thuế phần mềm xuất khẩu")
    private = world["file"](title="Tranh chấp hợp đồng riêng của Sông Hồng", consent=PublicationConsent.NOT_PUBLISHED)
    services.add_item(conference, named, actor=world["staff"])
    services.add_item(conference, private, actor=world["staff"])
    db.session.commit()
    return conference, named, private


def test_staff_record_answers_hold_make_and_publish_the_minutes(world, db, client, app):
    conference, named, private = _held_and_minuted(world, db)
    page = f"/dialogue/{conference.id}"
    login(client, world["staff"])
    item = conference.items[0]
    assert _post(client, f"{page}/staff/answer", {"item": str(item.id), "text": "Hoàn thuế trong sáu ngày."},
                 page).status_code == 302
    db.session.refresh(named)
    assert named.answer.source is AnswerSource.CONFERENCE and named.answer.text == "Hoàn thuế trong sáu ngày."
    assert _post(client, f"{page}/staff/floor", {"text": "Khi nào có gói tín dụng?", "outcome": "answered",
                                                 "answer_text": "Trong quý II.", "asked_by": "Bùi Thị Hoa"},
                 page).status_code == 302
    assert _post(client, f"{page}/staff/hold", {"version": conference.version_id}, page).status_code == 302
    db.session.refresh(conference)
    assert _post(client, f"{page}/staff/minutes", {"number": "05/BB-VƯ", "conclusions": "Các cơ quan trả lời đúng hạn.",
                                                   "version": conference.version_id}, page).status_code == 302
    pdf = client.get(f"{page}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    # Not published yet: the public pages know nothing of it.
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})
    assert client.get(f"/dialogue/published/{conference.id}").status_code == 404
    assert client.get(f"/dialogue/published/{conference.id}/minutes.pdf").status_code == 404
    assert "Đối thoại với doanh nghiệp CNTT" not in client.get("/dialogue/published/").get_data(as_text=True)
    login(client, world["staff"])
    db.session.refresh(conference)
    assert _post(client, f"{page}/staff/publish", {"version": conference.version_id}, page).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, page)})
    answers = client.get("/requests/answers/").get_data(as_text=True)
    assert 'id="conference-minutes"' in answers
    listing = client.get("/dialogue/published/").get_data(as_text=True)
    assert "Đối thoại với doanh nghiệp CNTT quý I/2026" in listing
    public = client.get(f"/dialogue/published/{conference.id}").get_data(as_text=True)
    assert "Hoàn thuế trong sáu ngày." in public and "Hoàn thuế phần mềm xuất khẩu" in public
    assert private.number in public and "Tranh chấp hợp đồng" not in public
    assert "Khi nào có gói tín dụng?" in public and "Bùi Thị Hoa" not in public
    minutes = client.get(f"/dialogue/published/{conference.id}/minutes.pdf")
    assert minutes.status_code == 200
    text = " ".join("".join(p.extract_text() for p in PdfReader(BytesIO(minutes.data)).pages).split())
    assert "BIÊN BẢN" in text and "05/BB-VƯ" in text and "Hoàn thuế trong sáu ngày." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and re.search(r"Hà Nội, ngày \d\d tháng", text)
    assert "Tranh chấp hợp đồng" not in text and "Bùi Thị Hoa" not in text


def test_staff_file_a_question_from_the_floor_as_a_request_of_a_business_present(world, db, client, make):
    conference = services.plan(actor=world["staff"], title="Đối thoại quý I", starts_at=PAST, minutes_long=120,
                               place="Hội trường", chair="Giám đốc Sở", bodies=[world["body"]])
    other = make.company(name="Công ty TNHH Phần mềm Hồ Tây")
    db.session.commit()
    page = f"/dialogue/{conference.id}"
    login(client, world["staff"])
    html = client.get(page).get_data(as_text=True)
    assert world["company"].name in html and other.name in html  # any verified business may be chosen
    refused = _post(client, f"{page}/staff/floor", {"text": "Hoàn thuế phần mềm xuất khẩu?", "outcome": "routed",
                                                    "body": str(world["body"].id)}, page)
    assert refused.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BusinessRequest)) == 0
    response = _post(client, f"{page}/staff/floor", {
        "text": "Hoàn thuế phần mềm xuất khẩu?", "outcome": "routed", "body": str(world["body"].id),
        "company": str(world["company"].id), "category": str(world["category"].id)}, page)
    assert response.status_code == 302, response.get_data(as_text=True)
    filed = db.session.scalar(sa.select(BusinessRequest))
    assert filed.company_id == world["company"].id and filed.body_id == world["body"].id
    assert filed.consent is PublicationConsent.NOT_PUBLISHED
    assert filed.number in client.get(page).get_data(as_text=True)
