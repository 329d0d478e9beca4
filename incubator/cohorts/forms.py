from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.auth.forms import MultiCheckboxField
from incubator.cohorts.enums import MemberStatus, ProductStatus, Rhythm, ServiceKind
from incubator.cohorts.models import MAX_ALLOWANCE_HOURS
from incubator.forms import (
    DateField,
    DecimalField,
    Finite,
    Form,
    IntegerField,
    MoneyField,
    NoControlCharacters,
    long_text,
    strip,
    text_field,
)
from incubator.outcomes.enums import Pillar


def _optional_int(value):
    return int(value) if value not in (None, "", "0", "None") else None


class CohortForm(Form):
    version = HiddenField()
    name = text_field(_l("Name"), 200, required=True)
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day.")),
                                                       bounds.PROGRAMME.validator()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(message=_l("Enter the last day.")),
                                                    bounds.PROGRAMME.validator()])
    owner_id = SelectField(_l("Staff member in charge"), coerce=_optional_int, validators=[Optional()])
    round_id = SelectField(_l("Admits the accepted applications of"), coerce=_optional_int, validators=[Optional()])
    rhythm = SelectField(_l("Progress reports"), choices=Rhythm.choices, validators=[InputRequired()])
    mentoring_allowance_hours = IntegerField(
        _l("Mentoring hours per startup"), default=20,
        validators=[Optional(), NumberRange(min=0, max=MAX_ALLOWANCE_HOURS)])

    FIELDS = ("name", "starts_on", "ends_on", "owner_id", "round_id", "rhythm", "mentoring_allowance_hours")

    def load(self, cohort) -> None:
        for key in self.FIELDS:
            getattr(self, key).data = getattr(cohort, key)
        self.rhythm.data = cohort.rhythm.value
        self.version.data = cohort.version_id

    def fields(self) -> dict:
        return {key: getattr(self, key).data for key in self.FIELDS}


class AdmitForm(Form):
    # The startup by its tax code, as the register knows it: a list of every IT business to choose from grew
    # with the register (thousands of options, sorted in Python, on every visit of the cohort page).
    tax_code = text_field(_l("Tax code"), 20, required=True, message=_l("Enter the tax code."))


class LeaveForm(Form):
    version = HiddenField()
    status = SelectField(_l("Outcome"), validators=[InputRequired()])
    on = DateField(_l("Date of the decision"),
                   validators=[InputRequired(message=_l("Enter the date of the decision.")),
                               bounds.DECISION.validator()])
    stays_on = BooleanField(_l("Stays in the building as an alumnus (from the next day)"))
    extended_to = DateField(_l("Extended until (the new last day)"),
                            validators=[Optional(), bounds.PROGRAMME.validator()])
    product = TextAreaField(_l("Product or service brought to market"), filters=[strip],
                            validators=[Optional(), Length(max=1000), NoControlCharacters()])
    evidence_text = TextAreaField(_l("Market evidence (customer, contract)"), filters=[strip],
                                  validators=[Optional(), Length(max=2000), NoControlCharacters()])
    evidence_url = URLField(_l("Public link"), filters=[strip], validators=[
        Optional(), Length(max=500), URL(message=_l("Enter a full address, starting with https://"))])
    pillars = MultiCheckboxField(_l("Digital pillars served"), validators=[Optional()])
    note = text_field(_l("Note"), 1000)

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        from incubator.cohorts.enums import MEMBER_TRANSITIONS

        allowed = MEMBER_TRANSITIONS[current] if current is not None else MEMBER_TRANSITIONS[MemberStatus.ACTIVE]
        self.status.choices = [SelectChoice(s.value, s.label) for s in MemberStatus if s in allowed]
        self.pillars.choices = Pillar.choices()


class ReportForm(Form):
    version = HiddenField()
    revenue = MoneyField(_l("Revenue in the period (VND)"), validators=[Optional(), NumberRange(min=0, max=10**15)])
    paying_customers = IntegerField(_l("Paying customers"), validators=[Optional(), NumberRange(min=0, max=10**9)])
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(min=0, max=10**6)])
    funding_raised = MoneyField(_l("Funding raised in the period (VND)"),
                                validators=[Optional(), NumberRange(min=0, max=10**15)])
    funding_source = text_field(_l("Source of the funding"), 300)
    product_status = SelectField(_l("Product"), validators=[Optional()])
    highlights = long_text(_l("Highlights"), 5000)
    problems = long_text(_l("Problems"), 5000)
    help_needed = long_text(_l("Help needed from the incubator"), 5000)

    FIELDS = ("revenue", "paying_customers", "employees", "funding_raised", "funding_source", "product_status",
              "highlights", "problems", "help_needed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_status.choices = [SelectChoice("", "—"), *ProductStatus.choices()]

    def load(self, report) -> None:
        for key in self.FIELDS:
            value = getattr(report, key)
            if key in ("revenue", "funding_raised") and value is not None:
                value = int(value)
            if key == "product_status":
                value = value.value if value else ""
            getattr(self, key).data = value
        self.version.data = report.version_id

    def fields(self) -> dict:
        data = {key: getattr(self, key).data for key in self.FIELDS}
        data["product_status"] = ProductStatus(data["product_status"]) if data["product_status"] else None
        return data


class ServiceForm(Form):
    version = HiddenField()
    kind = SelectField(_l("Kind"), choices=ServiceKind.choices, validators=[InputRequired()])
    title = text_field(_l("What was delivered"), 300, required=True)
    delivered_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date it was delivered.")),
                                                     bounds.PROGRAMME.validator()])
    provider_id = SelectField(_l("Provided by"), coerce=_optional_int, validators=[Optional()])
    hours = DecimalField(_l("Hours"), places=1, validators=[Optional(), Finite(), NumberRange(min=0, max=10000)])
    recipients = MultiCheckboxField(_l("Startups that received it"), coerce=int,
                                    validators=[InputRequired(message=_l("Choose the startups that received it."))])
    attended = MultiCheckboxField(_l("Attended (courses)"), coerce=int, validators=[Optional()])
    note = long_text(_l("Note"), 2000)

    FIELDS = ("kind", "title", "delivered_on", "provider_id", "hours", "note")

    def load(self, service) -> None:
        for key in self.FIELDS:
            value = getattr(service, key)
            getattr(self, key).data = value.value if key == "kind" else value
        self.recipients.data = [r.company_id for r in service.recipients]
        self.attended.data = [r.company_id for r in service.recipients if r.attended]
        self.version.data = service.version_id

    def fields(self) -> dict:
        return {key: getattr(self, key).data for key in self.FIELDS}
