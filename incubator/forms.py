"""Shared form pieces: every field has a length limit and a type; NUL bytes are refused."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


class NoControlCharacters:
    """Refuse NUL and other control characters (but tabs and line breaks)."""

    def __call__(self, form, field):
        value = field.data
        if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\r\n" for c in value):
            raise ValidationError(_l("This text contains invisible control characters; remove them."))


def strip(value):
    return value.strip() if isinstance(value, str) else value
