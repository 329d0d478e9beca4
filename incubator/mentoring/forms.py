from __future__ import annotations

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.auth.forms import MultiCheckboxField
from incubator.forms import DateField, Form, IntegerField, NoControlCharacters, TimeField, long_text, strip, text_field
from incubator.i18n import local_tz
from incubator.mentoring.enums import SessionMode, Topic


class SessionForm(Form):
    version = HiddenField()
    starts_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date.")),
                                                  bounds.SESSION.validator()])
    starts_time = TimeField(_l("Start time"), validators=[InputRequired(message=_l("Enter the start time."))])
    minutes = IntegerField(_l("Length (minutes)"), default=60,
                           validators=[InputRequired(), NumberRange(min=5, max=720)])
    mode = SelectField(_l("Where"), choices=SessionMode.choices, validators=[InputRequired()])
    place = text_field(_l("Place (in person)"), 300)
    link = URLField(_l("Link (online)"), filters=[strip], validators=[
        Optional(), Length(max=500), URL(message=_l("Enter a full address, starting with https://"))])
    topics = MultiCheckboxField(_l("Topics"), choices=Topic.choices, validators=[Optional()])
    action_items = long_text(_l("Action items (the founders see them)"), 5000)
    notes = long_text(_l("Notes (only you and the incubator's staff see them)"), 10000)
    # Asked of staff changing a session already confirmed (shown in the session's history).
    reason = TextAreaField(_l("Why is the confirmed session changed?"), filters=[strip],
                           validators=[Optional(), Length(max=1000), NoControlCharacters()])

    def load(self, session) -> None:
        local = session.starts_at.astimezone(local_tz())
        self.starts_on.data, self.starts_time.data = local.date(), local.time().replace(second=0, microsecond=0)
        for key in ("minutes", "place", "link", "topics", "action_items", "notes"):
            getattr(self, key).data = getattr(session, key)
        self.mode.data = session.mode.value
        self.version.data = session.version_id

    def fields(self) -> dict:
        start = datetime.combine(self.starts_on.data, self.starts_time.data or time(0), tzinfo=local_tz())
        return {"starts_at": start, "minutes": self.minutes.data, "mode": self.mode.data, "place": self.place.data,
                "link": self.link.data, "topics": self.topics.data or [], "action_items": self.action_items.data,
                "notes": self.notes.data}


class AnswerForm(Form):
    version = HiddenField()
    reason = TextAreaField(_l("What is wrong with the session as logged?"), filters=[strip],
                           validators=[Optional(), Length(max=1000), NoControlCharacters()])


class ProfileForm(Form):
    topics = MultiCheckboxField(_l("Expertise"), choices=Topic.choices, validators=[Optional()])
    languages = MultiCheckboxField(_l("Languages"), choices=[SelectChoice("vi", "Tiếng Việt"),
                                                             SelectChoice("en", "English")], validators=[Optional()])
    bio = long_text(_l("Short biography"), 3000)
    capacity = IntegerField(_l("Startups at once"), default=3, validators=[InputRequired(), NumberRange(min=0, max=50)])


class AssignMentorForm(Form):
    member_id = SelectField(_l("Startup"), coerce=int, validators=[InputRequired()])
    mentor_id = SelectField(_l("Mentor"), coerce=int, validators=[InputRequired()])


class AgreementForm(Form):
    version = HiddenField()
    programme = text_field(_l("Programme"), 300, required=True)
    starts_on = DateField(_l("First day"), validators=[InputRequired(message=_l("Enter the first day.")),
                                                       bounds.PROGRAMME.validator()])
    ends_on = DateField(_l("Last day"), validators=[Optional(), bounds.PROGRAMME.validator()])
    scope = long_text(_l("Scope"), 5000)
    mentoring_hours = IntegerField(_l("Mentoring hours committed"), validators=[Optional(), NumberRange(min=0,
                                                                                                      max=100000)])

    FIELDS = ("programme", "starts_on", "ends_on", "scope", "mentoring_hours")

    def load(self, agreement) -> None:
        for key in self.FIELDS:
            getattr(self, key).data = getattr(agreement, key)
        self.version.data = agreement.version_id

    def fields(self) -> dict:
        return {key: getattr(self, key).data for key in self.FIELDS}


class PartnerForm(Form):
    version = HiddenField()
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    name = text_field(_l("Name"), 200, required=True)
    short_name = text_field(_l("Short name"), 60)
    tax_code = text_field(_l("Tax code"), 14)
    contact_name = text_field(_l("Contact person"), 200)
    contact_email = text_field(_l("Contact e-mail"), 254)
    contact_phone = text_field(_l("Contact phone"), 30)
    website = text_field(_l("Website"), 300)

    FIELDS = ("kind", "name", "short_name", "tax_code", "contact_name", "contact_email", "contact_phone", "website")

    def __init__(self, *args, **kwargs):
        from incubator.partners.enums import PartnerKind

        super().__init__(*args, **kwargs)
        self.kind.choices = PartnerKind.choices()
