"""The minutes of a dialogue conference are drawn once as a PDF, but what they print of each request follows
its business's consent to the end (issue 21: "nothing unpublished, and no personal data beyond what was
consented, ever shows"): a founder who withdraws consent after the minutes were made (or published) finds the
PDF drawn again without the request; and an answer given at the conference that names an anonymised business
is printed neither in the PDF nor on the public page."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader

from incubator.dialogue import services
from incubator.requests import services as requests
from incubator.requests.enums import PublicationConsent
from tests.dialogue.conftest import PAST


def _text(pdf: bytes) -> str:
    return " ".join("".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())


def _held(world, request, answer: str):
    conference = services.plan(actor=world["staff"], starts_at=PAST, bodies=[world["body"]], place="Hội trường",
                               title="Đối thoại với doanh nghiệp CNTT quý I/2026", chair="Phó Giám đốc Sở")
    item = services.add_item(conference, request, actor=world["staff"])
    services.record_answer(item, actor=world["staff"], text=answer)
    services.hold(conference, actor=world["staff"])
    services.make_minutes(conference, actor=world["staff"], number="12/BB-VƯ", conclusions="Kết luận.")
    return conference


def test_consent_withdrawn_after_the_minutes_draws_them_again_without_the_request(world, db, client):
    request = world["file"](title="Hoàn thuế cho phần mềm xuất khẩu")
    conference = _held(world, request, "Hoàn thuế trong sáu ngày làm việc.")
    services.publish(conference, actor=world["staff"])
    db.session.commit()
    before = _text(conference.minutes_pdf)
    assert "Hoàn thuế cho phần mềm xuất khẩu" in before and "Sông Hồng" in before
    assert "Hoàn thuế trong sáu ngày làm việc." in before
    requests.set_consent(request, actor=world["founder"], consent=PublicationConsent.NOT_PUBLISHED)
    db.session.commit()
    db.session.expire_all()
    after = _text(client.get(f"/dialogue/published/{conference.id}/minutes.pdf").data)
    assert request.number in after and "12/BB-VƯ" in after
    for gone in ("Hoàn thuế cho phần mềm xuất khẩu", "Sông Hồng", "Hoàn thuế trong sáu ngày làm việc."):
        assert gone not in after
    place_date = re.compile(r"Hà Nội, ngày \d\d tháng \d\d? năm \d{4}")
    assert place_date.search(after).group(0) == place_date.search(before).group(0)  # dated as they were made
    page = client.get(f"/dialogue/published/{conference.id}").get_data(as_text=True)
    assert "Sông Hồng" not in page and "Hoàn thuế trong sáu ngày làm việc." not in page


def test_an_answer_given_that_names_an_anonymised_business_is_not_printed(world, db, client):
    request = world["file"](consent=PublicationConsent.ANONYMISED)
    requests.prepare_publication(request, actor=world["staff"], title="Hoàn thuế cho phần mềm xuất khẩu",
                                 text="Một doanh nghiệp đề nghị hướng dẫn hoàn thuế.")
    conference = _held(world, request, "Trả lời Công ty Cổ phần Phần mềm Sông Hồng: hoàn thuế trong sáu ngày.")
    services.publish(conference, actor=world["staff"])
    db.session.commit()
    printed = _text(conference.minutes_pdf)
    assert "Hoàn thuế cho phần mềm xuất khẩu" in printed  # the version prepared without names
    assert "Sông Hồng" not in printed and "hoàn thuế trong sáu ngày" not in printed
    page = client.get(f"/dialogue/published/{conference.id}").get_data(as_text=True)
    assert "Hoàn thuế cho phần mềm xuất khẩu" in page
    assert "Sông Hồng" not in page and "hoàn thuế trong sáu ngày" not in page


def test_an_answer_given_that_names_no_one_is_printed_for_an_anonymised_business(world, db):
    request = world["file"](consent=PublicationConsent.ANONYMISED)
    requests.prepare_publication(request, actor=world["staff"], title="Hoàn thuế cho phần mềm xuất khẩu",
                                 text="Một doanh nghiệp đề nghị hướng dẫn hoàn thuế.")
    conference = _held(world, request, "Cục Thuế hoàn thuế trong sáu ngày làm việc.")
    assert "Cục Thuế hoàn thuế trong sáu ngày làm việc." in _text(conference.minutes_pdf)
