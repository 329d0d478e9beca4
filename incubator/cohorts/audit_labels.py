"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.cohorts.enums import MemberStatus, ReportStatus


def register() -> None:
    audit.register_object("cohorts", _l("Cohort"))
    audit.register_object("cohort_members", _l("Startup in a cohort"))
    audit.register_object("progress_reports", _l("Progress report"))
    audit.register_object("report_reminders", _l("Reminder of a progress report"))
    audit.register_object("service_deliveries", _l("Service"))
    audit.register_object("service_recipients", _l("Recipient of a service"))
    audit.register_states("cohort_members", MemberStatus)
    audit.register_states("progress_reports", ReportStatus)
    audit.register_actions({
        "cohort.create": _l("Cohort created"),
        "cohort.update": _l("Cohort changed"),
        "cohort.admit": _l("Admitted to a cohort"),
        "cohort.leave": _l("Left a cohort (outcome recorded)"),
        "report.submit": _l("Progress report submitted"),
        "service.create": _l("Service recorded"),
        "service.update": _l("Service changed"),
    })
