from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.companies.enums import ResidencyKind
from incubator.forms import DateField, Form, IntegerField, NoControlCharacters, strip
from incubator.outcomes.enums import Decision, Pillar


def _text(label, max_length, required=False, message=None):
    validators = [Length(max=max_length), NoControlCharacters()]
    validators.insert(0, InputRequired(message=message) if required else Optional())
    return StringField(label, validators=validators, filters=[strip])


class CompanyForm(Form):
    tax_code = StringField(_l("Tax code"), validators=[InputRequired(message=_l("Enter the tax code.")),
                                                       Length(max=20), NoControlCharacters()], filters=[strip])
    tax_code_note = _text(_l("Note on the tax code"), 500)
    name = _text(_l("Business name"), 300, required=True, message=_l("Enter the name."))
    is_it = BooleanField(_l("IT (digital-technology) business"), default=True)
    founded_on = DateField(_l("Founded on"), validators=[Optional(), bounds.FOUNDING.validator()])
    sector = _text(_l("Sector"), 200)
    address = _text(_l("Address"), 300)
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300),
                                                   URL(message=_l("Enter a full address, starting with https://"))],
                       filters=[strip])
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    version = HiddenField()


class ResidencyForm(Form):
    kind = SelectField(_l("Kind"), choices=[])
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day.")),
                                                       bounds.PROGRAMME.validator()])
    ends_on = DateField(_l("Last day (empty while it runs)"), validators=[Optional(), bounds.PROGRAMME.validator()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000), NoControlCharacters()],
                         filters=[strip])
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = ResidencyKind.choices()


class EndResidencyForm(Form):
    ends_on = DateField(_l("Last day"), validators=[InputRequired(message=_l("Enter the last day.")),
                                                    bounds.PROGRAMME.validator()])
    reason = _text(_l("Reason"), 500)
    version = HiddenField()


class OutcomeForm(Form):
    decision = SelectField(_l("Decision"), choices=[])
    decided_on = DateField(_l("Date of the decision"),
                           validators=[InputRequired(message=_l("Enter the date of the decision.")),
                                       bounds.DECISION.validator()])
    cohort_name = _text(_l("Cohort"), 200)
    product = TextAreaField(_l("Product or service brought to market"),
                            validators=[Optional(), Length(max=1000), NoControlCharacters()], filters=[strip])
    evidence_text = TextAreaField(_l("Market evidence (customer, contract)"),
                                  validators=[Optional(), Length(max=2000), NoControlCharacters()], filters=[strip])
    evidence_url = URLField(_l("Public link"), validators=[Optional(), Length(max=500),
                                                            URL(message=_l("Enter a full address, starting with https://"))],
                            filters=[strip])
    evidence_pdf = FileField(_l("Evidence document (PDF, up to 10 MB)"),
                             validators=[FileAllowed(["pdf"], _l("Only PDF files are accepted."))])
    remove_evidence_pdf = BooleanField(_l("Remove the current evidence document"))
    serves_government = BooleanField(Pillar.labels()[Pillar.GOVERNMENT])  # lazy: read in each request's language
    serves_economy = BooleanField(Pillar.labels()[Pillar.ECONOMY])
    serves_society = BooleanField(Pillar.labels()[Pillar.SOCIETY])
    note = _text(_l("Note"), 1000)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = Decision.choices()

    @property
    def pillars(self) -> list[Pillar]:
        return [p for p, f in ((Pillar.GOVERNMENT, self.serves_government), (Pillar.ECONOMY, self.serves_economy),
                               (Pillar.SOCIETY, self.serves_society)) if f.data]


class ClaimCompanyForm(Form):
    tax_code = StringField(_l("Tax code"), validators=[InputRequired(message=_l("Enter the tax code.")),
                                                       Length(max=20), NoControlCharacters()], filters=[strip])
    name = _text(_l("Business name"), 300, required=True, message=_l("Enter the name."))
    is_it = BooleanField(_l("IT (digital-technology) business"), default=True)
    founded_on = DateField(_l("Founded on"), validators=[Optional(), bounds.FOUNDING.validator()])
    sector = _text(_l("Sector"), 200)
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(min=0, max=1_000_000)])
    position = _text(_l("Your position in the company"), 100)
    certificate = FileField(_l("Business registration certificate (PDF, up to 10 MB)"),
                            validators=[FileAllowed(["pdf"], _l("Only PDF files are accepted."))],
                            render_kw={"accept": "application/pdf,.pdf"})


class MembershipDecisionForm(Form):
    reason = _text(_l("Reason"), 500)


class VerifyCompanyForm(Form):
    version = HiddenField()
