"""The form that makes an API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange

from incubator.api.enums import DEFAULT_DAYS, MAX_DAYS, SCOPES
from incubator.forms import Form, IntegerField, MultiCheckboxField, text_field


class TokenForm(Form):
    name = text_field(_l("Name"), 100, required=True)
    days = IntegerField(_l("Valid for (days)"), default=DEFAULT_DAYS, minimum=1, maximum=MAX_DAYS,
                        validators=[InputRequired(message=_l("Say how many days the token works.")),
                                    NumberRange(min=1, max=MAX_DAYS)])
    resources = MultiCheckboxField(_l("Resources it may read"),
                                   validators=[InputRequired(message=_l("Choose at least one resource."))])
    incubators = MultiCheckboxField(_l("Incubators it may read"), coerce=int)

    def __init__(self, *args, incubators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.resources.choices = [(name, label) for name, label in SCOPES.items()]
        self.incubators.choices = [(i.id, f"{i.code} · {i.name}") for i in incubators]
        if not self.is_submitted():
            self.resources.data = list(SCOPES)
