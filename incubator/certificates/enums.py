from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class CertificateStatus(LabelledEnum):
    """Staff record certificates as verified; a founder's submission waits for staff to verify it (or to
    refuse it, with a reason). Only a verified certificate counts."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"

    @classmethod
    def labels(cls):
        return {
            cls.SUBMITTED: _l("Waiting for verification"),
            cls.VERIFIED: _l("Verified"),
            cls.REJECTED: _l("Not accepted"),
        }
