"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("periodic_reports", _l("Periodic report"))
    audit.register_states("periodic_reports", {"draft": _l("Draft"), "final": _l("Finalised")})
    audit.register_object("report_names", _l("Name printed on the reports"))
    from incubator.reports.enums import NameKind

    audit.register_states("report_names", NameKind)
    audit.register_actions({
        "report.create": _l("Periodic report drafted"),
        "report.update": _l("Periodic report changed"),
        "report.finalise": _l("Periodic report finalised"),
        "report.version": _l("New version of a periodic report"),
        "report_name.seed": _l("Names printed on the reports seeded"),
        "report_name.create": _l("Name printed on the reports added"),
        "report_name.update": _l("Name printed on the reports changed"),
    })
