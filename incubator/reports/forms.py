from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from incubator import bounds
from incubator.forms import DateField, Form, long_text, text_field
from incubator.reports.periods import FIRST_YEAR, LAST_YEAR, parse_period

PARTS = ("year", "H1", "H2", "Q1", "Q2", "Q3", "Q4", "dates")


def _part_choices():
    return [("year", _l("The whole year")), ("H1", _l("First half (January to June)")),
            ("H2", _l("Second half (July to December)")), ("Q1", _l("Quarter I (January to March)")),
            ("Q2", _l("Quarter II (April to June)")), ("Q3", _l("Quarter III (July to September)")),
            ("Q4", _l("Quarter IV (October to December)")), ("dates", _l("Between two dates (below)"))]


def last_quarter(today: date) -> tuple[int, str]:
    """The year and the quarter that ended last before ``today``: what a new report most often covers."""
    quarter = (today.month - 1) // 3  # the quarter before today's, 0 in the first quarter
    return (today.year, f"Q{quarter}") if quarter else (today.year - 1, "Q4")


class NewReportForm(Form):
    """The period of a new report, chosen: a year and the whole of it, a half or a quarter, or two dates. The
    report keeps the period's code (2025, 2025-H1, 2025-Q2, or "custom" with the dates), as before."""

    year = SelectField(_l("Year"), coerce=int, validators=[Optional()])
    part = SelectField(_l("Period"), choices=_part_choices, validators=[Optional()])
    start = DateField(_l("First day (between two dates)"), validators=[Optional()])
    end = DateField(_l("Last day (between two dates)"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = bounds.today()
        self.year.choices = [(y, str(y)) for y in range(min(today.year + 1, LAST_YEAR), FIRST_YEAR - 1, -1)]
        if not self.is_submitted():  # shown fresh: the last quarter ended; a post says what it chose
            self.year.data, self.part.data = last_quarter(today)

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.chosen_part() == "dates":
            for f in (self.start, self.end):
                if f.data is None:
                    f.errors = [*f.errors, _l("Enter both dates, or choose a year and a part of it.")]
                    return False
        elif self.year.data is None:
            self.year.errors = [*self.year.errors, _l("Choose the year.")]
            return False
        elif self.start.data or self.end.data:
            self.part.errors = [*self.part.errors, _l("Dates are typed below: choose “Between two dates”, or "
                                                      "clear the dates.")]
            return False
        return True

    def chosen_part(self) -> str:
        """The part chosen; two dates typed without choosing stand for "dates" (a form posted with dates only)."""
        if self.part.data:
            return self.part.data
        return "dates" if self.start.data or self.end.data else "year"

    def period(self) -> tuple[str, date, date]:
        """(code, first day, last day) of the period chosen; ValueError when it is none."""
        part = self.chosen_part()
        if part == "dates":
            return "custom", self.start.data, self.end.data
        code = str(self.year.data) if part == "year" else f"{self.year.data}-{part}"
        start, end, _kind = parse_period(code)
        return code, start, end


class PeriodForm(Form):
    """A period chosen in words, read from the query string (the city's report): a year, and the whole of it, a
    half or a quarter; the last quarter ended by default. The years offered run from ``first_year`` (the first
    with data: reports.queries.first_year_with_data) to this year (and the year of the last quarter ended)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Year"), coerce=int, validators=[Optional()])
    part = SelectField(_l("Period"), choices=lambda: _part_choices()[:-1], validators=[Optional()])

    def __init__(self, *args, today: date, first_year: int = FIRST_YEAR, **kwargs):
        super().__init__(*args, **kwargs)
        default_year, default_part = last_quarter(today)
        first = max(FIRST_YEAR, min(first_year, default_year, today.year))
        self.year.choices = [(y, str(y)) for y in range(min(today.year, LAST_YEAR), first - 1, -1)]
        if self.year.data not in {y for y, _label in self.year.choices}:
            self.year.data = default_year
        if self.part.data not in PARTS[:-1]:
            self.part.data = default_part

    def code(self) -> str:
        return str(self.year.data) if self.part.data == "year" else f"{self.year.data}-{self.part.data}"


class ReportForm(Form):
    version = HiddenField()
    number = text_field(_l("Number (e.g. 12/BC-TTĐT)"), 60)
    issued_on = DateField(_l("Date of the report"), validators=[Optional(), bounds.DECISION.validator()])
    shortcomings = long_text(_l("II. Shortcomings"), 20000)
    next_tasks = long_text(_l("III. Tasks for the next period"), 20000)
    recommendations = long_text(_l("IV. Recommendations"), 20000)
    recipients = long_text(_l("Recipients (one per line; left empty, the usual addressees in force at the period's "
                          "end)"), 2000)
    signer_position = text_field(_l("Position of the signatory (left empty, the title in force)"), 200)
    signer_name = text_field(_l("Name of the signatory"), 200)

    FIELDS = ("number", "issued_on", "shortcomings", "next_tasks", "recommendations", "recipients",
              "signer_position", "signer_name")


class NameForm(Form):
    """A dated name a report prints: a body, an addressee, the place or the signer's title."""

    version = HiddenField()
    kind = SelectField(_l("What the name is for"), choices=[])
    name_vi = text_field(_l("Name in Vietnamese"), 300, required=True)
    name_en = text_field(_l("Name in English"), 300, required=True)
    valid_from = DateField(_l("Applies from"), validators=[DataRequired(), bounds.PROGRAMME.validator()])
    valid_until = DateField(_l("Applies until (empty: still in force)"),
                            validators=[Optional(), bounds.PROGRAMME.validator()])
    position = IntegerField(_l("Order among the addressees"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=99)])

    FIELDS = ("kind", "name_vi", "name_en", "valid_from", "valid_until", "position")

    def __init__(self, *args, **kwargs):
        from incubator.reports.enums import NameKind

        super().__init__(*args, **kwargs)
        self.kind.choices = NameKind.choices()
