"""Adding incubators to the network. Services flush and never commit."""

from __future__ import annotations

import re

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import lazy_gettext as _l

from incubator.audit import services as audit
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.organisation import current
from incubator.organisation.models import CODE_PATTERN, Incubator

# The incubator every installation starts with, and into which the migration to a network moved every row:
# named as the pages, e-mails and reports name today's incubator.
DEFAULT_CODE = "VUHN"
DEFAULT_NAME_VI = "Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội"
DEFAULT_NAME_EN = "Hà Nội innovation ICT business incubator"
# What its reports' numbers end with ("03/BC-VƯTT"); another incubator's are "BC-" and its code until set.
DEFAULT_REPORT_NUMBER_SUFFIX = "BC-VƯTT"

# A new incubator was added (sent with the incubator, and actor=who added it, None for the installation's own
# default, which also comes with default=True): what a higher domain keeps per incubator is created by its
# receiver, in the same change (targets copies the city's targets; reviews gives it the standard reasons for
# rejection, which the migrations gave the default incubator). Organisation sends it without knowing who
# listens; a receiver takes **kwargs.
signals = Namespace()
incubator_created = signals.signal("incubator-created")


class CodeTaken(DomainError):
    """Another incubator has this code."""


def normalise_code(code: str | None) -> str:
    return (code or "").strip().upper()


def create(code: str, name_vi: str, name_en: str | None = None, address: str | None = None, *,
           actor=None, operator_vi: str | None = None, operator_en: str | None = None) -> Incubator:
    """A new incubator: a code of 2 to 10 upper-case letters and digits starting with a letter (written in
    lower case, it is upper-cased), unique; a Vietnamese name; an English name and an address if given.
    ``operator_vi``/``operator_en``: the organisation that runs it, the issuing body its reports print (left
    out, the incubator's own name), passed on to the receivers of ``incubator_created``."""
    code = normalise_code(code)
    if not CODE_PATTERN.fullmatch(code):
        raise DomainError(_l("An incubator's code is 2 to 10 capital letters or digits, starting with a letter "
                             "(for example HN1)."), field="code")
    name_vi, name_en, address = (name_vi or "").strip(), (name_en or "").strip() or None, \
        (address or "").strip() or None
    if not name_vi:
        raise DomainError(_l("Give the incubator's name."), field="name_vi")
    operator_vi, operator_en = (operator_vi or "").strip() or None, (operator_en or "").strip() or None
    for value, field in ((name_vi, "name_vi"), (name_en, "name_en"), (address, "address"),
                         (operator_vi, "operator_vi"), (operator_en, "operator_en")):
        if value is not None and len(value) > 300:
            raise DomainError(_l("Use at most %(n)d characters.", n=300), field=field)
    if db.session.scalar(sa.select(Incubator.id).where(Incubator.code == code)) is not None:
        raise CodeTaken(_l("Another incubator has the code %(code)s.", code=code), field="code")
    incubator = Incubator(code=code, name_vi=name_vi, name_en=name_en, address=address)
    db.session.add(incubator)
    db.session.flush()
    current.forget()
    audit.record("incubator.create", incubator, label=incubator.code, to_state="created", actor=actor)
    incubator_created.send(incubator, actor=actor, operator_vi=operator_vi, operator_en=operator_en)
    return incubator


def ensure_default() -> Incubator | None:
    """Create the default incubator (VUHN, today's names) when there is none, as the migration does for an
    upgraded installation; returns it, or None when incubators exist already. Not audited: it is the
    installation's starting point, not someone's change."""
    if db.session.scalar(sa.select(Incubator.id).limit(1)) is not None:
        return None
    incubator = Incubator(code=DEFAULT_CODE, name_vi=DEFAULT_NAME_VI, name_en=DEFAULT_NAME_EN,
                          report_number_suffix=DEFAULT_REPORT_NUMBER_SUFFIX)
    db.session.add(incubator)
    db.session.flush()
    current.forget()
    incubator_created.send(incubator, actor=None, default=True)
    return incubator


# What an incubator's record page edits, and what the reports' numbers may end with: letters (Vietnamese too),
# digits, and the hyphens and dots between them ("BC-VƯTT", "BC-TTĐT.HL").
EDITED = ("name_vi", "name_en", "address", "report_number_suffix")
SUFFIX_PATTERN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")


def update(incubator: Incubator, *, actor, version=None, logo=None, remove_logo: bool = False,
           **fields) -> Incubator:
    """Correct an incubator's record: its names in both languages (the Vietnamese one required), its address,
    what its reports' numbers end with (up to 50 letters, digits, hyphens and dots, no spaces; empty: "BC-" and
    its code); ``logo`` the stored name of a checked image (uploads.check_image) to print on its reports, or
    ``remove_logo``. Version-checked; audited with what changed."""
    from incubator.errors import expect_version

    expect_version(incubator, version)
    values = {key: " ".join((fields.get(key) or "").split()) or None for key in EDITED if key in fields}
    if "name_vi" in values and not values["name_vi"]:
        raise DomainError(_l("Give the incubator's name."), field="name_vi")
    for key, value in values.items():
        limit = 50 if key == "report_number_suffix" else 300
        if value is not None and len(value) > limit:
            raise DomainError(_l("Use at most %(n)d characters.", n=limit), field=key)
    suffix = values.get("report_number_suffix")
    if suffix is not None and not SUFFIX_PATTERN.fullmatch(suffix):
        raise DomainError(_l("Letters and digits, joined by hyphens or dots, without spaces (for example "
                             "BC-VƯTT)."), field="report_number_suffix")
    if logo is not None:
        values["logo"] = logo
    elif remove_logo:
        values["logo"] = None
    changed = {key: [getattr(incubator, key), value] for key, value in values.items()
               if getattr(incubator, key) != value}
    for key, value in values.items():
        setattr(incubator, key, value)
    db.session.flush()
    current.forget()
    if changed:
        audit.record("incubator.update", incubator, label=incubator.code, actor=actor, details={"changed": changed})
    return incubator
