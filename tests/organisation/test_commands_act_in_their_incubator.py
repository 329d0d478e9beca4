"""A command told an incubator acts in that one only (issue 20, "The command line": `cohorts remind` and the rest
take --incubator): with a late startup in each of two incubators, `cohorts remind --incubator HN2` reminds HN2's
founder only, and marks HN2's reminder only; VUHN's is reminded when VUHN's turn comes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.cohorts.models import ReportReminder
from incubator.mail.models import OutboxMessage
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.queries import by_code


@pytest.fixture
def late_in_each(make, db):
    vuhn = by_code("VUHN")
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2", actor=None)
    db.session.commit()
    founders = {}
    for incubator in (vuhn, hn2):
        founder = make.user(full_name=f"Người Sáng Lập {incubator.code}", locale="vi")
        company = make.company(name=f"Công ty Muộn {incubator.code}")
        make.member(company=company, user=founder)
        with use_incubator(incubator):
            cohort = make.cohort(name=f"Khóa {incubator.code}", starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30))
            make.cohort_member(cohort, company)
        founders[incubator.code] = founder.email
    db.session.commit()
    return {"VUHN": vuhn.id, "HN2": hn2.id}, founders


def _reminded(db) -> list[tuple[str, int | None]]:
    db.session.expire_all()
    return sorted(tuple(row) for row in db.session.execute(
        sa.select(OutboxMessage.to_address, OutboxMessage.incubator_id)
        .where(OutboxMessage.purpose == "report_reminder")))


def test_cohorts_remind_reminds_the_named_incubators_startups_only(late_in_each, runner, db):
    ids, founders = late_in_each
    # January's report was due on 10/02/2025: on 20/02 it is late in both incubators.
    result = runner.invoke(args=["cohorts", "remind", "--today", "2025-02-20", "--incubator", "hn2"])
    assert result.exit_code == 0, result.output
    assert "1 reminder queued" in result.output
    assert _reminded(db) == [(founders["HN2"], ids["HN2"])]
    assert set(db.session.scalars(sa.select(ReportReminder.incubator_id))) == {ids["HN2"]}

    result = runner.invoke(args=["cohorts", "remind", "--today", "2025-02-20", "--incubator", "HN2"])
    assert result.exit_code == 0 and "0 reminders queued" in result.output  # HN2's is sent; VUHN's is not HN2's
    result = runner.invoke(args=["cohorts", "remind", "--today", "2025-02-20", "--incubator", "VUHN"])
    assert result.exit_code == 0 and "1 reminder queued" in result.output, result.output
    assert _reminded(db) == sorted([(founders["HN2"], ids["HN2"]), (founders["VUHN"], ids["VUHN"])])
