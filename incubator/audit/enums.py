from flask_babel import lazy_gettext as _l

# What people read for each action code; an action without a label shows its code.
ACTION_LABELS = {
    "user.login": _l("Logged in"),
    "user.logout": _l("Logged out"),
    "user.register": _l("Registered as a founder"),
    "user.verify_email": _l("Confirmed the e-mail address"),
    "user.create": _l("Account created"),
    "user.roles": _l("Roles changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "user.password_change": _l("Password changed"),
    "user.password_reset": _l("Password reset by e-mail"),
    "user.password_reset_request": _l("Password reset asked for"),
    "invitation.create": _l("Invitation sent"),
    "invitation.accept": _l("Invitation accepted"),
    "invitation.revoke": _l("Invitation withdrawn"),
    "company.create": _l("Company registered"),
    "company.update": _l("Company details changed"),
    "residency.create": _l("Residency added"),
    "residency.update": _l("Residency changed"),
    "residency.end": _l("Residency ended"),
    "outcome.create": _l("Graduation outcome recorded"),
    "outcome.update": _l("Graduation outcome changed"),
    "membership.create": _l("Founder joined a company's file"),
    "membership.request": _l("Founder asked to join a company's file"),
    "membership.decide": _l("Request to join a company's file decided"),
    "round.create": _l("Intake round created"),
    "round.update": _l("Intake round changed"),
    "round.extend": _l("Deadline extended"),
    "round.question_add": _l("Question added"),
    "round.question_update": _l("Question changed"),
    "round.question_remove": _l("Question removed"),
    "round.document_add": _l("Required document added"),
    "application.status": _l("Application status changed"),
    "application.create": _l("Application started"),
    "application.document": _l("Document uploaded"),
    "application.eligibility_override": _l("Let through despite a failed rule"),
    "register.import": _l("Register imported from a spreadsheet"),
    "target.create": _l("Target created"),
    "target.update": _l("Target changed"),
}

# Sign-ins are in the log but are not news on a home page.
ROUTINE_ACTIONS = ("user.login", "user.logout")


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
