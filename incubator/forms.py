"""Shared form pieces: every field has a length limit and a type; NUL bytes are refused."""

from __future__ import annotations

import decimal
import re
from types import SimpleNamespace

import wtforms
from flask_babel import get_translations, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from incubator.db import INTEGER_RANGE, NUMERIC_18_RANGE
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
            """WTForms' own IntegerField and DecimalField, where a form still declares one, are bound as ours
            (below): no form can forget the bounds of the database or take a NaN."""
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


_BOUNDED = {wtforms.IntegerField: IntegerField, wtforms.DecimalField: DecimalField}


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
