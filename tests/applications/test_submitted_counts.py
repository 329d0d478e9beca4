"""Every count of submitted applications leaves withdrawn ones out (a round showed "2 submitted" with one
withdrawn; issue 17): the rounds' list, a round's page, a review stage and the report to the Department."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from incubator.applications import queries
from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role


def _round_with_one_of_each(make):
    intake_round = make.intake_round()
    sent = datetime.now(UTC) - timedelta(days=1)
    make.application(intake_round=intake_round, status=ApplicationStatus.DRAFT)
    submitted = make.application(intake_round=intake_round, status=ApplicationStatus.SUBMITTED,
                                 reference="VU-2026-0201", submitted_at=sent)
    withdrawn = make.application(intake_round=intake_round, status=ApplicationStatus.WITHDRAWN,
                                 reference="VU-2026-0202", submitted_at=sent)
    return intake_round, submitted, withdrawn


def test_the_one_definition_counts_sent_applications_not_withdrawn(make):
    intake_round, _, _ = _round_with_one_of_each(make)
    make.application(intake_round=intake_round, status=ApplicationStatus.ACCEPTED, reference="VU-2026-0203",
                     submitted_at=datetime.now(UTC))
    assert queries.submitted_by_round() == {intake_round.id: 2}


def test_the_rounds_list_counts_one_submitted(make, login_as):
    intake_round, _, _ = _round_with_one_of_each(make)
    client, _ = login_as(Role.STAFF)
    html = client.get("/rounds/manage").get_data(as_text=True)
    link = re.search(rf'href="/rounds/{intake_round.id}/applications">(\d+)</a>', html)
    assert link and link.group(1) == "1"


def test_the_rounds_page_says_one_submitted(make, login_as):
    intake_round, _, _ = _round_with_one_of_each(make)
    client, _ = login_as(Role.STAFF, locale="en")
    html = client.get(f"/rounds/{intake_round.id}/applications").get_data(as_text=True)
    total = re.search(r'id="submitted-total">([^<]+)<', html)
    assert total and total.group(1).startswith("1 ")


def test_a_stage_counts_its_applications_without_the_withdrawn(make):
    from incubator.reviews.queries import stage_counts

    stage = make.review_stage()
    make.stage_entry(stage=stage)
    make.stage_entry(stage=stage, application=make.application(
        intake_round=stage.round, status=ApplicationStatus.WITHDRAWN, reference="VU-2026-0299"))
    assert stage_counts(stage) == {"entries": 1, "decided": 0, "withdrawn": 1}


def test_the_report_receives_the_submitted_not_the_withdrawn(make, app):
    from incubator.reports.figures import compute

    _round_with_one_of_each(make)
    today = datetime.now(UTC).date()
    with app.test_request_context():
        figures = compute(today - timedelta(days=30), today + timedelta(days=1))
    assert figures["applications"]["received"] == 1
