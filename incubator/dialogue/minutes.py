"""The minutes (biên bản) of a dialogue conference as a PDF in the administrative format (Decree 30/2020/NĐ-CP:
the national heading, the issuing body and the number, place and date, the title, the body, the signatures),
in Vietnamese, the working language; and what of each request may be shown to anyone (the minutes are
published): only what its business consented to."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import force_locale

from incubator.dialogue.enums import QuestionKind
from incubator.pdf import StaticOnlyFetcher, html_to_pdf
from incubator.requests.enums import PublicationConsent
from incubator.requests.permissions import can_read_published

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def public_question(request, answer_text: str | None = None) -> dict:
    """What anyone may read of a request on the agenda: its number and category always; its question, the
    answer and the business's name only as consented (anonymised: the version staff prepared without names,
    and the answer given at the conference, ``answer_text``, only when it names neither the business nor its
    people: ``answer_shown``)."""
    from incubator.requests.services import names_the_business

    shown = can_read_published(request) or (
        request.consent is PublicationConsent.NAMED
        or (request.consent is PublicationConsent.ANONYMISED and bool(request.public_title and request.public_text)))
    title = (request.public_title or request.title) if shown else None
    answer_shown = shown and not (request.consent is PublicationConsent.ANONYMISED
                                  and names_the_business(request, answer_text))
    return {"number": request.number, "category": request.category.name, "title": title, "shown": shown,
            "answer_shown": answer_shown,
            "company": request.company.name if shown and request.consent is PublicationConsent.NAMED else None}


def place_and_date(day: date, place: str = "Hà Nội") -> str:
    """"Hà Nội, ngày 05 tháng 02 năm 2026" (Decree 30: a leading zero before days below 10, months 1 and 2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def minutes_html(conference, today: date) -> str:
    start, end = conference.starts_at.astimezone(TZ), conference.ends_at.astimezone(TZ)
    with force_locale("vi"):
        return render_template(
            "dialogue/minutes.html", conference=conference, start=start, end=end,
            items=[(item, public_question(item.request, item.answer_text)) for item in conference.items],
            floor=[q for q in conference.questions if q.kind is QuestionKind.FLOOR],
            issuing_body=(conference.incubator.name_vi if conference.incubator is not None else ""),
            place_date=place_and_date(today), lang="vi",
            paragraphs=lambda text: [line.strip() for line in (text or "").splitlines() if line.strip()])


def render_pdf(conference, today: date, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return html_to_pdf(minutes_html(conference, today), fetcher)
