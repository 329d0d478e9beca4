from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.applications.forms import _long
from incubator.forms import Form, NoControlCharacters, strip, text_field


class NewReportForm(Form):
    period = StringField(_l("Period (2025, 2025-H1, 2025-Q2), or dates below"), filters=[strip],
                         validators=[Optional(), Length(max=10), NoControlCharacters()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])


class ReportForm(Form):
    version = HiddenField()
    number = text_field(_l("Number (e.g. 12/BC-TTĐT)"), 60)
    issued_on = DateField(_l("Date of the report"), validators=[Optional(), bounds.DECISION.validator()])
    shortcomings = _long(_l("II. Shortcomings"), 20000)
    next_tasks = _long(_l("III. Tasks for the next period"), 20000)
    recommendations = _long(_l("IV. Recommendations"), 20000)
    recipients = _long(_l("Recipients (one per line; left empty, the usual addressees in force at the period's "
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
