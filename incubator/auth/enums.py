from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class Role(LabelledEnum):
    ADMIN = "admin"
    STAFF = "staff"
    REVIEWER = "reviewer"
    MENTOR = "mentor"
    FUND_MANAGER = "fund_manager"
    FOUNDER = "founder"
    OFFICIAL = "official"

    @classmethod
    def labels(cls):
        return {
            cls.ADMIN: _l("Administrator"),
            cls.STAFF: _l("Incubator staff"),
            cls.REVIEWER: _l("Reviewer"),
            cls.MENTOR: _l("Mentor"),
            cls.FUND_MANAGER: _l("Fund manager"),
            cls.FOUNDER: _l("Founder"),
            cls.OFFICIAL: _l("Department official"),
        }


# The order in which a person holding several roles is sent to a home page.
ROLE_PRIORITY = [Role.ADMIN, Role.STAFF, Role.OFFICIAL, Role.REVIEWER, Role.MENTOR, Role.FUND_MANAGER,
                 Role.FOUNDER]

# Roles held in one incubator (staff of HN1 are not staff of HN2): each of their rows names its incubator.
ROLES_IN_AN_INCUBATOR = frozenset({Role.STAFF, Role.REVIEWER, Role.MENTOR, Role.FUND_MANAGER})
# Roles held across the network: administrators of the installation and the Department's officials, who read
# every incubator. (A founder's role is held in no incubator either: their businesses apply where they choose.)
NETWORK_ROLES = frozenset({Role.ADMIN, Role.OFFICIAL})

# Roles an administrator grants by invitation; founders register themselves.
INVITABLE_ROLES = [Role.STAFF, Role.REVIEWER, Role.MENTOR, Role.FUND_MANAGER, Role.OFFICIAL, Role.ADMIN]


class TokenPurpose(LabelledEnum):
    INVITATION = "invitation"
    EMAIL_VERIFICATION = "email_verification"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a purpose, not a password)

    @classmethod
    def labels(cls):
        return {
            cls.INVITATION: _l("Invitation"),
            cls.EMAIL_VERIFICATION: _l("E-mail verification"),
            cls.PASSWORD_RESET: _l("Password reset"),
        }
