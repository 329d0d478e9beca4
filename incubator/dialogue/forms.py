"""The forms of dialogue conferences: plan or edit, the agenda, invitations, the answers and questions recorded,
cancel, the minutes; the founder's registration with a question raised beforehand."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from incubator.forms import (
    Form,
    IntegerField,
    LocalDateTimeField,
    MultiCheckboxField,
    NoControlCharacters,
    strip,
    text_field,
)


def _area(label, max_length, required=False, message=None, rows=3):
    first = DataRequired(message=message or _l("This field is required.")) if required else Optional()
    return TextAreaField(label, validators=[first, Length(max=max_length), NoControlCharacters()], filters=[strip],
                         render_kw={"rows": rows})


class ConferenceForm(Form):
    title = text_field(_l("Title"), 300, required=True, message=_l("Enter the conference's title."))
    starts_at = LocalDateTimeField(_l("Date and time"),
                                   validators=[InputRequired(message=_l("Enter the date and time."))])
    minutes_long = IntegerField(_l("Length (minutes)"), default=180,
                                validators=[InputRequired(), NumberRange(min=15, max=1440)])
    place = text_field(_l("Place"), 300)
    link = text_field(_l("Link (online)"), 500)
    chair = text_field(_l("Chaired by"), 200, required=True, message=_l("Enter who chairs the conference."))
    bodies = MultiCheckboxField(_l("Bodies attending"), choices=[], coerce=int, validators=[Optional()])
    version = HiddenField()


class AgendaForm(Form):
    number = text_field(_l("Request number"), 20, required=True, message=_l("Enter the request's number."))


class ItemForm(Form):
    item = HiddenField()


class RecordAnswerForm(Form):
    item = HiddenField()
    text = _area(_l("Answer given"), 20000, required=True, message=_l("Write the answer given."), rows=4)


class InviteForm(Form):
    concerned = BooleanField(_l("The businesses whose requests are on the agenda"), default=True)
    emails = _area(_l("Others, by e-mail address (one a line)"), 5000)


class FloorForm(Form):
    text = _area(_l("Question"), 20000, required=True, message=_l("Write the question."))
    asked_by = text_field(_l("Asked by (kept for staff; never published)"), 300)
    outcome = RadioField(_l("What became of it"), choices=[],
                         validators=[InputRequired(message=_l("Choose what became of the question."))])
    company = SelectField(_l("Business that raised it (for a new request)"), coerce=str, choices=[],
                          validate_choice=False)
    category = SelectField(_l("What it is about (for a new request)"), coerce=str, choices=[],
                           validate_choice=False)
    title = text_field(_l("Title of the request (optional)"), 300)
    answer_text = _area(_l("Answer given"), 20000)
    body = SelectField(_l("Body that must answer"), coerce=str, choices=[], validate_choice=False)
    number = text_field(_l("Number of the request it is attached to"), 20)


class CancelForm(Form):
    reason = _area(_l("Reason for cancelling"), 2000, required=True, message=_l("Give the reason for cancelling."))
    version = HiddenField()


class MinutesForm(Form):
    number = text_field(_l("Number of the minutes"), 40)
    attendance = _area(_l("Attending"), 20000, rows=3)
    conclusions = _area(_l("Conclusions"), 20000, required=True,
                        message=_l("Write the conclusions of the conference."), rows=6)
    version = HiddenField()


class VersionForm(Form):
    version = HiddenField()


class RegisterForm(Form):
    company = SelectField(_l("Business"), coerce=str, choices=[], validate_choice=False)
    question_title = text_field(_l("Title of your question (optional)"), 300)
    question_text = _area(_l("A question to raise (optional): it is filed as your business's request"), 20000,
                          rows=5)
    category = SelectField(_l("What it is about"), coerce=str, choices=[], validate_choice=False)
    consent = RadioField(_l("May the answer be published?"), choices=[], validators=[Optional()])
