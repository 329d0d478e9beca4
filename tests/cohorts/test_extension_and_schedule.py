"""Items left open by issue 16: an extended member's new last day (its reports go on, its residency follows),
a cohort's dates and rhythm changed after admission carried into its members, and the mentoring allowance
edited with the cohort."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from incubator.auth.enums import Role
from incubator.cohorts import services
from incubator.cohorts.enums import MemberStatus, ReportStatus, Rhythm
from incubator.cohorts.periods import member_periods
from incubator.errors import DomainError
from tests.helpers import post_form


@pytest.fixture
def running(make, db):
    """A cohort of 2025 (monthly reports) with one startup admitted, whose incubated residency was planned to
    end with the cohort."""
    staff = make.user(Role.STAFF)
    founder = make.user()
    startup = make.company(name="Công ty TNHH Bản Đồ Số Hồ Gươm")
    make.member(company=startup, user=founder)
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    member = services.admit(cohort, startup, actor=staff)
    member.residency.ends_on = cohort.ends_on  # as a contract writes it: until the cohort's last day
    db.session.commit()
    return {"staff": staff, "founder": founder, "cohort": cohort, "member": member}


def test_an_extended_member_gets_a_new_last_day_and_its_reports_go_on(running, db):
    from incubator.audit.models import AuditEntry
    from incubator.cohorts.queries import late_reports

    member, staff = running["member"], running["staff"]
    assert member_periods(member)[-1].start == date(2025, 6, 1)
    services.leave(member, MemberStatus.EXTENDED, on=date(2025, 6, 30), actor=staff, extended_to=date(2025, 9, 30))
    db.session.commit()
    assert member.status is MemberStatus.EXTENDED and member.left_on is None
    assert member.extended_to == date(2025, 9, 30)
    starts = [p.start for p in member_periods(member)]
    assert starts[-3:] == [date(2025, 7, 1), date(2025, 8, 1), date(2025, 9, 1)]
    assert member_periods(member)[-1].due_on == date(2025, 10, 10)
    # The residency planned to end with the cohort now ends with the extension.
    assert member.residency.ends_on == date(2025, 9, 30)
    # A report of the extension is written like any other, and one not written is late.
    july = member_periods(member)[6]
    report = services.draft_for(member, july, actor=running["founder"])
    services.save_report(report, actor=running["founder"], submit=True, now=datetime(2025, 8, 5, tzinfo=UTC),
                         revenue=1_000_000)
    db.session.commit()
    late = {p.start for row in late_reports(date(2025, 10, 20)) if row.member.id == member.id for p in row.late}
    assert date(2025, 8, 1) in late and date(2025, 9, 1) in late and date(2025, 7, 1) not in late
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "cohort.leave"))
    assert entry.details["extended_to"] == "2025-09-30" and entry.to_state == "extended"
    # Then it leaves for good: reports stop at that day.
    services.leave(member, MemberStatus.GRADUATED, on=date(2025, 8, 15), actor=staff)
    db.session.commit()
    assert member_periods(member)[-1].start == date(2025, 8, 1)


def test_an_extension_needs_a_new_last_day_after_the_current_one(running):
    member, staff = running["member"], running["staff"]
    with pytest.raises(DomainError) as refused:
        services.leave(member, MemberStatus.EXTENDED, on=date(2025, 6, 30), actor=staff)
    assert refused.value.field == "extended_to"
    with pytest.raises(DomainError) as refused:
        services.leave(member, MemberStatus.EXTENDED, on=date(2025, 6, 30), actor=staff,
                       extended_to=date(2025, 6, 30))
    assert refused.value.field == "extended_to"
    with pytest.raises(DomainError):
        services.leave(member, MemberStatus.EXTENDED, on=date(2025, 6, 30), actor=staff,
                       extended_to=date(2125, 1, 1))
    assert member.status is MemberStatus.ACTIVE and member.extended_to is None


def test_staff_extend_a_member_through_the_outcome_form(running, login_as, db):
    member = running["member"]
    client, _ = login_as(Role.STAFF, locale="en")
    url = f"/cohorts/members/{member.id}/leave"
    missing = post_form(client, url, {"status": "extended", "on": "2025-06-30", "version": str(member.version_id)},
                        token_from=url)
    assert missing.status_code == 400 and "Enter the new last day of the extension." in missing.get_data(as_text=True)
    done = post_form(client, url, {"status": "extended", "on": "2025-06-30", "extended_to": "2025-12-31",
                                   "version": str(member.version_id)}, token_from=url)
    assert done.status_code == 302
    db.session.expire_all()
    assert member.extended_to == date(2025, 12, 31)
    page = client.get(f"/cohorts/{member.cohort_id}").get_data(as_text=True)
    assert "until 31/12/2025" in page
    sheet = load_workbook(io.BytesIO(client.get(f"/cohorts/{member.cohort_id}/members.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Extended until")
    assert [r[column] for r in rows[1:] if r[0] == member.company.name] == [datetime(2025, 12, 31)]


def test_new_cohort_dates_carry_into_members_residencies_and_due_reports(running, db):
    from incubator.audit.models import AuditEntry
    from incubator.cohorts.models import ProgressReport

    cohort, member, staff, founder = running["cohort"], running["member"], running["staff"], running["founder"]
    january = member_periods(member)[0]
    submitted = services.draft_for(member, january, actor=founder)
    services.save_report(submitted, actor=founder, submit=True, now=datetime(2025, 2, 3, tzinfo=UTC), employees=4)
    draft = services.draft_for(member, member_periods(member)[1], actor=founder)
    db.session.commit()
    # The cohort starts two weeks later and runs to the end of September, reported on by quarter.
    services.update_cohort(cohort, actor=staff, version=cohort.version_id, starts_on=date(2025, 1, 15),
                           ends_on=date(2025, 9, 30), rhythm=Rhythm.QUARTERLY)
    db.session.commit()
    db.session.expire_all()
    assert member.joined_on == date(2025, 1, 15)
    assert (member.residency.starts_on, member.residency.ends_on) == (date(2025, 1, 15), date(2025, 9, 30))
    periods = member_periods(member)
    assert [(p.start, p.end, p.due_on) for p in periods] == [
        (date(2025, 1, 15), date(2025, 3, 31), date(2025, 4, 15)),
        (date(2025, 4, 1), date(2025, 6, 30), date(2025, 7, 15)),
        (date(2025, 7, 1), date(2025, 9, 30), date(2025, 10, 15))]
    # The open draft (February) moved into the quarter holding it; the submitted January report is kept as sent.
    draft = db.session.get(ProgressReport, draft.id)
    assert (draft.period_start, draft.period_end, draft.due_on) == (date(2025, 1, 15), date(2025, 3, 31),
                                                                    date(2025, 4, 15))
    submitted = db.session.get(ProgressReport, submitted.id)
    assert (submitted.period_start, submitted.status) == (date(2025, 1, 1), ReportStatus.SUBMITTED)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "cohort.update"))
    assert entry.details["carried"] == {"members": 1, "residencies": 1, "drafts": 1}
    assert set(entry.details["changed"]) == {"starts_on", "ends_on", "rhythm"}


def test_members_who_left_keep_their_dates_when_the_cohort_moves(running, make, db):
    cohort, staff = running["cohort"], running["staff"]
    gone = services.admit(cohort, make.company(name="Công ty Đã Rời"), actor=staff)
    services.leave(gone, MemberStatus.WITHDRAWN, on=date(2025, 3, 1), actor=staff)
    db.session.commit()
    services.update_cohort(cohort, actor=staff, starts_on=date(2025, 2, 1))
    db.session.commit()
    assert gone.joined_on == date(2025, 1, 1) and gone.left_on == date(2025, 3, 1)
    assert gone.residency.starts_on == date(2025, 1, 1)
    assert running["member"].joined_on == date(2025, 2, 1)


def test_a_move_the_register_refuses_changes_nothing(running, make, db):
    """An earlier start would overlap another incubated residency of the startup: refused, with its name."""
    from incubator.companies.enums import ResidencyKind

    cohort, member, staff = running["cohort"], running["member"], running["staff"]
    make.residency(company=member.company, kind=ResidencyKind.INCUBATED, starts_on=date(2024, 6, 1),
                   ends_on=date(2024, 11, 30))
    with pytest.raises(DomainError) as refused:
        services.update_cohort(cohort, actor=staff, starts_on=date(2024, 11, 1))
    assert "Bản Đồ Số Hồ Gươm" in str(refused.value.message)
    db.session.rollback()
    assert cohort.starts_on == date(2025, 1, 1) and member.joined_on == date(2025, 1, 1)


def test_staff_edit_the_mentoring_allowance_with_the_cohort(running, login_as, db):
    cohort = running["cohort"]
    client, _ = login_as(Role.STAFF, locale="en")
    url = f"/cohorts/{cohort.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'name="mentoring_allowance_hours"' in form and 'value="20"' in form
    data = {"name": cohort.name, "starts_on": "2025-01-01", "ends_on": "2025-06-30", "rhythm": "monthly",
            "version": str(cohort.version_id)}
    refused = post_form(client, url, {**data, "mentoring_allowance_hours": "-3"}, token_from=url)
    assert refused.status_code == 400
    assert post_form(client, url, {**data, "mentoring_allowance_hours": "35"}, token_from=url).status_code == 302
    db.session.expire_all()
    assert cohort.mentoring_allowance_hours == 35
    with pytest.raises(DomainError) as refused:
        services.update_cohort(cohort, actor=running["staff"], mentoring_allowance_hours=100_000)
    assert refused.value.field == "mentoring_allowance_hours"
