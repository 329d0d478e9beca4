"""Vietnamese tax codes (mã số thuế): 10 digits, or 10 digits + "-" + 3 digits for a branch.

The 10th digit is a check digit: with weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on the first nine digits,
r = (weighted sum) mod 11; the code is valid when r != 0 and the 10th digit equals 10 - r (r = 10 gives 0).
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SHAPE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")  # ASCII digits only: "０１０…" is not another business


class TaxCodeError(ValueError):
    """Raised with a translatable reason."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def normalise(raw: str | None) -> str:
    """Strip spaces and dots that people type ("0100 109 106", "0100.109.106"); keep the branch dash. Full-width
    and other compatibility forms of digits and dashes become ASCII (NFKC), so one business has one code; digits
    of other scripts stay as they are and fail the shape."""
    text = unicodedata.normalize("NFKC", raw or "").replace("\u2010", "-").replace("\u2011", "-")
    return re.sub(r"[\s.]", "", text)


def check_digit(first_nine: str) -> int | None:
    """The 10th digit the first nine require, or None when no digit can be valid (r = 0)."""
    r = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11
    if r == 0:
        return None
    return (10 - r) % 10


def invented(n: int) -> str:
    """A distinct invented tax code for every n < 10**7 that passes the check digit, for seeded and test data:
    the last seven digits of the first nine are a bijection of n; when the province prefix 01 gives no valid
    check digit, the next prefix (02, 03 …) is used, so two values of n never meet."""
    body = f"{(n * 7919 + 123457) % 10**7:07d}"
    for prefix in range(1, 100):
        first_nine = f"{prefix:02d}{body}"
        digit = check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"
    raise AssertionError("no valid tax code")  # cannot happen: r = 0 for at most a few prefixes


def validate(raw: str | None) -> str:
    """Return the normalised code, or raise TaxCodeError with the reason."""
    code = normalise(raw)
    if not code:
        raise TaxCodeError(_l("Enter the tax code."))
    if not _SHAPE.match(code):
        raise TaxCodeError(
            _l("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch (e.g. 0100109106-001).")
        )
    expected = check_digit(code[:9])
    if expected is None or int(code[9]) != expected:
        raise TaxCodeError(
            _l("This tax code fails the check digit: the 10th digit does not match the first nine. "
               "Check it against the business registration certificate.")
        )
    return code


def has_valid_shape(code: str) -> bool:
    return bool(_SHAPE.match(code))


def is_valid(raw: str | None) -> bool:
    try:
        validate(raw)
    except TaxCodeError:
        return False
    return True


class TaxCode:
    """WTForms validator; normalises the field's data in place."""

    def __call__(self, form, field):
        try:
            field.data = validate(field.data)
        except TaxCodeError as exc:
            raise ValidationError(str(exc.reason)) from exc
