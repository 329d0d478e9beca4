"""The founder withdraws an application before a decision only (applications.services.withdraw): a decided one
(accepted, waitlisted, rejected) is refused with that reason; a withdrawn one by the state machine; and the
page's offer (Application.may_be_withdrawn) agrees with the service for every status."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from incubator.applications import services
from incubator.applications.enums import DECIDED, ApplicationStatus
from incubator.applications.services import TransitionRefused


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_an_application_is_withdrawn_before_a_decision_only(status, make, db):
    application = make.application(status=status)
    founder = application.created_by
    offered = application.may_be_withdrawn
    if status in DECIDED or status is ApplicationStatus.WITHDRAWN:
        with force_locale("en"):
            with pytest.raises(TransitionRefused) as refused:
                services.withdraw(application, actor=founder)
            reason = str(refused.value.message)
        decided = "A decision has been taken: the application can no longer be withdrawn."
        assert (reason == decided) == (status in DECIDED), reason
        assert application.status is status and not offered
    else:
        services.withdraw(application, actor=founder, reason="Đổi hướng sản phẩm")
        assert application.status is ApplicationStatus.WITHDRAWN and offered
