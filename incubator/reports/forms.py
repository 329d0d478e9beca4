from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import Length, Optional

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
    recipients = _long(_l("Recipients (one per line)"), 2000)
    signer_position = text_field(_l("Position of the signatory"), 200)
    signer_name = text_field(_l("Name of the signatory"), 200)

    FIELDS = ("number", "issued_on", "shortcomings", "next_tasks", "recommendations", "recipients",
              "signer_position", "signer_name")
