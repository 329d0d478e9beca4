from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from incubator.auth.enums import INVITABLE_ROLES, Role
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
    partner_id = SelectField(_l("Partner"), coerce=int, validators=[Optional()])
    locale = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = [SelectChoice(r.value, r.label) for r in INVITABLE_ROLES]
        self.partner_id.choices = [SelectChoice(0, _l("— none —"))] + [SelectChoice(p.id, p.name) for p in partners]


class RolesForm(Form):
    version = HiddenField()
    roles = MultiCheckboxField(_l("Roles"), validators=[InputRequired(message=_l("Choose at least one role."))])
    partner_id = SelectField(_l("Partner"), coerce=int, validators=[Optional()])

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = [SelectChoice(r.value, r.label) for r in Role]
        self.partner_id.choices = [SelectChoice(0, _l("— none —"))] + [SelectChoice(p.id, p.name) for p in partners]


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[
        InputRequired(message=_l("Give the reason.")), Length(max=1000), NoControlCharacters()], filters=[strip])


class ConfirmForm(Form):
    """A POST button with nothing but the CSRF token."""
