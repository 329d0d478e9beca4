from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField, URLField
from wtforms.validators import URL, InputRequired, Length, Optional

from incubator import bounds
from incubator.certificates.models import LEVELS
from incubator.forms import DateField, Form, NoControlCharacters, strip, text_field

# A certificate is issued and revoked in the past (or today); it expires within the programme's bounds.
PAST = bounds.DateRule(bounds.EARLIEST, bounds.today)


def _required_version():
    return HiddenField(validators=[InputRequired()])


class CertificateForm(Form):
    standard_id = SelectField(_l("Standard"), coerce=int, choices=[],
                              validators=[InputRequired(message=_l("Choose the certificate's standard."))])
    level = SelectField(_l("Maturity level (CMMI)"), choices=[], validators=[Optional()])
    scope = TextAreaField(_l("Scope"), validators=[Optional(), Length(max=1000), NoControlCharacters()],
                          filters=[strip])
    issuer = text_field(_l("Certifying body"), 300)
    number = text_field(_l("Certificate number"), 100)
    issued_on = DateField(_l("Issued on"), validators=[
        InputRequired(message=_l("Enter the day the certificate was issued.")), PAST.validator()])
    expires_on = DateField(_l("Expires on (empty if it does not expire)"),
                           validators=[Optional(), bounds.PROGRAMME.validator()])
    evidence_link = URLField(_l("Link to the body's public register"), validators=[
        Optional(), Length(max=500), URL(message=_l("Enter a full address, starting with https://"))],
        filters=[strip])
    evidence_pdf = FileField(_l("The certificate (PDF, up to 10 MB)"),
                             validators=[FileAllowed(["pdf"], _l("Only PDF files are accepted."))],
                             render_kw={"accept": "application/pdf,.pdf"})
    remove_evidence_pdf = BooleanField(_l("Remove the current PDF"))
    version = HiddenField()

    def __init__(self, standards, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard_id.choices = [(s.id, s.code) for s in standards]
        self.level.choices = [("", "—")] + [(str(n), str(n)) for n in LEVELS]

    @property
    def fields(self) -> dict:
        """What the services take from the form."""
        level = self.level.data
        return {"standard_id": self.standard_id.data, "level": int(level) if level else None,
                "scope": self.scope.data, "issuer": self.issuer.data, "number": self.number.data,
                "issued_on": self.issued_on.data, "expires_on": self.expires_on.data,
                "evidence_link": self.evidence_link.data}


class RevokeForm(Form):
    revoked_on = DateField(_l("Revoked from"), validators=[
        InputRequired(message=_l("Enter the day the certificate was revoked.")), PAST.validator()])
    reason = text_field(_l("Reason"), 500, required=True, message=_l("Give the reason."))
    version = _required_version()


class DeleteForm(Form):
    reason = text_field(_l("Why (a mistaken entry, a duplicate …)"), 500)
    version = _required_version()


class VerifyForm(Form):
    version = _required_version()


class RefuseForm(Form):
    reason = TextAreaField(_l("Reason the founder will read"), validators=[
        InputRequired(message=_l("Give the reason the founder will read.")), Length(max=1000),
        NoControlCharacters()], filters=[strip])
    version = _required_version()


class StandardForm(Form):
    code = text_field(_l("Code"), 60, required=True, message=_l("Give the standard's code."))
    name_vi = text_field(_l("Name in Vietnamese"), 300, required=True, message=_l("Give the standard's name."))
    name_en = text_field(_l("Name in English"), 300, required=True, message=_l("Give the standard's name."))
    recognised = BooleanField(_l("Recognised by the third target (counts for CERT5)"))
    has_levels = BooleanField(_l("Has maturity levels (as CMMI)"))
    version = HiddenField()


class EditStandardForm(StandardForm):
    """A change carries the version it was read at (a post without it is refused, never half-applied)."""

    version = _required_version()


class EditCertificateForm(CertificateForm):
    version = _required_version()
