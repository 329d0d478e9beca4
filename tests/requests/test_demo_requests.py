"""The demo has businesses' requests in every state, made through the services (issue 21, acceptance 4), and
loading it again adds none."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from incubator.requests import queries
from incubator.requests.enums import PublicationConsent, RequestStatus
from incubator.requests.models import BusinessRequest


@pytest.fixture
def demo(runner, db):
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output


def test_the_demo_has_requests_in_every_state(demo, runner, db):
    requests = db.session.scalars(sa.select(BusinessRequest).order_by(BusinessRequest.id)).all()
    assert {r.status for r in requests} == set(RequestStatus)
    assert [r.number.split("-")[2] for r in requests] == [f"{n:04d}" for n in range(1, len(requests) + 1)]
    assert [r.acknowledged_on for r in requests] == sorted(r.acknowledged_on for r in requests)
    published = db.session.scalars(queries.published_answers()).unique().all()
    assert {r.consent for r in published} == {PublicationConsent.NAMED, PublicationConsent.ANONYMISED}
    anonymised = next(r for r in published if r.is_anonymised)
    assert "Bùi Văn Khánh" not in queries.public_view(anonymised).question
    from incubator.i18n import local_today

    assert queries.overdue(local_today())  # one is overdue
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BusinessRequest)) == len(requests)
