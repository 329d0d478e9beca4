from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.forms import DateField, Form, NoControlCharacters, long_text, strip, text_field
from incubator.outcomes.enums import Pillar

PAST = bounds.DateRule(bounds.EARLIEST, bounds.today)


def _required_text(label, max_length, message):
    return TextAreaField(label, validators=[InputRequired(message=message), Length(max=max_length),
                                            NoControlCharacters()], filters=[strip])


class EntryForm(Form):
    name_vi = text_field(_l("Name (Vietnamese)"), 200, required=True, message=_l("Give the product's name."))
    name_en = text_field(_l("Name (English)"), 200)
    summary_vi = _required_text(_l("What it does (Vietnamese)"), 3000, _l("Say what the product does."))
    summary_en = long_text(_l("What it does (English)"), 3000)
    audience_vi = text_field(_l("For whom (Vietnamese)"), 500, required=True,
                             message=_l("Say whom the product is for."))
    audience_en = text_field(_l("For whom (English)"), 500)
    pillar = SelectField(_l("Digital pillar"), choices=[],
                         validators=[InputRequired(message=_l("Choose the digital pillar the product serves."))])
    group_id = SelectField(_l("Product group"), coerce=int, choices=[],
                           validators=[InputRequired(message=_l("Choose the product group."))])
    on_market_since = DateField(_l("On the market since (the first of the month when only the month is known)"),
                                validators=[Optional(), PAST.validator()])
    public_customers = long_text(_l("Public-sector customers"), 1000)
    website = text_field(_l("Website"), 300)
    version = HiddenField(validators=[InputRequired()])  # a change is made on the version it was read at

    def __init__(self, groups, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pillar.choices = Pillar.choices()
        self.group_id.choices = [(g.id, g.name) for g in groups]

    @property
    def fields(self) -> dict:
        return {key: getattr(self, key).data for key in (
            "name_vi", "name_en", "summary_vi", "summary_en", "audience_vi", "audience_en", "pillar", "group_id",
            "on_market_since", "public_customers", "website")}


class NewEntryForm(EntryForm):
    version = HiddenField()
    listed = BooleanField(_l("List this product in the public catalogue (you may withdraw this at any time)"),
                          default=True)


class VersionForm(Form):
    version = HiddenField(validators=[InputRequired()])


class RefuseForm(Form):
    reason = _required_text(_l("Reason the founder will read"), 1000, _l("Give the reason the founder will read."))
    version = HiddenField(validators=[InputRequired()])


class GroupForm(Form):
    code = text_field(_l("Code"), 40, required=True)
    name_vi = text_field(_l("Name (Vietnamese)"), 200, required=True)
    name_en = text_field(_l("Name (English)"), 200, required=True)
    position = IntegerField(_l("Position in the list"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=10000)])
    active = BooleanField(_l("Offered to founders"), default=True)
    version = HiddenField()

    @property
    def fields(self) -> dict:
        return {"code": self.code.data, "name_vi": self.name_vi.data, "name_en": self.name_en.data,
                "position": self.position.data or 0, "active": self.active.data}


class EditGroupForm(GroupForm):
    version = HiddenField(validators=[InputRequired()])


class ContactForm(Form):
    name = text_field(_l("Your name"), 200, required=True, message=_l("Give your name."))
    email = EmailField(_l("Your e-mail address"), validators=[
        InputRequired(message=_l("Give the address the business will answer.")), Length(max=254),
        Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)], filters=[strip])
    organisation = text_field(_l("Your organisation"), 200)
    message = _required_text(_l("Your message"), 3000, _l("Write your message."))
    answer = StringField(_l("Answer"), validators=[InputRequired(message=_l("Answer the question.")),
                                                   Length(max=20), NoControlCharacters()], filters=[strip])
    question = HiddenField()
    # Left empty by people (it is hidden from them); robots that fill every field are refused.
    homepage = StringField(_l("Leave this field empty"), validators=[Length(max=300)])
