"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.funding.enums import PipelineStage


def register() -> None:
    audit.register_object("fund_consents", _l("Startup's consent to a fund"))
    audit.register_object("fund_pipeline", _l("Startup in a fund's pipeline"))
    audit.register_object("fund_pipeline_moves", _l("Move in a fund's pipeline"))
    audit.register_states("fund_pipeline", PipelineStage)
    audit.register_actions({
        "consent.grant": _l("Fund manager allowed to see the startup"),
        "consent.withdraw": _l("Fund manager's access withdrawn"),
        "pipeline.move": _l("Pipeline stage changed"),
    })
