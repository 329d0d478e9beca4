from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from incubator.auth.enums import INVITABLE_ROLES, ROLES_IN_AN_INCUBATOR, Role
from incubator.forms import Form, MultiCheckboxField, NoControlCharacters, strip
from incubator.security import MAX_PASSWORD_LENGTH

_email = [InputRequired(message=_l("Enter your e-mail address.")), Length(max=254),
          Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
          NoControlCharacters()]
_name = [InputRequired(message=_l("Enter the full name.")), Length(max=200), NoControlCharacters()]


def _new_password(label):
    return PasswordField(label, validators=[InputRequired(message=_l("Choose a password.")),
                                            Length(max=MAX_PASSWORD_LENGTH), NoControlCharacters()])


def _confirm():
    return PasswordField(_l("Repeat the password"), validators=[
        InputRequired(message=_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords differ.")), Length(max=MAX_PASSWORD_LENGTH)])


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=_email, filters=[strip])
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password.")),
                                                         Length(max=MAX_PASSWORD_LENGTH)])


class RegisterForm(Form):
    full_name = StringField(_l("Full name"), validators=_name, filters=[strip])
    email = EmailField(_l("E-mail"), validators=_email, filters=[strip])
    password = _new_password(_l("Password"))
    confirm = _confirm()


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=_email, filters=[strip])


class ResetPasswordForm(Form):
    password = _new_password(_l("New password"))
    confirm = _confirm()


class AcceptInvitationForm(Form):
    full_name = StringField(_l("Full name"), validators=_name, filters=[strip])
    password = _new_password(_l("Password"))
    confirm = _confirm()


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[
        InputRequired(message=_l("Enter your current password.")), Length(max=MAX_PASSWORD_LENGTH)])
    password = _new_password(_l("New password"))
    confirm = _confirm()


class ChangeEmailForm(Form):
    """An account not yet confirmed corrects the address it registered with (a typing mistake)."""

    email = EmailField(_l("New e-mail address"), validators=_email, filters=[strip])
    password = PasswordField(_l("Your password"), validators=[
        InputRequired(message=_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)])


LANGUAGE_CHOICES = [SelectChoice("vi", "Tiếng Việt"), SelectChoice("en", "English")]


class LanguageForm(Form):
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class InviteForm(Form):
    full_name = StringField(_l("Full name"), validators=_name, filters=[strip])
    email = EmailField(_l("E-mail"), validators=_email, filters=[strip])
    roles = MultiCheckboxField(_l("Roles"), validators=[InputRequired(message=_l("Choose at least one role."))])
    # Only with several incubators: where the staff, reviewer, mentor or fund-manager role will be held.
    incubator_id = SelectField(_l("Incubator"), coerce=int)
    partner_id = SelectField(_l("Partner"), coerce=int, validators=[Optional()])
    locale = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, partners=(), incubators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = [SelectChoice(r.value, r.label) for r in INVITABLE_ROLES]
        self.partner_id.choices = [SelectChoice(0, _l("— none —"))] + [SelectChoice(p.id, p.name) for p in partners]
        if len(incubators) > 1:
            self.incubator_id.choices = [SelectChoice(i.id, f"{i.code} · {i.name}") for i in incubators]
        else:
            del self.incubator_id


class RolesForm(Form):
    version = HiddenField()
    roles = MultiCheckboxField(_l("Roles"), validators=[InputRequired(message=_l("Choose at least one role."))])
    partner_id = SelectField(_l("Partner"), coerce=int, validators=[Optional()])

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = [SelectChoice(r.value, r.label) for r in Role]
        self.partner_id.choices = [SelectChoice(0, _l("— none —"))] + [SelectChoice(p.id, p.name) for p in partners]


class RolesByIncubatorForm(RolesForm):
    """With several incubators, the roles held across the network (administrator, official, founder), then for
    each incubator the roles held in it (``in_<id>``). Build it with ``for_incubators``."""

    roles = MultiCheckboxField(_l("Roles across the network"), validators=[Optional()])

    @classmethod
    def for_incubators(cls, incubators, *args, **kwargs) -> RolesByIncubatorForm:
        fields = {f"in_{i.id}": MultiCheckboxField(f"{i.code} · {i.name}", validators=[Optional()])
                  for i in incubators}
        form = type(cls.__name__, (cls,), fields)(*args, **kwargs)
        form.roles.choices = [SelectChoice(r.value, r.label) for r in Role if r not in ROLES_IN_AN_INCUBATOR]
        form.incubator_fields = []
        for incubator in incubators:
            field = form[f"in_{incubator.id}"]
            field.choices = [SelectChoice(r.value, r.label) for r in Role if r in ROLES_IN_AN_INCUBATOR]
            form.incubator_fields.append((incubator, field))
        return form

    def grants(self) -> dict[int | None, list[Role]]:
        """The roles chosen, by incubator (None: across the network)."""
        grants = {None: [Role(r) for r in self.roles.data or []]}
        for incubator, field in self.incubator_fields:
            grants[incubator.id] = [Role(r) for r in field.data or []]
        return grants


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[
        InputRequired(message=_l("Give the reason.")), Length(max=1000), NoControlCharacters()], filters=[strip])


class ConfirmForm(Form):
    """A POST button with nothing but the CSRF token."""
