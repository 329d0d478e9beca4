"""The forms of businesses' requests: the founder's (file, add information, withdraw, rate), the staff's
actions on a request, and the lists staff keep (categories, bodies, calendar days)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from incubator import bounds
from incubator.forms import DateField, Form, IntegerField, NoControlCharacters, strip, text_field
from incubator.requests.enums import BodyKind, CalendarDayKind, PublicationConsent, RequestKind

PDF_ONLY = FileAllowed(["pdf"], message=_l("Only PDF files can be attached."))


def _area(label, max_length, required=False, message=None, rows=None):
    first = DataRequired(message=message or _l("This field is required.")) if required else Optional()
    rows = rows or (8 if max_length > 5000 else 3)
    return TextAreaField(label, validators=[first, Length(max=max_length), NoControlCharacters()], filters=[strip],
                         render_kw={"rows": rows})


class FileRequestForm(Form):
    company = SelectField(_l("Business"), coerce=str, choices=[],
                          validators=[InputRequired(message=_l("Choose the business."))])
    incubator = SelectField(_l("Incubator"), coerce=str, choices=[], validate_choice=False)
    kind = RadioField(_l("Kind"), choices=[], default=RequestKind.REQUEST.value,
                      validators=[InputRequired(message=_l("Choose whether it is a request or a complaint."))])
    category = SelectField(_l("What it is about"), coerce=str, choices=[],
                           validators=[InputRequired(message=_l("Choose what the request is about."))])
    title = text_field(_l("Title"), 300, required=True, message=_l("Enter a title."))
    text = _area(_l("Your request"), 20000, required=True, message=_l("Write the request."))
    attachments = MultipleFileField(_l("Attachments (PDF, up to 10 MB each)"), validators=[PDF_ONLY],
                                    render_kw={"accept": ".pdf,application/pdf"})
    consent = RadioField(_l("May the answer be published?"), choices=[],
                         validators=[InputRequired(message=_l("Choose whether the answer may be published."))])

    def __init__(self, *args, companies=(), categories=(), incubators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.company.choices = [SelectChoice("", _l("Choose…"))] + [SelectChoice(str(c.id), c.name)
                                                                     for c in companies]
        self.category.choices = [SelectChoice("", _l("Choose…"))] + [SelectChoice(str(c.id), c.name)
                                                                      for c in categories]
        self.incubator.choices = [SelectChoice(str(i.id), f"{i.code} · {i.name}") for i in incubators]
        self.kind.choices = RequestKind.choices()
        self.consent.choices = PublicationConsent.choices()


class InformationForm(Form):
    text = _area(_l("The information asked for"), 20000, required=True,
                 message=_l("Write the information asked for."))
    attachments = MultipleFileField(_l("Attachments (PDF, up to 10 MB each)"), validators=[PDF_ONLY],
                                    render_kw={"accept": ".pdf,application/pdf"})
    version = HiddenField()


class WithdrawForm(Form):
    reason = _area(_l("Why (optional)"), 5000)
    version = HiddenField()


class RateForm(Form):
    satisfied = RadioField(_l("Does the answer satisfy you?"), choices=[SelectChoice("yes", _l("Yes, satisfied")),
                                                                         SelectChoice("no", _l("No, not satisfied"))],
                           validators=[InputRequired(message=_l("Say whether the answer satisfies you."))])
    comment = _area(_l("Comment (optional)"), 5000)


class ConsentForm(Form):
    consent = RadioField(_l("May the answer be published?"), choices=[],
                         validators=[InputRequired(message=_l("Choose whether the answer may be published."))])
    version = HiddenField()


# ---- Staff's actions on a request --------------------------------------------------------------------------

class RouteForm(Form):
    body = SelectField(_l("Body that must answer"), coerce=str, choices=[],
                       validators=[InputRequired(message=_l("Choose the body that must answer."))])
    reason = _area(_l("Reason for sending it to another body"), 5000)
    version = HiddenField()


class AskForm(Form):
    question = _area(_l("What the business should add"), 5000, required=True,
                     message=_l("Write what the business should add."))
    version = HiddenField()


class MergeForm(Form):
    into = text_field(_l("Number of the request it duplicates"), 20, required=True,
                      message=_l("Enter the number of the other request."))
    reason = _area(_l("Note (optional)"), 5000)
    version = HiddenField()


class DeclineForm(Form):
    reason = _area(_l("Reason for declining (the business reads it)"), 5000, required=True,
                   message=_l("Give the reason for declining."))
    version = HiddenField()


class AnswerForm(Form):
    text = _area(_l("Answer"), 20000, required=True, message=_l("Write the answer."))
    source = SelectField(_l("Where the answer comes from"), choices=[])
    body = SelectField(_l("Body that answered"), coerce=str, choices=[])
    document = FileField(_l("The body's answer (PDF, up to 10 MB)"), validators=[PDF_ONLY],
                         render_kw={"accept": ".pdf,application/pdf"})
    version = HiddenField()


class PublicationForm(Form):
    public_title = text_field(_l("Title to publish"), 300, required=True, message=_l("Enter the title to publish."))
    public_text = _area(_l("The question as it will be published"), 20000, required=True,
                        message=_l("Write the question as it will be published."))
    version = HiddenField()


class VersionForm(Form):
    """Approve, publish: a button with the version the page showed."""

    version = HiddenField()


class UnpublishForm(Form):
    reason = _area(_l("Reason (optional)"), 5000)
    version = HiddenField()


# ---- The lists staff keep ----------------------------------------------------------------------------------

class CategoryForm(Form):
    name_vi = text_field(_l("Name in Vietnamese"), 200, required=True, message=_l("Enter the name in Vietnamese."))
    name_en = text_field(_l("Name in English"), 200, required=True, message=_l("Enter the name in English."))
    time_limit_days = IntegerField(_l("Time limit (working days)"), default=15,
                                   validators=[InputRequired(message=_l("Enter the time limit.")),
                                               NumberRange(min=1, max=365)])
    position = IntegerField(_l("Place in the list"), validators=[Optional(), NumberRange(min=0, max=1000)])
    active = BooleanField(_l("Founders may choose it"), default=True)
    version = HiddenField()


class BodyForm(Form):
    name_vi = text_field(_l("Name in Vietnamese"), 300, required=True, message=_l("Enter the name in Vietnamese."))
    name_en = text_field(_l("Name in English"), 300)
    kind = SelectField(_l("Kind"), choices=[])
    contact_email = text_field(_l("Contact e-mail"), 254)
    active = BooleanField(_l("Requests may be sent to it"), default=True)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = BodyKind.choices()


class CalendarDayForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter the date.")),
                                           bounds.PROGRAMME.validator()])
    kind = SelectField(_l("Kind"), choices=[])
    note = text_field(_l("Note (e.g. the announcement)"), 300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = CalendarDayKind.choices()
