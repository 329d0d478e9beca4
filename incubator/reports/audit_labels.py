"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("periodic_reports", _l("Periodic report"))
    audit.register_name_words("periodic_reports", _period_in_words)
    from incubator.reports.enums import NameKind, ReportStatus

    audit.register_states("periodic_reports", ReportStatus)
    audit.register_object("report_names", _l("Name printed on the reports"))

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


def _period_in_words(name: str) -> str:
    """A draft is recorded by its period's code ("2025-Q2"): read "Quý II năm 2025"; a number stays as it is."""
    from types import SimpleNamespace

    from incubator.reports.periods import parse_period
    from incubator.reports.render import period_title

    try:
        start, end, _kind = parse_period(name)
    except ValueError:
        return name
    return period_title(SimpleNamespace(period_label=name.strip().upper(), period_start=start, period_end=end))
