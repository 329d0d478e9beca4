"""The form a founder fills: built from the round's questions, plus what the eligibility rules need.

The question fields are public for other questionnaires made of the same kinds of question (the yearly survey):
``question_field`` (one question's field), ``with_questions`` (a form class given a field per visible question),
``load_answers`` and ``answers_of`` (stored answers, keyed by question id, to the fields and back)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, Length, NumberRange, Optional

from incubator.applications.eligibility import SectorKind
from incubator.applications.enums import QuestionKind
from incubator.auth.forms import MultiCheckboxField
from incubator.db import BIGINT_RANGE, NUMERIC_18_RANGE
from incubator.forms import DateField, Form, IntegerField, MoneyField, NoControlCharacters, strip

MAX_MONEY = 10**15
# Answers are kept in JSON (numbers of 64 bits at most); the facts the eligibility rules read, in their columns.
ANSWER_RANGE = {"minimum": BIGINT_RANGE[0], "maximum": BIGINT_RANGE[1]}
MONEY_RANGE = {"minimum": NUMERIC_18_RANGE[0], "maximum": NUMERIC_18_RANGE[1]}


def _choices(question, blank=False):
    from flask_babel import get_locale

    english = get_locale() is not None and get_locale().language == "en"
    options = [SelectChoice(c["value"], c["label_en"] if english else c["label_vi"]) for c in question.choices or []]
    return ([SelectChoice("", "—")] if blank else []) + options


def question_field(question):
    """The field of one question (anything with ``kind``, ``label``, ``label_vi``, ``help_vi``/``help_en``,
    ``max_length`` and ``choices``: a round's question or a survey's)."""
    label, help_text = question.label, (question.help_vi if question.label == question.label_vi else question.help_en)
    kw = {"description": help_text or ""}
    kind = question.kind
    if kind is QuestionKind.TEXT:
        return StringField(label, [Optional(), Length(max=question.max_length or 500), NoControlCharacters()],
                           filters=[strip], **kw)
    if kind is QuestionKind.LONG_TEXT:
        return TextAreaField(label, [Optional(), Length(max=question.max_length or 5000), NoControlCharacters()],
                             filters=[strip], **kw)
    if kind is QuestionKind.NUMBER:
        return IntegerField(label, [Optional(), NumberRange(min=-10**12, max=10**12)], **ANSWER_RANGE, **kw)
    if kind is QuestionKind.MONEY:  # typed with grouping (1.250.000.000), read back as a number
        return MoneyField(label, [Optional(), NumberRange(min=0, max=MAX_MONEY,
                                                             message=_l("Enter an amount in VND, not negative."))],
                            **ANSWER_RANGE, **kw)
    if kind is QuestionKind.DATE:
        return DateField(label, [Optional()], **kw)
    if kind is QuestionKind.SINGLE_CHOICE:
        return SelectField(label, [Optional()], choices=_choices(question, blank=True), **kw)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return MultiCheckboxField(label, [Optional()], choices=_choices(question), **kw)
    return URLField(label, [Optional(), Length(max=500), URL(message=_l("Enter a full address, starting with https://"))],
                    filters=[strip], **kw)


def answer_form(intake_round, *args, **kwargs):
    """A form class made for this round's visible questions, instantiated."""

    class AnswerForm(Form):
        version = HiddenField()
        is_public_company = SelectField(_l("Is the company a public company?"), choices=[
            SelectChoice("", "—"), SelectChoice("no", _l("No")), SelectChoice("yes", _l("Yes"))])
        sector_kind = SelectField(_l("Main sector"), choices=[SelectChoice("", "—")] + [
            SelectChoice(k.value, k.label) for k in SectorKind])
        employees = IntegerField(_l("Employees (people insured)"), [Optional(), NumberRange(min=0, max=10**6)])
        revenue = MoneyField(_l("Revenue of the last year (VND)"),
                               [Optional(), NumberRange(min=0, max=MAX_MONEY,
                                                        message=_l("Enter an amount in VND, not negative."))],
                               **MONEY_RANGE)
        capital = MoneyField(_l("Total capital (VND)"),
                               [Optional(), NumberRange(min=0, max=MAX_MONEY,
                                                        message=_l("Enter an amount in VND, not negative."))],
                               **MONEY_RANGE)

    return with_questions(AnswerForm, intake_round.questions, *args, **kwargs)


def with_questions(form_class, questions, *args, **kwargs):
    """An instance of a subclass of ``form_class`` with a field ``q<id>`` per visible question, in order;
    ``form.questions`` lists (question, bound field)."""
    visible = [q for q in questions if not q.hidden]
    made = type(form_class.__name__, (form_class,), {f"q{q.id}": question_field(q) for q in visible})
    form = made(*args, **kwargs)
    form.questions = [(q, getattr(form, f"q{q.id}")) for q in visible]
    return form


def load_answers(form, answers: dict | None) -> None:
    """Fill the question fields from stored answers (keyed by question id)."""
    answers = answers or {}
    for question, field in form.questions:
        value = answers.get(str(question.id))
        if value is None:
            continue
        if question.kind is QuestionKind.DATE:
            value = date.fromisoformat(value)
        field.data = value


def load(form, application) -> None:
    """Fill the form from a saved draft."""
    load_answers(form, application.answers)
    form.is_public_company.data = {True: "yes", False: "no"}.get(application.is_public_company, "")
    form.sector_kind.data = application.sector_kind.value if application.sector_kind else ""
    form.employees.data = application.employees
    form.revenue.data = int(application.revenue) if application.revenue is not None else None
    form.capital.data = int(application.capital) if application.capital is not None else None
    form.version.data = application.version_id


def answers_of(form) -> dict:
    """JSON-ready answers, keyed by question id."""
    result = {}
    for question, field in form.questions:
        value = field.data
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        if value in ("", None, []):
            value = None
        result[str(question.id)] = value
    return result


def facts_of(form) -> dict:
    return {
        "is_public_company": {"yes": True, "no": False}.get(form.is_public_company.data),
        "sector_kind": SectorKind(form.sector_kind.data) if form.sector_kind.data else None,
        "employees": form.employees.data,
        "revenue": form.revenue.data,
        "capital": form.capital.data,
    }
