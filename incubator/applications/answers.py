"""The one place an application's answers are put into words: the staff's file, the reviewer's page, the
founder's summary and copy (and its PDF) read :func:`answer_text`; the round's export writes
:func:`answer_cell`, the same answer as a spreadsheet keeps it (amounts and numbers as numbers, dates as dates).

Answers are stored as the form gave them (JSON: an amount as its digits in a string, a date in ISO form, a
choice as its code); a question's choices carry their labels in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from incubator.applications.enums import QuestionKind
from incubator.i18n import fmt_date, fmt_money, fmt_number

EMPTY = "—"
CHOICES = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def _number(value) -> Decimal | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else number


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _choices(question, value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [question.choice_label(v) for v in values]


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def answer_cell(question, value):
    """The answer as a spreadsheet's cell holds it: a number, a date, or text (choices by their labels, in the
    reader's language). None when unanswered."""
    if is_empty(value):
        return None
    kind = question.kind
    if kind in (QuestionKind.MONEY, QuestionKind.NUMBER):
        number = _number(value)
        return number if number is not None else str(value)
    if kind is QuestionKind.DATE:
        return _date(value) or str(value)
    if kind in CHOICES:
        return ", ".join(_choices(question, value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value if isinstance(value, str) else str(value)


def answer_text(question, value) -> str:
    """The answer as people read it: "500.000.000 ₫", "01/01/2027", the choices' labels; "—" when unanswered."""
    cell = answer_cell(question, value)
    if cell is None:
        return EMPTY
    if question.kind is QuestionKind.MONEY and not isinstance(cell, str):
        return fmt_money(cell)
    if question.kind is QuestionKind.NUMBER and not isinstance(cell, str):
        return fmt_number(cell)
    if isinstance(cell, date):
        return fmt_date(cell)
    return cell
