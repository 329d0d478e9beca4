"""The resources a token may be limited to: one scope name per resource of the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Scope name → what a person reads on the token form. A resource module declares its scope with
# ``resource_blueprint(name, scope=...)`` (framework.py); the scope must be one of these.
SCOPES: dict[str, object] = {
    "incubators": _l("Incubators"),
    "targets": _l("Targets and their figures"),
    "register": _l("Register of businesses"),
    "rounds": _l("Intake rounds"),
    "cohorts": _l("Cohorts"),
    "mentoring": _l("Mentoring hours"),
    "reports": _l("Periodic reports"),
    "catalogue": _l("Product catalogue"),
    "answers": _l("Published answers to requests"),
}

TOKEN_PREFIX = "ivn_"  # noqa: S105 (what every secret starts with, not a secret)
DEFAULT_DAYS = 90
MAX_DAYS = 730
