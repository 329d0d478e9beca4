
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.applications.eligibility import BILLION, SectorKind
from incubator.applications.enums import QuestionKind
from incubator.forms import Form, IntegerField, LocalDateTimeField, NoControlCharacters, long_text, strip
from incubator.i18n import to_local_naive, to_utc


def _text(label, max_length, required=False):
    validators = [InputRequired(message=_l("This field is required.")) if required else Optional(),
                  Length(max=max_length), NoControlCharacters()]
    return StringField(label, validators=validators, filters=[strip])


def moment_field(label):
    """A required time and day in Hà Nội within the programme's bounds."""
    return LocalDateTimeField(label, validators=[InputRequired(message=_l("Enter the date and time.")),
                                                 bounds.PROGRAMME.validator(with_time=True)])


class RoundForm(Form):
    name_vi = _text(_l("Name in Vietnamese"), 200, required=True)
    name_en = _text(_l("Name in English"), 200, required=True)
    description_vi = long_text(_l("Description in Vietnamese"), 5000)
    description_en = long_text(_l("Description in English"), 5000)
    opens_at = moment_field(_l("Opens (Hà Nội time)"))
    closes_at = moment_field(_l("Closes (Hà Nội time)"))
    cohort_name = _text(_l("Cohort it feeds"), 200)
    # Eligibility parameters (Decree 80/2021 defaults)
    company_age_enabled = BooleanField(_l("Check the company's age"), default=True)
    max_years = IntegerField(_l("At most this many years since first registration"), default=5,
                             validators=[InputRequired(), NumberRange(min=1, max=50)])
    not_public_enabled = BooleanField(_l("Refuse public companies"), default=True)
    sme_size_enabled = BooleanField(_l("Check the size of a small or medium enterprise"), default=True)
    services_employees = IntegerField(_l("Services and trade: most employees"), default=100,
                                      validators=[InputRequired(), NumberRange(min=1, max=100000)])
    services_revenue = IntegerField(_l("Services and trade: most revenue (billion VND)"), default=300,
                                    validators=[InputRequired(), NumberRange(min=0, max=10**6)])
    services_capital = IntegerField(_l("Services and trade: most capital (billion VND)"), default=100,
                                    validators=[InputRequired(), NumberRange(min=0, max=10**6)])
    other_employees = IntegerField(_l("Other sectors: most employees"), default=200,
                                   validators=[InputRequired(), NumberRange(min=1, max=100000)])
    other_revenue = IntegerField(_l("Other sectors: most revenue (billion VND)"), default=200,
                                 validators=[InputRequired(), NumberRange(min=0, max=10**6)])
    other_capital = IntegerField(_l("Other sectors: most capital (billion VND)"), default=100,
                                 validators=[InputRequired(), NumberRange(min=0, max=10**6)])
    it_business_enabled = BooleanField(_l("IT businesses only"), default=True)
    novelty_enabled = BooleanField(_l("Staff judge the novelty of the product"), default=True)
    version = HiddenField()

    def eligibility(self) -> dict:
        services, other = SectorKind.SERVICES_TRADE.value, SectorKind.OTHER.value
        return {
            "company_age": {"enabled": self.company_age_enabled.data, "max_years": self.max_years.data},
            "not_public": {"enabled": self.not_public_enabled.data},
            "sme_size": {
                "enabled": self.sme_size_enabled.data,
                services: {"employees": self.services_employees.data,
                           "revenue": self.services_revenue.data * BILLION,
                           "capital": self.services_capital.data * BILLION},
                other: {"employees": self.other_employees.data, "revenue": self.other_revenue.data * BILLION,
                        "capital": self.other_capital.data * BILLION},
            },
            "it_business": {"enabled": self.it_business_enabled.data},
            "novelty": {"enabled": self.novelty_enabled.data},
        }

    def load(self, intake_round) -> None:
        from incubator.applications.eligibility import parameters

        for name in ("name_vi", "name_en", "description_vi", "description_en", "cohort_name"):
            getattr(self, name).data = getattr(intake_round, name)
        self.opens_at.data = to_local_naive(intake_round.opens_at)
        self.closes_at.data = to_local_naive(intake_round.closes_at)
        params = parameters(intake_round.eligibility)
        sizes = params["sme_size"]
        services, other = sizes[SectorKind.SERVICES_TRADE.value], sizes[SectorKind.OTHER.value]
        self.company_age_enabled.data = params["company_age"]["enabled"]
        self.max_years.data = params["company_age"]["max_years"]
        self.not_public_enabled.data = params["not_public"]["enabled"]
        self.sme_size_enabled.data = params["sme_size"]["enabled"]
        self.services_employees.data, self.other_employees.data = services["employees"], other["employees"]
        self.services_revenue.data = services["revenue"] // BILLION
        self.other_revenue.data = other["revenue"] // BILLION
        self.services_capital.data = services["capital"] // BILLION
        self.other_capital.data = other["capital"] // BILLION
        self.it_business_enabled.data = params["it_business"]["enabled"]
        self.novelty_enabled.data = params["novelty"]["enabled"]
        self.version.data = intake_round.version_id

    def fields(self) -> dict:
        return {"name_vi": self.name_vi.data, "name_en": self.name_en.data,
                "description_vi": self.description_vi.data or None, "description_en": self.description_en.data or None,
                "opens_at": to_utc(self.opens_at.data), "closes_at": to_utc(self.closes_at.data),
                "cohort_name": self.cohort_name.data or None, "eligibility": self.eligibility()}




class QuestionForm(Form):
    kind = SelectField(_l("Kind of answer"), choices=[])
    label_vi = _text(_l("Question in Vietnamese"), 500, required=True)
    label_en = _text(_l("Question in English"), 500, required=True)
    help_vi = _text(_l("Help in Vietnamese"), 1000)
    help_en = _text(_l("Help in English"), 1000)
    required = BooleanField(_l("An answer is required"))
    max_length = IntegerField(_l("Longest answer (characters)"), validators=[Optional(), NumberRange(min=1,
                                                                                                   max=20000)])
    choices = long_text(_l("Choices, one per line: Vietnamese | English"), 5000)
    hidden = BooleanField(_l("Hidden from founders"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = QuestionKind.choices()

    def parsed_choices(self) -> list[dict]:
        if isinstance(self.choices.data, list):  # not posted: the form still holds the question's own choices
            return list(self.choices.data)
        result = []
        for i, line in enumerate((self.choices.data or "").splitlines()):
            if not line.strip():
                continue
            vi, _, en = line.partition("|")
            result.append({"value": f"c{i + 1}", "label_vi": vi.strip(), "label_en": (en or vi).strip()})
        return result

    def fields(self) -> dict:
        return {"kind": QuestionKind(self.kind.data), "label_vi": self.label_vi.data, "label_en": self.label_en.data,
                "help_vi": self.help_vi.data or None, "help_en": self.help_en.data or None,
                "required": self.required.data, "max_length": self.max_length.data,
                "choices": self.parsed_choices(), "hidden": self.hidden.data}


class DocumentForm(Form):
    name_vi = _text(_l("Document in Vietnamese"), 300, required=True)
    name_en = _text(_l("Document in English"), 300, required=True)
    required = BooleanField(_l("Required"), default=True)


class ExtendForm(Form):
    closes_at = moment_field(_l("New closing time (Hà Nội time)"))
    reason = _text(_l("Reason"), 500, required=True)


class CopyRoundForm(Form):
    name_vi = _text(_l("Name in Vietnamese"), 200, required=True)
    name_en = _text(_l("Name in English"), 200, required=True)
    opens_at = moment_field(_l("Opens (Hà Nội time)"))
    closes_at = moment_field(_l("Closes (Hà Nội time)"))


class OverrideForm(Form):
    reason = _text(_l("Reason for letting it through"), 1000, required=True)


class NoveltyForm(Form):
    """Staff's judgement of the checklist's novelty rule."""

    version = HiddenField()
    met = RadioField(_l("Is the product or technology new?"), validators=[InputRequired(
        message=_l("Choose whether the product or technology is new."))], choices=[
        SelectChoice("yes", _l("Yes, it is new")), SelectChoice("no", _l("No, it is not new"))])
    note = long_text(_l("Reason or note (required when it is not new)"), 1000)


class WithdrawForm(Form):
    """The founder confirms the withdrawal, with a reason if they wish."""

    reason = long_text(_l("Reason (optional)"), 500)
