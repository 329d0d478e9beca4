"""The results of a yearly survey (issue 22): the response rate, totals and medians of each number or amount
question, the count of each choice, the text answers by business, by residency kind and year against year (the
same question ``key`` in the incubator's survey of the previous year).

Only submitted responses count; a question's figures are over the submitted responses that answered it. The
responses are read once (a fixed number of queries, whatever the number of businesses): the survey with its
questions, its responses with their businesses, and the previous year's survey, questions and responses.

Also here: what a periodic report keeps of the survey of its year (:func:`report_section`, plain data in both
languages), the business's answers on its file (:func:`answers_of_company`), and a proposal turned into a
business request (:func:`proposal_to_request`, once per response)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from incubator.applications.answers import _number, answer_cell, answer_text, is_empty
from incubator.applications.enums import QuestionKind
from incubator.companies.enums import ResidencyKind
from incubator.extensions import db
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyQuestion, SurveyResponse

FIGURES = (QuestionKind.NUMBER, QuestionKind.MONEY)
CHOICES = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
PROPOSALS = "proposals"  # the key of the default question whose answers may become business requests
PROPOSAL_ACTION = "survey.proposal_request"


def plain_number(value: Decimal | int | float | None):
    """A figure as JSON keeps it and a template shows it: an int when whole, else a float to 2 places."""
    if value is None:
        return None
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))


def change_percent(now, before) -> float | None:
    """The change from ``before`` to ``now`` in per cent (1 place); None when there is nothing to compare."""
    if now is None or before is None or before == 0:
        return None
    return float(round((Decimal(str(now)) - Decimal(str(before))) * 100 / abs(Decimal(str(before))), 1))


@dataclass
class Figure:
    """The answers to a number or amount question of a group of responses: how many, their total, their
    median (None when none answered)."""

    values: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def total(self):
        return plain_number(sum(self.values, Decimal(0))) if self.values else None

    @property
    def median(self):
        return plain_number(statistics.median(self.values)) if self.values else None


@dataclass
class Rate:
    invited: int = 0
    submitted: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.submitted / self.invited, 1) if self.invited else None


@dataclass
class QuestionResult:
    question: SurveyQuestion
    overall: Figure = field(default_factory=Figure)
    by_kind: dict = field(default_factory=dict)  # ResidencyKind -> Figure (number and amount questions)
    choices: list = field(default_factory=list)  # [(value, label, count)] for choice questions
    texts: list = field(default_factory=list)  # [(response, text)] for the other questions
    answered: int = 0
    previous: Figure | None = None  # the same key's figure in the previous year's survey
    # Totals are compared with last year's only once the survey is closed: while businesses are still answering,
    # a total of a few answers against a whole year's reads as a fall it is not (medians compare at any time).
    totals_final: bool = True

    @property
    def is_figure(self) -> bool:
        return self.question.kind in FIGURES

    @property
    def is_choice(self) -> bool:
        return self.question.kind in CHOICES

    @property
    def is_money(self) -> bool:
        return self.question.kind is QuestionKind.MONEY

    @property
    def change_total(self) -> float | None:
        if not self.previous or not self.totals_final:
            return None
        return change_percent(self.overall.total, self.previous.total)

    @property
    def change_median(self) -> float | None:
        return change_percent(self.overall.median, self.previous.median) if self.previous else None


@dataclass
class Results:
    survey: Survey
    responses: list  # every invited business's response, by business name
    rate: Rate
    rate_by_kind: dict  # ResidencyKind -> Rate, in the enum's order, the kinds invited only
    questions: list  # QuestionResult, in the survey's order (hidden questions left out)
    previous: Survey | None = None
    previous_rate: Rate | None = None

    @property
    def totals_final(self) -> bool:
        """Whether this year's totals are compared with last year's: once the survey is closed."""
        return self.survey.status is SurveyStatus.CLOSED

    @property
    def kinds(self) -> list:
        return list(self.rate_by_kind)

    @property
    def figures(self) -> list:
        return [q for q in self.questions if q.is_figure]

    @property
    def choice_results(self) -> list:
        return [q for q in self.questions if q.is_choice]

    @property
    def text_results(self) -> list:
        return [q for q in self.questions if not q.is_figure and not q.is_choice]


def _kind(response: SurveyResponse) -> ResidencyKind:
    return response.residency_kind or ResidencyKind.OTHER


def _answer(response: SurveyResponse, question: SurveyQuestion):
    return (response.answers or {}).get(str(question.id))


def _figure(question: SurveyQuestion, responses) -> tuple[Figure, dict]:
    overall, by_kind = Figure(), {}
    for response in responses:
        value = _answer(response, question)
        number = None if is_empty(value) else _number(value)
        if number is None:
            continue
        number = Decimal(number)
        overall.values.append(number)
        by_kind.setdefault(_kind(response), Figure()).values.append(number)
    return overall, by_kind


def _previous_survey(survey: Survey) -> Survey | None:
    return db.session.scalar(sa.select(Survey).where(Survey.incubator_id == survey.incubator_id,
                                                     Survey.year == survey.year - 1)
                             .options(selectinload(Survey.questions)))


def _submitted_of(survey_id: int) -> list[SurveyResponse]:
    return list(db.session.scalars(sa.select(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.status == ResponseStatus.SUBMITTED)))


def results(survey: Survey, *, with_texts: bool = True) -> Results:
    """The survey's results (see the module). ``with_texts``: list the text answers by business (staff only)."""
    from incubator.text import vietnamese_sort_key

    questions = list(db.session.scalars(sa.select(SurveyQuestion).where(SurveyQuestion.survey_id == survey.id)
                                        .order_by(SurveyQuestion.position, SurveyQuestion.id)))
    responses = sorted(db.session.scalars(
        sa.select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
        .options(joinedload(SurveyResponse.company))).unique(),
        key=lambda r: vietnamese_sort_key(r.company.name or ""))
    submitted = [r for r in responses if r.is_submitted]
    rate = Rate(invited=len(responses), submitted=len(submitted))
    by_kind = {}
    for kind in ResidencyKind:
        invited = [r for r in responses if _kind(r) is kind]
        if invited:
            by_kind[kind] = Rate(invited=len(invited), submitted=sum(1 for r in invited if r.is_submitted))
    previous = _previous_survey(survey)
    previous_by_key, previous_rate = {}, None
    if previous is not None:
        earlier = _submitted_of(previous.id)
        invited_before = db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))
                                           .where(SurveyResponse.survey_id == previous.id))
        previous_rate = Rate(invited=invited_before or 0, submitted=len(earlier))
        for question in previous.questions:
            if question.key and question.kind in FIGURES:
                previous_by_key[question.key] = _figure(question, earlier)[0]
    found = []
    for question in questions:
        if question.hidden:
            continue
        result = QuestionResult(question, totals_final=survey.status is SurveyStatus.CLOSED)
        answered = [(r, _answer(r, question)) for r in submitted if not is_empty(_answer(r, question))]
        result.answered = len(answered)
        if result.is_figure:
            result.overall, result.by_kind = _figure(question, submitted)
            if question.key in previous_by_key:
                result.previous = previous_by_key[question.key]
        elif result.is_choice:
            counts: dict = {}
            for _response, value in answered:
                for chosen in value if isinstance(value, list) else [value]:
                    counts[chosen] = counts.get(chosen, 0) + 1
            offered = [c.get("value") for c in question.choices or []]
            result.choices = [(v, question.choice_label(v), counts.get(v, 0)) for v in offered]
            result.choices += [(v, question.choice_label(v), n) for v, n in counts.items() if v not in offered]
        elif with_texts:
            result.texts = [(r, answer_text(question, value)) for r, value in answered]
        found.append(result)
    return Results(survey=survey, responses=responses, rate=rate, rate_by_kind=by_kind, questions=found,
                   previous=previous, previous_rate=previous_rate)


# ---- The export ------------------------------------------------------------------------------------------


def export_sheets(result: Results) -> list[tuple[str, list, list]]:
    """Two sheets (title, header, rows): one row per invited business with each answer as a cell (numbers as
    numbers, dates as dates, choices by their labels), and the summary (rate; per number or amount question
    its answers, total and median, overall, by residency kind and the previous year; per choice its count)."""
    from flask_babel import gettext as _

    from incubator.i18n import local_day

    questions = [q.question for q in result.questions]
    header = [_("Tax code"), _("Business"), _("Residency kind"), _("Status"), _("Submitted on"),
              *[q.label for q in questions]]
    rows = []
    for response in result.responses:
        submitted = response.is_submitted
        rows.append([response.company.tax_code, response.company.name, _kind(response).label,
                     response.status.label,
                     local_day(response.submitted_at) if submitted and response.submitted_at else None,
                     *[answer_cell(q, _answer(response, q)) if submitted else None for q in questions]])
    summary_header = [_("Question"), _("Group"), _("Businesses invited"), _("Answers"), _("Response rate (%)"),
                      _("Total"), _("Median"), _("Change of the total (%)"), _("Change of the median (%)")]
    summary = [[_("Response rate"), _("All businesses"), result.rate.invited, result.rate.submitted,
                result.rate.percent, None, None, None, None]]
    for kind, rate in result.rate_by_kind.items():
        summary.append([_("Response rate"), kind.label, rate.invited, rate.submitted, rate.percent, None, None, None,
                        None])
    for q in result.figures:
        summary.append([q.question.label, _("All businesses"), None, q.overall.count, None, q.overall.total,
                        q.overall.median, q.change_total, q.change_median])
        for kind in result.kinds:
            figure = q.by_kind.get(kind) or Figure()
            summary.append([q.question.label, kind.label, None, figure.count, None, figure.total, figure.median,
                            None, None])
        if q.previous is not None:
            summary.append([q.question.label, _("Year %(year)s", year=result.previous.year), None,
                            q.previous.count, None, q.previous.total, q.previous.median, None, None])
    for q in result.choice_results:
        for _value, label, count in q.choices:
            summary.append([q.question.label, label, None, count, None, None, None, None, None])
    return [(_("Answers"), header, rows), (_("Summary"), summary_header, summary)]


# ---- The periodic report's section -----------------------------------------------------------------------


def report_section(year: int) -> dict | None:
    """What the periodic report of a period ending in ``year`` says of the incubator's survey of that year (the
    survey in view: the report computes within its incubator), as plain data in both languages, or None when
    there is none with a submitted response: {"year", "name_vi", "name_en" (its title), "invited", "submitted",
    "percent", "previous": {"year", "invited", "submitted", "percent"} | None, "questions": [{"key", "name_vi",
    "name_en", "money", "answered", "total", "median", "previous_total", "previous_median", "change_total",
    "change_median"}]} — the default number and amount questions (those with a key)."""
    surveys = list(db.session.scalars(sa.select(Survey).where(Survey.year == year).limit(2)))
    if len(surveys) != 1:  # none, or several incubators' in view: not one incubator's report
        return None
    survey = surveys[0]
    found = results(survey, with_texts=False)
    if not found.rate.submitted:
        return None
    previous = None
    if found.previous is not None and found.previous_rate and found.previous_rate.invited:
        previous = {"year": found.previous.year, "invited": found.previous_rate.invited,
                    "submitted": found.previous_rate.submitted, "percent": found.previous_rate.percent}
    questions = [{"key": q.question.key, "name_vi": q.question.label_vi, "name_en": q.question.label_en,
                  "money": q.is_money, "answered": q.overall.count, "total": q.overall.total,
                  "median": q.overall.median,
                  "previous_total": q.previous.total if q.previous else None,
                  "previous_median": q.previous.median if q.previous else None,
                  "change_total": q.change_total, "change_median": q.change_median}
                 for q in found.figures if q.question.key]
    return {"year": survey.year, "name_vi": survey.title_vi, "name_en": survey.title_en,
            "invited": found.rate.invited, "submitted": found.rate.submitted, "percent": found.rate.percent,
            "previous": previous, "questions": questions, "totals_final": found.totals_final}


# ---- A business's answers on its file --------------------------------------------------------------------


def answers_of_company(company_id: int) -> list[tuple[SurveyResponse, list]]:
    """The business's responses to the surveys in view, the latest year first, each with its answers as people
    read them [(question, text)] (submitted ones; a draft or an invitation shows its status only). Two
    queries."""
    responses = list(db.session.scalars(
        sa.select(SurveyResponse).join(Survey).where(SurveyResponse.company_id == company_id)
        .options(joinedload(SurveyResponse.survey).selectinload(Survey.questions))
        .order_by(Survey.year.desc(), SurveyResponse.id)).unique())
    found = []
    for response in responses:
        answers = []
        if response.is_submitted:
            answers = [(q, answer_text(q, _answer(response, q))) for q in response.survey.questions if not q.hidden]
        found.append((response, answers))
    return found


# ---- Proposals turned into business requests -------------------------------------------------------------


def proposal_question(survey_questions) -> SurveyQuestion | None:
    return next((q for q in survey_questions if q.key == PROPOSALS), None)


def proposal_requests(response_ids) -> dict:
    """{response id: {"request": id, "number": "…"}} of the responses whose proposals were filed as a request
    (``SurveyResponse.proposal_request_id``). One query."""
    from incubator.requests.models import BusinessRequest

    ids = list(response_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(SurveyResponse.id, BusinessRequest.id, BusinessRequest.number)
        .join(BusinessRequest, BusinessRequest.id == SurveyResponse.proposal_request_id)
        .where(SurveyResponse.id.in_(ids)).execution_options(all_incubators=True))
    return {response_id: {"request": request_id, "number": number} for response_id, request_id, number in rows}


def proposal_to_request(response: SurveyResponse, *, actor, category, today=None):
    """File the business's submitted answer to "proposals" as a request on its behalf (requests'
    ``file_on_behalf``: its number, due date, the founders' acknowledgement, not published unless a founder
    consents), once per response; audited on the response with the request's number."""
    from incubator.audit import services as audit
    from incubator.errors import DomainError
    from incubator.requests import services as requests
    from incubator.requests.enums import RequestOrigin

    filed_already = sa.select(SurveyResponse.proposal_request_id).where(SurveyResponse.id == response.id)
    if db.session.get_bind().dialect.name == "postgresql":  # two members of staff at once: one files it
        filed_already = filed_already.with_for_update()
    filed_already = db.session.scalar(filed_already)  # read again, under the lock: not the session's copy
    if not response.is_submitted:
        raise DomainError(_l("Only a submitted response's proposals can become a request."))
    question = proposal_question(response.survey.questions)
    text = answer_cell(question, _answer(response, question)) if question is not None else None
    if not text or not str(text).strip():
        raise DomainError(_l("This response makes no proposal."))
    if filed_already is not None or response.proposal_request_id is not None:
        raise DomainError(_l("This proposal has already been filed as a request."))
    text = str(text).strip()
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), text)
    title = first_line if len(first_line) <= 120 else first_line[:119].rstrip() + "…"
    survey = response.survey
    raised_at = survey.title_vi  # the survey, as the request's timeline and acknowledgement name it
    filed = requests.file_on_behalf(response.company, actor=actor, category=category, title=title, text=text,
                                    raised_at=raised_at, incubator_id=survey.incubator_id, today=today,
                                    origin=RequestOrigin.SURVEY)
    response.proposal_request_id = filed.id
    db.session.flush()
    audit.record(PROPOSAL_ACTION, response, label=f"{survey.year} · {response.company.name}", actor=actor,
                 details={"request": filed.id, "number": filed.number})
    return filed


def register_audit_labels() -> None:
    """The words of the audit log for the results' one action (the factory calls it)."""
    from incubator.audit import labels as audit

    audit.register_actions({PROPOSAL_ACTION: _l("Survey proposal filed as a business request")})
