"""Shared form pieces: every field has a length limit and a type; NUL bytes are refused."""

from __future__ import annotations

import decimal
import re
from datetime import date, datetime, time
from types import SimpleNamespace

import wtforms
from flask import has_request_context, request
from flask_babel import get_translations, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput, html_params

from incubator.db import INTEGER_RANGE, NUMERIC_18_RANGE
from incubator.i18n import UnreadableDate, input_date, read_date, read_datetime, read_time
from incubator.text import has_control_characters


class NoControlCharacters:
    """Refuse NUL and other control characters (C0, DEL, C1), line separators and bidirectional overrides (but
    tabs and line breaks): see incubator.text.has_control_characters."""

    def __call__(self, form, field):
        value = field.data
        if isinstance(value, str) and has_control_characters(value, allowed="\t\r\n"):
            raise ValidationError(_l("This text contains invisible control characters; remove them."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def long_text(label, max_length):
    """An optional text area: stripped, at most max_length characters, no control characters."""
    return wtforms.TextAreaField(label, validators=[wtforms.validators.Optional(),
                                                    wtforms.validators.Length(max=max_length),
                                                    NoControlCharacters()], filters=[strip])


class _CatalogueTranslations:
    """WTForms' own messages ("Not a valid date value." …), looked up in our catalogues: WTForms ships
    no Vietnamese, so its English source strings are translated with ours (see _wtforms_messages)."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """The base of every form of the application."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()

        def bind_field(self, form, unbound_field, options):
            """WTForms' own IntegerField, DecimalField, DateField, DateTimeLocalField and TimeField, where a form
            still declares one, are bound as ours (below): no form can forget the bounds of the database, take a
            NaN, or show a day in the browser's order rather than dd/mm/yyyy."""
            replacement = _BOUNDED.get(unbound_field.field_class)
            if replacement is not None:
                unbound_field = wtforms.fields.core.UnboundField(
                    replacement, *unbound_field.args, name=unbound_field.name, **unbound_field.kwargs)
            return super().bind_field(form, unbound_field, options)


def _wtforms_messages():  # pragma: no cover - never called: lists WTForms' messages for extraction
    _ = gettext
    _("Not a valid date value.")
    _("Not a valid datetime value.")
    _("Not a valid decimal value.")
    _("Not a valid float value.")
    _("Not a valid integer value.")
    _("Not a valid choice.")
    _("Invalid Choice: could not coerce.")
    _("This field is required.")
    _("Invalid input.")
    _("Invalid URL.")
    _("Invalid email address.")
    _("Field must be equal to %(other_name)s.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    _("Field must be between %(min)d and %(max)d characters long.")
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1)
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1)


def _refused_by_range(field, value):
    """The message of the field's own NumberRange for ``value``, or None when it has none that refuses it."""
    stand_in = SimpleNamespace(data=value, gettext=field.gettext, ngettext=field.ngettext)
    for validator in field.validators:
        if isinstance(validator, NumberRange):
            try:
                validator(None, stand_in)
            except ValidationError as exc:
                return exc.args[0]
    return None


class _StopsOnBadInput:
    """A number typed that could not be read (or is out of bounds) has one message: the validators that follow
    would only repeat it about an empty value (NumberRange: "Number must be between …"). A blank input goes on
    to them: Optional() lets it through, InputRequired() asks for it."""

    def pre_validate(self, form):
        if self.process_errors and self.raw_data and str(self.raw_data[0]).strip():
            raise StopValidation()
        if self.raw_data and isinstance(self.raw_data[0], str) and not self.raw_data[0].strip():
            # Only spaces or a line break ("\r") is blank: InputRequired() asks for it, as for "".
            self.raw_data = [""]
        super().pre_validate(form)


class IntegerField(_StopsOnBadInput, wtforms.IntegerField):
    """An integer that its column can hold: beyond ``minimum``…``maximum`` (by default INTEGER's range, the
    type of every Integer column on PostgreSQL; see incubator.db) the field is refused with its own
    NumberRange's message (or the range's), and its data is None, so no query or insert ever sees the number.
    Give ``minimum``/``maximum`` for a field stored wider (NUMERIC, JSON)."""

    minimum, maximum = INTEGER_RANGE

    def __init__(self, label=None, validators=None, *, minimum: int | None = None, maximum: int | None = None,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        if minimum is not None:
            self.minimum = minimum
        if maximum is not None:
            self.maximum = maximum

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        value = self.data
        if value is not None and not self.minimum <= value <= self.maximum:
            self.data = None
            raise ValueError(_refused_by_range(self, value) or self.gettext(
                "Number must be between %(min)s and %(max)s.") % {"min": self.minimum, "max": self.maximum})


class DecimalField(_StopsOnBadInput, wtforms.DecimalField):
    """A decimal number that is one: "NaN", "sNaN", "Infinity" (which Python's Decimal reads, and which would
    make the range check itself fail) are refused as text that is no number is. With ``places``, the number is
    rounded to them as its NUMERIC column would round it (half away from zero): PostgreSQL refuses to read
    "1e-999999999" at all, where the column keeps 0.00; a number too long to round is refused."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        value = self.data
        if value is None:
            return
        if not value.is_finite():
            self.data = None
            raise ValueError(_l("Enter a number."))
        if self.places is not None:
            try:
                self.data = value.quantize(decimal.Decimal(1).scaleb(-self.places),
                                           rounding=self.rounding or decimal.ROUND_HALF_UP)
            except decimal.InvalidOperation:
                self.data = None
                raise ValueError(_refused_by_range(self, value) or self.gettext("Not a valid decimal value.")) from None


_BOUNDED = {wtforms.IntegerField: IntegerField, wtforms.DecimalField: DecimalField}  # and the dates, below


class MoneyField(IntegerField):
    """An amount in đồng as people type it: "150.000.000", "150 000 000 ₫" or "150000000". A text box (with
    the numeric keypad on phones), not type=number: a browser would blank "150.000.000" in a number box and
    send nothing back. Amounts are NUMERIC(18, 0)."""

    widget = TextInput()
    minimum, maximum = NUMERIC_18_RANGE

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [re.sub(r"[\s.,₫đĐ]|VND", "", v or "", flags=re.IGNORECASE) for v in valuelist]
        super().process_formdata(valuelist)

    def __call__(self, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        return super().__call__(**kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if isinstance(self.data, int) else ""


# ---- Dates typed as people here write them -------------------------------------------------------------------

def _date_message(error: UnreadableDate, with_time: bool = False):
    if error.reason == "short_year":
        return _l("Write the year with its four digits: dd/mm/yyyy.")
    if error.reason == "no_such_day":
        return _l("There is no day %(date)s: write the day, then the month, then the year (dd/mm/yyyy).",
                  date=error.text)
    if error.reason == "no_time":
        return _l("Give the time as well: HH:mm dd/mm/yyyy, for example 17:00 31/12/2025.")
    if error.reason == "time":
        return _l("Enter the time as HH:mm on the 24-hour clock, for example 14:30.")
    if with_time:
        return _l("Enter the date and time as HH:mm dd/mm/yyyy, for example 17:00 31/12/2025.")
    return _l("Enter the date as dd/mm/yyyy, for example 31/12/2025.")


class DayInput(TextInput):
    """A text box for a day (or a day and a time) with the calendar of static/js/datepicker.js: the browser's
    own date input would show and read the day in the browser's language (month first in an English
    Chromium). The bounds of the field (DateBounds' flags) go to the calendar, as ISO days."""

    validation_attrs = ["required", "disabled"]

    def __init__(self, kind: str = "date"):
        super().__init__()
        self.kind = kind

    def __call__(self, field, **kwargs):
        return super().__call__(field, **picker_attributes(self.kind, getattr(field.flags, "min", None),
                                                           getattr(field.flags, "max", None), kwargs))


def picker_attributes(kind: str, first=None, last=None, kwargs: dict | None = None) -> dict:
    """The attributes of a day's text box (also used by the lists' filters, macros/forms.html date_input):
    its placeholder, keyboard, and the calendar's bounds and words."""
    kwargs = dict(kwargs or {})
    if kind == "date":
        kwargs.setdefault("placeholder", gettext("dd/mm/yyyy"))
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("maxlength", 12)
    else:
        kwargs.setdefault("placeholder", gettext("HH:mm dd/mm/yyyy"))
        kwargs.setdefault("maxlength", 20)
    kwargs.setdefault("autocomplete", "off")
    kwargs["data-datepicker"] = kind
    if first is not None:
        kwargs["data-min"] = str(first)[:10]
    if last is not None:
        kwargs["data-max"] = str(last)[:10]
    kwargs.update({"data-label-open": gettext("Choose on a calendar"), "data-label-prev": gettext("Previous month"),
                   "data-label-next": gettext("Next month"), "data-label-month": gettext("Month"),
                   "data-label-year": gettext("Year"), "data-label-today": gettext("Today"),
                   "data-label-close": gettext("Close"), "data-label-time": gettext("Time")})
    return kwargs


def day_input(name: str, value, label: str | None = None, id: str | None = None, cls: str = "form-control") -> Markup:
    """A day's text box outside a form class (a list's filter, read from the query string with
    i18n.parse_date): what DayInput draws, labelled by ``label`` (aria-label) unless a <label> names it."""
    attributes = picker_attributes("date", kwargs={"class": cls, **({"aria-label": label} if label else {})})
    day = value if isinstance(value, date) else None
    error = _filter_date_error(name, day)
    if error is None:
        return Markup("<input %s>") % Markup(html_params(type="text", id=id or name, name=name,  # noqa: S704
                                                         value=input_date(day), **attributes))
    # A day typed that could not be read (or is out of range): not applied, kept as typed, and said at the field.
    field_id = id or name
    attributes["class"] = f"{cls} is-invalid"
    attributes.update({"aria-invalid": "true", "aria-describedby": f"{field_id}-error"})
    box = Markup("<input %s>") % Markup(html_params(type="text", id=field_id, name=name,  # noqa: S704
                                                    value=request.args.get(name, "")[:40], **attributes))
    return box + Markup('<div class="invalid-feedback d-block" id="%s-error">%s</div>') % (field_id, error)


def _filter_date_error(name: str, day: date | None):
    """Why the day typed in the query string for ``name`` was not used (None when it was, or none was typed)."""
    if not has_request_context():
        return None
    typed = (request.args.get(name) or "").strip()
    if not typed or day is not None:
        return None
    try:
        read_date(typed)
    except UnreadableDate as error:
        return _date_message(error)
    return _l("This day is outside the dates the list covers: the filter is not applied.")


def register(app) -> None:
    app.jinja_env.globals["day_input"] = day_input


class DateField(_StopsOnBadInput, wtforms.DateField):
    """A day, typed and shown as dd/mm/yyyy in both languages, whatever the browser's language; d/m/yyyy,
    31.12.2025, 31122025 and ISO yyyy-mm-dd are understood too. A day that is none (31/02), a year of two
    digits or other text is refused with a message saying what to write; blank is None (Optional() or
    InputRequired() decide). Used for every date of every form (no form uses WTForms' own)."""

    widget = DayInput("date")
    format_hint = _l("Day/month/year, for example 31/12/2025.")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = read_date(valuelist[0])
        except UnreadableDate as exc:
            self.data = None
            raise ValueError(_date_message(exc)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return input_date(self.data) if isinstance(self.data, date) else ""


class LocalDateTimeField(_StopsOnBadInput, wtforms.DateTimeField):
    """A day and a time in Hà Nội, typed and shown as the pages print them (HH:mm dd/mm/yyyy; also
    dd/mm/yyyy HH:mm and ISO), naive. Only in the years the application deals with (1990 to 2100): the far
    ends of the calendar overflow when moved to UTC and back; within them, the domain's bounds say which days
    are accepted (bounds.PROGRAMME, on the fields that give it)."""

    widget = DayInput("datetime")
    format_hint = _l("Time and day in Hà Nội, for example 17:00 31/12/2025.")
    FIRST_YEAR, LAST_YEAR = 1990, 2100

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.pop("format", None)
        wtforms.Field.__init__(self, label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = read_datetime(valuelist[0])
        except UnreadableDate as exc:
            self.data = None
            raise ValueError(_date_message(exc, with_time=True)) from None
        if self.data is not None and not self.FIRST_YEAR <= self.data.year <= self.LAST_YEAR:
            self.data = None
            raise ValueError(self.gettext("Not a valid datetime value."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M %d/%m/%Y") if isinstance(self.data, datetime) else ""


class TimeField(_StopsOnBadInput, wtforms.Field):
    """A time of day on the 24-hour clock, typed (09:30, 9h30, 0930): the browser's own time input shows
    "09:30 AM" in an English browser."""

    widget = TextInput()
    format_hint = _l("24-hour clock, for example 14:30.")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = read_time(valuelist[0])
        except UnreadableDate as exc:
            self.data = None
            raise ValueError(_date_message(exc)) from None

    def __call__(self, **kwargs):
        kwargs.setdefault("placeholder", gettext("HH:mm"))
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("maxlength", 8)
        kwargs.setdefault("autocomplete", "off")
        return super().__call__(**kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""


_BOUNDED.update({wtforms.DateField: DateField, wtforms.DateTimeLocalField: LocalDateTimeField,
                 wtforms.TimeField: TimeField})


class Finite:
    """Refuses NaN and infinities (Decimal("sNaN") would make the range check itself fail)."""

    def __call__(self, form, field):
        value = field.data
        if value is not None and hasattr(value, "is_finite") and not value.is_finite():
            raise StopValidation(_l("Enter a number."))  # stop: the range check would fail on it


class CheckboxOfList(CheckboxInput):
    """One box of a list of checkboxes. A box never carries the list's ``required``: WTForms gives each option
    the list's validators, so InputRequired() made every box required and the browser refused the form until
    all were ticked. Whether at least one is ticked is the list's rule, checked on the server."""

    validation_attrs = ["disabled"]


class MultiCheckboxField(wtforms.SelectMultipleField):
    """Several choices as a list of checkboxes (rendered by the ``field`` macro, one box per choice)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxOfList()

    def post_validate(self, form, validation_stopped):
        """Optional() stops at an empty first value and clears the errors found so far: a value that is none
        of the boxes (a crafted post) is refused all the same, never passed on to the services."""
        if validation_stopped and self.data and self.validate_choice and self.choices is not None:
            self.pre_validate(form)


def text_field(label, max_length: int, required: bool = False, message=None):
    """A one-line text, stripped; when required, blank or only spaces is refused (DataRequired looks at the
    stripped value, where InputRequired would accept "   ")."""
    from wtforms import StringField
    from wtforms.validators import DataRequired, Length, Optional

    first = DataRequired(message=message or _l("This field is required.")) if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length), NoControlCharacters()], filters=[strip])
