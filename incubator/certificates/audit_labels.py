"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.certificates.enums import CertificateStatus


def register() -> None:
    audit.register_object("certificates", _l("Certificate"))
    audit.register_object("certificate_standards", _l("Certificate standard"))
    audit.register_states("certificates", CertificateStatus)
    audit.register_actions({
        "certificate.create": _l("Certificate recorded"),
        "certificate.update": _l("Certificate changed"),
        "certificate.revoke": _l("Certificate revoked"),
        "certificate.submit": _l("Certificate submitted by a founder"),
        "certificate.verify": _l("Certificate verified by staff"),
        "certificate.reject": _l("Certificate not accepted"),
        "certificate.delete": _l("Certificate deleted"),
        "standard.create": _l("Standard added to the list"),
        "standard.update": _l("Standard changed"),
    })
