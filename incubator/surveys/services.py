"""The yearly survey (issue 22): one function per change, each checking that the change is allowed, auditing and
flushing; the request or command commits.

- Staff create a survey for a year (with the default questions, in both languages), edit its questions while it
  is a draft, open it (every business with a residency in the incubator during the year, on any day of it, is
  invited, and its founders are e-mailed), invite the businesses that got a residency since, and close it.
- Founders save drafts (the version they read is checked) and submit once, every required question answered,
  by the deadline (inclusive, in Hà Nội); a submitted response is read-only unless staff reopen it, with a
  reason.
- ``send_reminders`` (the daily ``flask surveys remind``) e-mails the founders of the businesses that have not
  submitted, 7 days and 1 day before the deadline, each once; it closes the surveys whose deadline has passed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.applications.enums import QuestionKind
from incubator.audit import services as audit
from incubator.companies.models import Company, Residency
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.i18n import fmt_date, local_today
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyQuestion, SurveyResponse

# The founders' page of a response (the views' endpoint), which the e-mails link to.
ANSWER_PAGE = "surveys.answer"
# Days before the deadline on which the founders of a business that has not submitted are reminded.
REMIND_DAYS_BEFORE = (7, 1)
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class TransitionRefused(DomainError):
    status_code = 409


def _choice(value, vi, en=None) -> dict:
    return {"value": value, "label_vi": vi, "label_en": en or vi}


def default_questions(year: int) -> list[dict]:
    """The default questions of a survey for ``year``, in their order; each with the key that stays the same
    every year (so that years compare: see survey-spec), both languages, and its choices' stable values."""
    money = QuestionKind.MONEY
    vnd_vi, vnd_en = "Đơn vị: đồng.", "In VND."
    return [
        {"key": "revenue_total", "kind": money, "required": True,
         "label_vi": f"Tổng doanh thu năm {year}", "label_en": f"Total revenue in {year}",
         "help_vi": "Đơn vị: đồng, theo báo cáo tài chính của năm (hoặc số ước tính nếu chưa quyết toán).",
         "help_en": "In VND, as in the year's financial statements (or an estimate if they are not closed yet)."},
        {"key": "revenue_software", "kind": money, "label_vi": "Trong đó: doanh thu từ sản phẩm phần mềm",
         "label_en": "Of which: revenue from software", "help_vi": vnd_vi, "help_en": vnd_en},
        {"key": "revenue_digital_content", "kind": money, "label_vi": "Trong đó: doanh thu từ nội dung số",
         "label_en": "Of which: revenue from digital content", "help_vi": vnd_vi, "help_en": vnd_en},
        {"key": "revenue_it_services", "kind": money, "label_vi": "Trong đó: doanh thu từ dịch vụ công nghệ thông tin",
         "label_en": "Of which: revenue from IT services", "help_vi": vnd_vi, "help_en": vnd_en},
        {"key": "revenue_exports", "kind": money, "label_vi": "Trong đó: doanh thu xuất khẩu",
         "label_en": "Of which: revenue from exports", "help_vi": vnd_vi, "help_en": vnd_en},
        {"key": "employees_total", "kind": QuestionKind.NUMBER, "required": True,
         "label_vi": f"Tổng số lao động tại ngày 31/12/{year}", "label_en": f"Employees on 31/12/{year}",
         "help_vi": "Số người có hợp đồng lao động, kể cả người quản lý.",
         "help_en": "People under an employment contract, managers included."},
        {"key": "employees_it", "kind": QuestionKind.NUMBER, "required": True,
         "label_vi": "Trong đó: số lao động làm công nghệ thông tin", "label_en": "Of whom: IT staff"},
        {"key": "products", "kind": QuestionKind.LONG_TEXT, "max_length": 5000,
         "label_vi": "Sản phẩm, dịch vụ chính của doanh nghiệp",
         "label_en": "The business's main products and services",
         "help_vi": "Tên và mô tả ngắn của từng sản phẩm, dịch vụ; mỗi sản phẩm một dòng.",
         "help_en": "The name and a short description of each product or service, one a line."},
        {"key": "product_pillars", "kind": QuestionKind.MULTIPLE_CHOICE,
         "label_vi": "Sản phẩm phục vụ trụ cột chuyển đổi số nào?",
         "label_en": "Which pillars of digital transformation do the products serve?",
         "choices": [_choice("government", "Chính quyền số", "Digital government"),
                     _choice("economy", "Kinh tế số", "Digital economy"),
                     _choice("society", "Xã hội số", "Digital society")]},
        {"key": "products_on_market", "kind": QuestionKind.SINGLE_CHOICE,
         "label_vi": "Doanh nghiệp đã có sản phẩm được thương mại hóa trên thị trường chưa?",
         "label_en": "Does the business have a product on the market?",
         "choices": [_choice("yes", "Đã có", "Yes"), _choice("no", "Chưa có", "Not yet")]},
        {"key": "public_sector_customers", "kind": QuestionKind.NUMBER,
         "label_vi": "Số khách hàng là cơ quan, đơn vị nhà nước",
         "label_en": "Number of customers in the public sector"},
        {"key": "certificates_held", "kind": QuestionKind.MULTIPLE_CHOICE,
         "label_vi": "Chứng chỉ doanh nghiệp đang có hiệu lực", "label_en": "Certificates the business holds",
         "choices": [_choice("cmmi", "CMMI"), _choice("iso_9001", "ISO 9001"),
                     _choice("iso_iec_27001", "ISO/IEC 27001"), _choice("iso_iec_20000_1", "ISO/IEC 20000-1"),
                     _choice("other", "Chứng chỉ khác", "Another certificate")]},
        {"key": "difficulties", "kind": QuestionKind.LONG_TEXT, "max_length": 5000,
         "label_vi": "Khó khăn, vướng mắc của doanh nghiệp trong năm",
         "label_en": "Difficulties the business met during the year"},
        {"key": "proposals", "kind": QuestionKind.LONG_TEXT, "max_length": 5000,
         "label_vi": "Đề xuất, kiến nghị với thành phố và vườn ươm",
         "label_en": "Proposals to the city and the incubator",
         "help_vi": "Một kiến nghị cần cơ quan nhà nước trả lời có thể được chuyển thành kiến nghị của doanh nghiệp.",
         "help_en": "A proposal that a public body must answer may be turned into a request of the business."},
    ]


DEFAULT_KEYS = tuple(q["key"] for q in default_questions(2000))
# Answers that count people or customers: zero or more, like the amounts.
COUNT_KEYS = frozenset({"employees_total", "employees_it", "public_sector_customers"})


# ---- Surveys (staff) ---------------------------------------------------------------------------------------

def _check_dates(year: int, opens_on: date, deadline: date) -> None:
    if deadline < opens_on:
        raise DomainError(_l("The deadline cannot be before the survey opens."), field="deadline")
    if opens_on.year < year:
        raise DomainError(_l("A survey of a year opens during that year or after it."), field="opens_on")


def _year_taken(incubator_id: int | None, year: int, but: int | None = None) -> bool:
    from incubator.organisation.current import current_incubator_id

    incubator_id = incubator_id if incubator_id is not None else current_incubator_id()
    stmt = sa.select(Survey.id).where(Survey.incubator_id == incubator_id, Survey.year == year)
    if but is not None:
        stmt = stmt.where(Survey.id != but)
    return db.session.scalar(stmt.execution_options(all_incubators=True)) is not None


def create_survey(*, actor, year: int, title_vi: str, title_en: str, opens_on: date, deadline: date) -> Survey:
    """A draft survey of the incubator for ``year`` (one a year), with the default questions."""
    bounds.PROGRAMME.check(opens_on, "opens_on")
    bounds.PROGRAMME.check(deadline, "deadline")
    _check_dates(year, opens_on, deadline)
    if _year_taken(None, year):
        raise DomainError(_l("The incubator already has a survey for %(year)s.", year=year), field="year")
    survey = Survey(year=year, title_vi=title_vi, title_en=title_en, opens_on=opens_on, deadline=deadline,
                    status=SurveyStatus.DRAFT, created_by_id=getattr(actor, "id", None))
    for position, fields in enumerate(default_questions(year), start=1):
        survey.questions.append(SurveyQuestion(position=position, **fields))
    db.session.add(survey)
    db.session.flush()
    audit.record("survey.create", survey, label=survey.title_vi, to_state=SurveyStatus.DRAFT.value, actor=actor,
                 details={"year": year})
    return survey


def update_survey(survey: Survey, *, actor, version=None, title_vi: str, title_en: str, opens_on: date,
                  deadline: date) -> Survey:
    """Its titles and dates; while it is open, only a later deadline (an extension); closed, nothing."""
    expect_version(survey, version)
    if survey.is_closed:
        raise DomainError(_l("A closed survey cannot be changed."))
    bounds.PROGRAMME.check(opens_on, "opens_on")
    bounds.PROGRAMME.check(deadline, "deadline")
    if survey.is_open and opens_on != survey.opens_on:
        raise DomainError(_l("The survey is open: its opening day cannot change."), field="opens_on")
    if survey.is_open and deadline < survey.deadline:
        raise DomainError(_l("The survey is open: its deadline can be extended, not brought forward."),
                          field="deadline")
    _check_dates(survey.year, opens_on, deadline)
    before = {"deadline": survey.deadline.isoformat()}
    survey.title_vi, survey.title_en, survey.opens_on, survey.deadline = title_vi, title_en, opens_on, deadline
    db.session.flush()
    audit.record("survey.update", survey, label=survey.title_vi, actor=actor,
                 details={**before, "new_deadline": deadline.isoformat()})
    return survey


def _check_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise DomainError(_l("The survey has been opened: its questions can no longer change."))


def _check_question(question) -> None:
    if question.kind in CHOICE_KINDS and len(question.choices or []) < 2:
        raise DomainError(_l("A choice question needs at least two choices, one per line."), field="choices")


def _keep_choice_values(old: list, new: list) -> list:
    """Choices edited as lines of text keep, position by position, the values they had (a default question's
    ``government``, ``cmmi``…), so answers and other years still read them; a line added gets a new value."""
    taken = {c.get("value") for c in old}
    result = []
    for i, choice in enumerate(new):
        if i < len(old):
            value = old[i].get("value")
        else:
            n = i + 1
            while f"c{n}" in taken:
                n += 1
            value = f"c{n}"
            taken.add(value)
        result.append({**choice, "value": value})
    return result


def add_question(survey: Survey, *, actor, **fields) -> SurveyQuestion:
    _check_draft(survey)
    position = max((q.position for q in survey.questions), default=0) + 1
    question = SurveyQuestion(position=position, **fields)
    _check_question(question)  # before it joins the survey: a refused question never shows in its list
    question.survey = survey
    db.session.add(question)
    db.session.flush()
    audit.record("survey.question_add", survey, label=question.label_vi, actor=actor,
                 details={"question_id": question.id})
    return question


def update_question(question: SurveyQuestion, *, actor, **fields) -> SurveyQuestion:
    _check_draft(question.survey)
    if question.key and fields.get("kind", question.kind) is not question.kind:
        raise DomainError(_l("A default question keeps its kind of answer, so that years compare."), field="kind")
    if "choices" in fields:
        fields["choices"] = _keep_choice_values(question.choices or [], fields["choices"] or [])
    _check_question(SimpleNamespace(**{"kind": question.kind, "choices": question.choices, **fields}))
    for key, value in fields.items():
        setattr(question, key, value)
    db.session.flush()
    audit.record("survey.question_update", question.survey, label=question.label_vi, actor=actor,
                 details={"question_id": question.id, "hidden": question.hidden})
    return question


def move_question(question: SurveyQuestion, *, actor, up: bool) -> SurveyQuestion:
    """One place up or down in the survey's order (nothing at either end)."""
    survey = question.survey
    _check_draft(survey)
    ordered = sorted(survey.questions, key=lambda q: (q.position, q.id))
    i = ordered.index(question)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(ordered):
        return question
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for position, q in enumerate(ordered, start=1):
        q.position = position
    db.session.flush()
    db.session.expire(survey, ["questions"])
    audit.record("survey.question_move", survey, label=question.label_vi, actor=actor,
                 details={"question_id": question.id, "position": j + 1})
    return question


def remove_question(question: SurveyQuestion, *, actor) -> None:
    """While the survey is a draft, a question staff added may be removed; a default question is hidden instead
    (its key is what compares years)."""
    survey = question.survey
    _check_draft(survey)
    if question.key:
        raise DomainError(_l("A default question can be hidden, not removed."))
    db.session.delete(question)
    db.session.flush()
    db.session.expire(survey, ["questions"])
    audit.record("survey.question_remove", survey, label=question.label_vi, actor=actor)


# ---- Who is invited ----------------------------------------------------------------------------------------

def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def residents_of_year(incubator_id: int, year: int) -> dict[int, object]:
    """The businesses with a residency in the incubator during ``year`` (on any day of it, both dates of a
    residency inclusive): company id → the kind of its latest residency of that year."""
    first, last = year_bounds(year)
    rows = db.session.execute(
        sa.select(Residency.company_id, Residency.kind)
        .where(Residency.incubator_id == incubator_id, Residency.starts_on <= last,
               sa.or_(Residency.ends_on.is_(None), Residency.ends_on >= first))
        .order_by(Residency.company_id, Residency.starts_on, Residency.id)
        .execution_options(all_incubators=True))
    kinds: dict[int, object] = {}
    for company_id, kind in rows:
        kinds[company_id] = kind  # the latest one wins
    return kinds


def _invite(survey: Survey, *, actor) -> list[SurveyResponse]:
    """A response for each business of the year not invited yet, its founders e-mailed."""
    invited = set(db.session.scalars(sa.select(SurveyResponse.company_id)
                                     .where(SurveyResponse.survey_id == survey.id)
                                     .execution_options(all_incubators=True)))
    added = []
    for company_id, kind in residents_of_year(survey.incubator_id, survey.year).items():
        if company_id in invited:
            continue
        response = SurveyResponse(survey=survey, company_id=company_id, residency_kind=kind,
                                  status=ResponseStatus.INVITED, answers={})
        db.session.add(response)
        added.append(response)
    db.session.flush()
    for response in added:
        _mail_founders(response, "survey_invitation", event=f"survey-invitation:{response.id}")
    return added


def _link(response: SurveyResponse) -> str:
    from incubator.urls import external_url

    return external_url(ANSWER_PAGE, response_id=response.id)


def _mail_founders(response: SurveyResponse, template: str, *, event: str, days_left: int | None = None) -> int:
    """E-mail each founder of the response's business (in their language, Vietnamese by default); returns how
    many messages were queued (an event already mailed to an address is not sent again)."""
    from incubator.companies.queries import founders_of
    from incubator.mail.services import send_to

    survey, company = response.survey, db.session.get(Company, response.company_id)
    queued = 0
    def subject() -> str:  # made in each founder's language
        if template == "survey_invitation":
            return _("Survey %(year)s of the incubator: to answer by %(deadline)s", year=survey.year,
                     deadline=fmt_date(survey.deadline))
        return _("Reminder: the survey %(year)s is to be answered by %(deadline)s", year=survey.year,
                 deadline=fmt_date(survey.deadline))

    for founder in founders_of(response.company_id):
        if send_to(founder, template, subject, event=f"{event}:{founder.id}", survey=survey, response=response,
                   company=company, link=_link(response), days_left=days_left) is not None:
            queued += 1
    return queued


def open_survey(survey: Survey, *, actor, today: date | None = None) -> list[SurveyResponse]:
    """Draft → open: every business with a residency in the incubator during the year is invited (its residency
    kind kept on its response) and its founders e-mailed. Returns the responses made."""
    today = today or local_today()
    if not survey.status.allows(SurveyStatus.OPEN):
        raise TransitionRefused(_l("Only a survey being prepared can be opened."))
    if not survey.visible_questions:
        raise DomainError(_l("The survey has no question to answer."))
    if survey.deadline < today:
        raise DomainError(_l("The deadline has passed: set a later deadline before opening the survey."),
                          field="deadline")
    survey.status, survey.opened_at, survey.opened_by_id = SurveyStatus.OPEN, utcnow(), getattr(actor, "id", None)
    db.session.flush()
    added = _invite(survey, actor=actor)
    audit.record("survey.open", survey, label=survey.title_vi, from_state=SurveyStatus.DRAFT.value,
                 to_state=SurveyStatus.OPEN.value, actor=actor, details={"invited": len(added)})
    return added


def invite_added_since(survey: Survey, *, actor) -> list[SurveyResponse]:
    """While the survey is open: invite the businesses that got a residency of the year since it opened (or
    since the last time this was done)."""
    if not survey.is_open:
        raise DomainError(_l("Only an open survey can invite more businesses."))
    added = _invite(survey, actor=actor)
    if added:
        audit.record("survey.invite", survey, label=survey.title_vi, actor=actor,
                     details={"invited": len(added), "company_ids": [r.company_id for r in added]})
    return added


def not_invited_yet(survey: Survey) -> list[int]:
    """The ids of the businesses of the year an open survey has not invited yet (got a residency since)."""
    if survey.is_draft:
        return []
    invited = {r.company_id for r in survey.responses}
    return [cid for cid in residents_of_year(survey.incubator_id, survey.year) if cid not in invited]


def close_survey(survey: Survey, *, actor, reason: str | None = None) -> Survey:
    """Open → closed (staff, or the daily command after the deadline): no more answers; drafts stay unsent."""
    if not survey.status.allows(SurveyStatus.CLOSED):
        raise TransitionRefused(_l("Only an open survey can be closed."))
    survey.status, survey.closed_at = SurveyStatus.CLOSED, utcnow()
    db.session.flush()
    audit.record("survey.close", survey, label=survey.title_vi, from_state=SurveyStatus.OPEN.value,
                 to_state=SurveyStatus.CLOSED.value, reason=reason, actor=actor)
    return survey


# ---- Responses (founders) ----------------------------------------------------------------------------------

def _check_accepts(response: SurveyResponse, today: date) -> None:
    survey = response.survey
    if survey.is_closed or (survey.is_open and today > survey.deadline):
        raise DomainError(_l("The survey closed on %(deadline)s: answers can no longer be changed.",
                             deadline=fmt_date(survey.deadline)))
    if not survey.is_open:
        raise DomainError(_l("The survey is not open."))
    if response.is_submitted:
        raise DomainError(_l("The answers have been submitted: they can no longer be changed."))


def _check_answers(response: SurveyResponse, answers: dict) -> None:
    for question in response.survey.questions:
        value = answers.get(str(question.id))
        if not isinstance(value, int | Decimal) or isinstance(value, bool):
            continue
        if question.kind is QuestionKind.MONEY:
            bounds.check_not_negative(value, f"q{question.id}", _l("Enter an amount in VND, not negative."))
        elif question.kind is QuestionKind.NUMBER and question.key in COUNT_KEYS:
            bounds.check_not_negative(value, f"q{question.id}", _l("This number cannot be negative."))


def save_draft(response: SurveyResponse, *, answers: dict, actor, version=None,
               today: date | None = None) -> SurveyResponse:
    """Save what the founder typed, complete or not (required answers are checked at submission), if the
    response has not changed since they read it."""
    today = today or local_today()
    _check_accepts(response, today)
    expect_version(response, version)
    _check_answers(response, answers)
    visible = {str(q.id) for q in response.survey.questions if not q.hidden}
    response.answers = {**(response.answers or {}), **{k: v for k, v in answers.items() if k in visible}}
    first = response.status is ResponseStatus.INVITED
    if first:
        response.status = ResponseStatus.DRAFT
    response.updated_at, response.updated_by_id = utcnow(), getattr(actor, "id", None)
    db.session.flush()
    if first:
        audit.record("survey.response_draft", response, label=_response_label(response),
                     from_state=ResponseStatus.INVITED.value, to_state=ResponseStatus.DRAFT.value, actor=actor)
    return response


def missing_for_submission(response: SurveyResponse) -> list:
    """What stops the response from being submitted, each as a sentence for the founder."""
    answers = response.answers or {}
    return [_l("Answer the question: %(question)s", question=q.label) for q in response.survey.questions
            if q.required and not q.hidden and answers.get(str(q.id)) in (None, "", [])]


def submit(response: SurveyResponse, *, actor, today: date | None = None) -> SurveyResponse:
    """Submit once, every required question answered, by the deadline. Sent twice, it submits once: the second
    request finds it submitted and changes nothing."""
    today = today or local_today()
    db.session.execute(sa.select(SurveyResponse.id).where(SurveyResponse.id == response.id).with_for_update())
    db.session.refresh(response)
    if response.is_submitted:
        return response
    _check_accepts(response, today)
    problems = missing_for_submission(response)
    if problems:
        raise DomainError(problems[0])
    before = response.status
    if not before.allows(ResponseStatus.SUBMITTED):
        raise TransitionRefused(_l("These answers cannot be submitted."))
    now = utcnow()
    response.status, response.submitted_at, response.submitted_by_id = (ResponseStatus.SUBMITTED, now,
                                                                        getattr(actor, "id", None))
    response.updated_at, response.updated_by_id = now, getattr(actor, "id", None)
    db.session.flush()
    audit.record("survey.response_submit", response, label=_response_label(response), from_state=before.value,
                 to_state=ResponseStatus.SUBMITTED.value, actor=actor)
    return response


def reopen(response: SurveyResponse, *, actor, reason: str) -> SurveyResponse:
    """Staff give a submitted response back to its founders as a draft (to correct a figure), with a reason;
    they may then submit it again while the survey is open and its deadline not passed."""
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason."), field="reason")
    if response.status is not ResponseStatus.SUBMITTED:
        raise TransitionRefused(_l("Only submitted answers can be reopened."))
    if response.survey.is_closed:
        raise DomainError(_l("The survey is closed: its answers can no longer be reopened."))
    response.status = ResponseStatus.DRAFT
    response.submitted_at = response.submitted_by_id = None
    db.session.flush()
    audit.record("survey.response_reopen", response, label=_response_label(response),
                 from_state=ResponseStatus.SUBMITTED.value, to_state=ResponseStatus.DRAFT.value, reason=reason,
                 actor=actor)
    return response


def _response_label(response: SurveyResponse) -> str:
    company = db.session.get(Company, response.company_id)
    return f"{response.survey.year} · {company.name if company else response.company_id}"


# ---- Reminders (the daily command) -------------------------------------------------------------------------

def threshold_reached(deadline: date, today: date) -> date | None:
    """The latest reminder day (7 days, then 1 day, before the deadline) on or before ``today``, while the
    deadline has not passed; None before the first or after the deadline."""
    if today > deadline:
        return None
    reached = [deadline - timedelta(days=d) for d in REMIND_DAYS_BEFORE if deadline - timedelta(days=d) <= today]
    return max(reached) if reached else None


class Reminders(NamedTuple):
    """What a run of the reminders did: the businesses whose founders were e-mailed, the e-mails queued, the
    surveys closed, and the businesses due a reminder with no founder to write to (none holds the file with
    an active account and a confirmed address)."""

    reminded: int
    queued: int
    closed: list
    no_founder: int


def send_reminders(today: date) -> Reminders:
    """Close the open surveys whose deadline has passed; then, for each open survey, e-mail the founders of
    each business that has not submitted, once when 7 days are left and once when 1 day is left (a day the
    command did not run is made up the next time; ``last_reminded_on`` records the last reminder, also for a
    business with no founder to write to, so each threshold is told once)."""
    closed = []
    for survey in db.session.scalars(sa.select(Survey).where(Survey.status == SurveyStatus.OPEN,
                                                             Survey.deadline < today).order_by(Survey.id)):
        closed.append(close_survey(survey, actor=None, reason=_("The deadline has passed.")))
    reminded = queued = no_founder = 0
    responses = db.session.scalars(
        sa.select(SurveyResponse).join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(Survey.status == SurveyStatus.OPEN, Survey.deadline >= today,
               SurveyResponse.status != ResponseStatus.SUBMITTED)
        .options(sa.orm.contains_eager(SurveyResponse.survey))
        .order_by(Survey.id, SurveyResponse.id))
    for response in list(responses):
        threshold = threshold_reached(response.survey.deadline, today)
        if threshold is None or (response.last_reminded_on is not None and response.last_reminded_on >= threshold):
            continue
        sent = _mail_founders(response, "survey_reminder",
                              event=f"survey-reminder:{response.id}:{threshold.isoformat()}",
                              days_left=(response.survey.deadline - today).days)
        response.last_reminded_on = today
        queued += sent
        if sent:
            reminded += 1
        else:
            no_founder += 1
    db.session.flush()
    return Reminders(reminded, queued, closed, no_founder)

