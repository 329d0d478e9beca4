"""Shared form pieces: every field has a length limit and a type; NUL bytes are refused."""

from __future__ import annotations

import re

from flask_babel import get_translations, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput


class NoControlCharacters:
    """Refuse NUL and other control characters (but tabs and line breaks)."""

    def __call__(self, form, field):
        value = field.data
        if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\r\n" for c in value):
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


class MoneyField(IntegerField):
    """An amount in đồng as people type it: "150.000.000", "150 000 000 ₫" or "150000000". A text box (with
    the numeric keypad on phones), not type=number: a browser would blank "150.000.000" in a number box and
    send nothing back."""

    widget = TextInput()

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


def text_field(label, max_length: int, required: bool = False, message=None):
    """A one-line text, stripped; when required, blank or only spaces is refused (DataRequired looks at the
    stripped value, where InputRequired would accept "   ")."""
    from wtforms import StringField
    from wtforms.validators import DataRequired, Length, Optional

    first = DataRequired(message=message or _l("This field is required.")) if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length), NoControlCharacters()], filters=[strip])
