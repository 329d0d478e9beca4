"""Cohorts: admission, leaving (through the register's residencies and the outcomes the targets count),
progress reports and their reminders, services delivered. Functions flush and audit; the request commits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.cohorts.enums import IN_INCUBATION, MEMBER_TRANSITIONS, MemberStatus, ReportStatus, ServiceKind
from incubator.cohorts.models import (
    MAX_ALLOWANCE_HOURS,
    Cohort,
    CohortMember,
    ProgressReport,
    ReportReminder,
    ServiceDelivery,
    ServiceRecipient,
)
from incubator.cohorts.periods import REMIND_BEFORE_DAYS, Period, member_last_day, member_periods, periods
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Residency
from incubator.companies.queries import founders_of
from incubator.errors import DomainError, expect_version
from incubator.extensions import db

# A member has left its cohort (graduated, withdrawn or failed; not extended), sent with actor= in the same
# change, before its residency ends: the programme's packages above cohorts connect a receiver that ends what
# the member held (mentoring: its mentors' assignments), with the same actor and their own audit records.
signals = Namespace()
member_left = signals.signal("member-left")

# ---- Cohorts ----------------------------------------------------------------------------------------------

COHORT_FIELDS = ("name", "starts_on", "ends_on", "owner_id", "round_id", "rhythm", "mentoring_allowance_hours")
# What a cohort's members follow when it changes: their residencies and their reports' periods.
SCHEDULE_FIELDS = ("starts_on", "ends_on", "rhythm")


def _check_cohort(fields: dict, exclude_id: int | None = None) -> None:
    """A cohort runs on the programme's days (bounds.PROGRAMME: not before 1990, at most ten years ahead)."""
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError(_l("Give the cohort a name."), field="name")
    if fields.get("starts_on") is None or fields.get("ends_on") is None:
        raise DomainError(_l("Enter the first and last day of the cohort."), field="ends_on")
    bounds.PROGRAMME.check(fields["starts_on"], "starts_on")
    bounds.PROGRAMME.check(fields["ends_on"], "ends_on")
    if fields["ends_on"] <= fields["starts_on"]:
        raise DomainError(_l("The cohort must end after it starts."), field="ends_on")
    allowance = fields.get("mentoring_allowance_hours")
    if allowance is not None and not 0 <= allowance <= MAX_ALLOWANCE_HOURS:
        raise DomainError(_l("Mentoring hours per startup: from 0 to %(most)s.", most=MAX_ALLOWANCE_HOURS),
                          field="mentoring_allowance_hours")
    clash = db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name, Cohort.id != (exclude_id or 0)))
    if clash is not None:
        raise DomainError(_l("Another cohort has this name."), field="name")
    if fields.get("round_id"):
        taken = db.session.scalar(sa.select(Cohort.id).where(Cohort.round_id == fields["round_id"],
                                                             Cohort.id != (exclude_id or 0)))
        if taken is not None:
            raise DomainError(_l("Another cohort already takes this round's admissions."), field="round_id")


def create_cohort(*, actor, **fields) -> Cohort:
    fields = {k: v for k, v in fields.items() if k in COHORT_FIELDS}
    if fields.get("mentoring_allowance_hours", 0) is None:
        fields.pop("mentoring_allowance_hours")  # the model's default
    fields["name"] = (fields.get("name") or "").strip()
    _check_cohort(fields)
    cohort = Cohort(**fields)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.create", cohort, label=cohort.name, actor=actor)
    return cohort


def update_cohort(cohort: Cohort, *, actor, version=None, **fields) -> Cohort:
    """Change a cohort. New dates or a new reporting rhythm after admission carry into the members still in
    incubation (see :func:`_carry_into_members`), in the same change and the same audit entry."""
    expect_version(cohort, version)
    fields = {k: v for k, v in fields.items() if k in COHORT_FIELDS}
    fields["name"] = (fields.get("name", cohort.name) or "").strip()
    if fields.get("mentoring_allowance_hours", 0) is None:
        fields.pop("mentoring_allowance_hours")
    merged = {k: fields.get(k, getattr(cohort, k)) for k in COHORT_FIELDS}
    _check_cohort(merged, exclude_id=cohort.id)
    before = {k: getattr(cohort, k) for k in SCHEDULE_FIELDS}
    changed = audit.apply_changes(cohort, fields)
    if changed:
        db.session.flush()
        details = {"changed": changed}
        if any(key in changed for key in SCHEDULE_FIELDS):
            details["carried"] = _carry_into_members(cohort, before, actor=actor)
        audit.record("cohort.update", cohort, label=cohort.name, actor=actor, details=details)
    return cohort


def _carry_into_members(cohort: Cohort, before: dict, *, actor) -> dict:
    """A cohort's dates or rhythm changed after admission: for each member still in incubation, the join date
    and the incubated residency opened with the cohort move with its first day, a residency planned to end
    with the cohort ends with it, and the open drafts of reports take their period's new end and due date
    (a draft whose period is gone, with the rhythm, moves to the new period that holds its first day). Submitted
    reports stay as they were sent; what is due from now on is worked out from the new periods. Returns what
    moved, for the audit entry."""
    from incubator.companies import services as register

    members = list(db.session.scalars(sa.select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.status.in_(IN_INCUBATION))
        .options(sa.orm.joinedload(CohortMember.residency))))
    carried = {"members": 0, "residencies": 0, "drafts": 0}
    old_start, old_end = before["starts_on"], before["ends_on"]
    for member in members:
        residency = member.residency
        starts_on, ends_on = (residency.starts_on, residency.ends_on) if residency is not None else (None, None)
        if member.joined_on == old_start and cohort.starts_on != old_start:
            member.joined_on = cohort.starts_on
            carried["members"] += 1
            shared = residency is not None and db.session.scalar(sa.select(CohortMember.id).where(
                CohortMember.residency_id == residency.id, CohortMember.id != member.id).limit(1)) is not None
            if residency is not None and starts_on == old_start and not shared:
                starts_on = cohort.starts_on
        if residency is not None and ends_on == old_end and member.extended_to is None \
                and cohort.ends_on != old_end:
            ends_on = cohort.ends_on  # planned to end with the cohort: it still does
        if residency is not None and (starts_on, ends_on) != (residency.starts_on, residency.ends_on):
            try:
                register.update_residency(residency, kind=residency.kind, starts_on=starts_on, ends_on=ends_on,
                                          note=residency.note, actor=actor)
            except DomainError as exc:
                raise DomainError(_l("%(company)s cannot follow the new dates: %(reason)s",
                                     company=member.company.name, reason=exc.message), field="starts_on") from exc
            carried["residencies"] += 1
        carried["drafts"] += _carry_drafts(member)
    db.session.flush()
    return carried


def _carry_drafts(member: CohortMember) -> int:
    """The member's open drafts follow its periods as they are now (see _carry_into_members)."""
    now_periods = member_periods(member)
    all_periods = periods(member.cohort.starts_on, member_last_day(member), member.cohort.rhythm)
    taken = set(db.session.scalars(sa.select(ProgressReport.period_start).where(
        ProgressReport.member_id == member.id, ProgressReport.status == ReportStatus.SUBMITTED)))
    moved = 0
    for draft in db.session.scalars(sa.select(ProgressReport).where(ProgressReport.member_id == member.id,
                                                                     ProgressReport.status == ReportStatus.DRAFT)):
        period = next((p for p in now_periods if p.start == draft.period_start), None) or next(
            (p for p in all_periods if p.start <= draft.period_start <= p.end and p.start not in taken), None)
        if period is None or (period.start, period.end, period.due_on) == (draft.period_start, draft.period_end,
                                                                          draft.due_on):
            continue
        draft.period_start, draft.period_end, draft.due_on = period.start, period.end, period.due_on
        moved += 1
    return moved


def cohort_for_round(round_id: int) -> Cohort | None:
    return db.session.scalar(sa.select(Cohort).where(Cohort.round_id == round_id))


# ---- Admission and leaving ----------------------------------------------------------------------------------

def check_admissible(company) -> None:
    """The programme incubates IT startups (the 70 % target counts them): admitted by hand or by a review's
    acceptance, the rule is this one. Raises DomainError with the reason."""
    if not company.is_it:
        raise DomainError(_l("%(company)s cannot be admitted: it is not an IT business in the register (correct "
                             "its record first if it is one).", company=company.name), field="tax_code")


def admit(cohort: Cohort, company, *, actor, application=None) -> CohortMember:
    """The startup joins the cohort, and an incubated residency opens from the cohort's start (or today's
    admission, if later), through the register's own service: the 70 % figure follows by itself."""
    from incubator.companies import services as register

    member = db.session.scalar(sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                             CohortMember.company_id == company.id))
    if member is not None:
        return member
    check_admissible(company)
    joined_on = cohort.starts_on
    running = db.session.scalar(sa.select(Residency).where(
        Residency.company_id == company.id, Residency.kind == ResidencyKind.INCUBATED,
        Residency.active_on_clause(joined_on)))
    try:
        if running is None:
            residency = register.add_residency(company, ResidencyKind.INCUBATED, joined_on, note=str(cohort.name),
                                               actor=actor)
        else:
            residency = running
            if running.ends_on is not None and running.ends_on < cohort.ends_on:
                # An incubation ending during the cohort runs on with it, until the member leaves.
                register.update_residency(running, kind=running.kind, starts_on=running.starts_on, ends_on=None,
                                          note=running.note, actor=actor)
    except DomainError as exc:
        raise DomainError(_l("%(company)s cannot be admitted: %(reason)s", company=company.name,
                             reason=exc.message)) from exc
    member = CohortMember(cohort_id=cohort.id, company_id=company.id, joined_on=joined_on,
                          application_id=getattr(application, "id", None), residency_id=residency.id)
    db.session.add(member)
    db.session.flush()
    audit.record("cohort.admit", member, label=company.name, to_state=MemberStatus.ACTIVE, actor=actor,
                 details={"cohort": cohort.id, "company_id": company.id, "residency": residency.id,
                          "application": getattr(application, "id", None)})
    return member


def leave(member: CohortMember, status: MemberStatus, *, on: date, actor, stays_on: bool = False,
          product: str | None = None, evidence_text: str | None = None, evidence_url: str | None = None,
          pillars=(), note: str | None = None, extended_to: date | None = None, version=None) -> CohortMember:
    """The member's outcome at the end (or before it): recorded as the graduation outcome the targets count;
    the incubated residency ends that day, except for an extension; a graduate who stays in the building
    gets an alumnus residency from the next day. An extension gives the member a new last day
    (``extended_to``, after the cohort's): its reports go on, in the cohort's rhythm, until then, and a
    residency planned to end with the cohort ends on the new day."""
    from incubator.companies import services as register
    from incubator.outcomes import services as outcomes

    status = MemberStatus(status)
    expect_version(member, version)
    if status not in MEMBER_TRANSITIONS[member.status]:
        raise DomainError(_l("This member is %(state)s and cannot become %(to)s.", state=member.status.label,
                             to=status.label), field="status")
    if on is None:
        raise DomainError(_l("Enter the date of the decision."), field="on")
    if on < member.joined_on:
        raise DomainError(_l("The date cannot be before the member joined."), field="on")
    if on > bounds.today() + bounds.DECISION_GRACE:  # the outcome's own bound (bounds.DECISION), said here
        raise DomainError(_l("A decision is recorded when it is taken: the date is too far ahead."), field="on")
    if status is MemberStatus.EXTENDED:
        _check_extension(member, extended_to)
    company = member.company
    outcome = outcomes.record_outcome(
        company, decision=status.value, decided_on=on, pillars=pillars, actor=actor,
        cohort_name=member.cohort.name, product=product, evidence_text=evidence_text, evidence_url=evidence_url,
        note=note)
    before = member.status
    member.status = status
    member.outcome_id = outcome.id
    if status is MemberStatus.EXTENDED:
        residency = member.residency
        if residency is not None and residency.ends_on is not None and residency.ends_on < extended_to:
            register.update_residency(residency, kind=residency.kind, starts_on=residency.starts_on,
                                      ends_on=extended_to, note=residency.note, actor=actor)
        member.extended_to = extended_to
    else:
        member.left_on = on
        member_left.send(member, actor=actor)  # the startup has left: so have its mentors
        residency = member.residency
        shared = db.session.scalar(sa.select(CohortMember.id).where(
            CohortMember.residency_id == member.residency_id, CohortMember.id != member.id,
            CohortMember.status.in_(IN_INCUBATION)).limit(1)) if residency is not None else None
        # The incubation goes on if the startup is still in another cohort on the same residency.
        if residency is not None and residency.ends_on is None and shared is None:
            register.end_residency(residency, max(on, residency.starts_on), reason=status.label, actor=actor)
        if status is MemberStatus.GRADUATED and stays_on:
            register.add_residency(company, ResidencyKind.ALUMNUS, on + timedelta(days=1),
                                   note=str(member.cohort.name), actor=actor)
    db.session.flush()
    audit.record("cohort.leave", member, label=company.name, from_state=before, to_state=status, actor=actor,
                 details={"cohort": member.cohort_id, "on": on.isoformat(), "stays_on": stays_on,
                          "outcome": outcome.id,
                          **({"extended_to": extended_to.isoformat()} if status is MemberStatus.EXTENDED else {})})
    return member


def _check_extension(member: CohortMember, extended_to: date | None) -> None:
    """An extension runs to a new last day after the member's current one, within the programme's days."""
    if extended_to is None:
        raise DomainError(_l("Enter the new last day of the extension."), field="extended_to")
    bounds.PROGRAMME.check(extended_to, "extended_to")
    if extended_to <= member_last_day(member):
        raise DomainError(_l("The new last day must be after %(day)s.",
                             day=member_last_day(member).strftime("%d/%m/%Y")), field="extended_to")


# ---- Progress reports -------------------------------------------------------------------------------------

REPORT_FIELDS = ("revenue", "paying_customers", "employees", "funding_raised", "funding_source", "product_status",
                 "highlights", "problems", "help_needed")


def _versions(member: CohortMember, period_start: date) -> list[ProgressReport]:
    return list(db.session.scalars(sa.select(ProgressReport).where(
        ProgressReport.member_id == member.id, ProgressReport.period_start == period_start)
        .order_by(ProgressReport.version)))


def draft_for(member: CohortMember, period: Period, *, actor) -> ProgressReport:
    """The period's open draft; or a new one: the first version, or a correction of the last submitted one
    (starting from its figures). A period is within the programme's days (bounds.PROGRAMME), as its cohort."""
    bounds.PROGRAMME.check(period.start, "period")
    bounds.PROGRAMME.check(period.end, "period")
    # Two saves at once (a double click) queue on the member's row, so the second finds the first's draft.
    db.session.execute(sa.select(CohortMember.id).where(CohortMember.id == member.id).with_for_update())
    versions = _versions(member, period.start)
    if versions and versions[-1].status is ReportStatus.DRAFT:
        return versions[-1]
    report = ProgressReport(member_id=member.id, period_start=period.start, period_end=period.end,
                            due_on=period.due_on, version=len(versions) + 1, created_by_id=actor.id)
    if versions:
        for key in REPORT_FIELDS:
            setattr(report, key, getattr(versions[-1], key))
    db.session.add(report)
    db.session.flush()
    return report


def save_report(report: ProgressReport, *, actor, submit: bool, now, version=None, **fields) -> ProgressReport:
    if report.status is ReportStatus.SUBMITTED:
        raise DomainError(_l("A submitted report is not changed: correct it with a new version."))
    expect_version(report, version)
    for key in ("revenue", "paying_customers", "employees", "funding_raised"):
        value = fields.get(key)
        bounds.check_not_negative(Decimal(value) if value is not None else None, key,
                                  _l("A figure cannot be negative."))
    for key in REPORT_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(report, key, value.strip() or None if isinstance(value, str) else value)
    if submit:
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = now
    db.session.flush()
    if submit:
        audit.record("report.submit", report, label=report.member.company.name, to_state="submitted",
                     actor=actor, details={"period": report.period_start.isoformat(), "version": report.version})
    return report


def send_report_reminders(today: date) -> int:
    """Remind founders of a report due within three days, and once more when it is late. Each (member,
    period, before/after) reminder goes out once: the unique row written with it says so."""
    from incubator.mail import services as mail
    from incubator.urls import external_url

    members = db.session.scalars(sa.select(CohortMember).join(Cohort).where(
        CohortMember.status.in_(IN_INCUBATION), Cohort.starts_on <= today)).all()
    if not members:
        return 0
    member_ids = [m.id for m in members]
    submitted = set(db.session.execute(sa.select(ProgressReport.member_id, ProgressReport.period_start).where(
        ProgressReport.member_id.in_(member_ids), ProgressReport.status == ReportStatus.SUBMITTED)).all())
    sent = set(db.session.execute(sa.select(ReportReminder.member_id, ReportReminder.period_start,
                                            ReportReminder.kind)
                                  .where(ReportReminder.member_id.in_(member_ids))).all())
    count = 0
    for member in members:
        founders = founders_of(member.company_id)
        if not founders:
            continue  # nobody to tell yet: a founder who joins later is reminded then
        due = [p for p in member_periods(member) if (member.id, p.start) not in submitted and p.end < today]
        late = [p for p in due if today > p.due_on]
        soon = [p for p in due if p.due_on >= today and (p.due_on - today).days <= REMIND_BEFORE_DAYS]
        # One e-mail per startup and run: about the latest late report (older ones are counted in it) or the one
        # due soon. Every period it covers is marked, so none is announced twice.
        pending = [(p, "after") for p in late if (member.id, p.start, "after") not in sent]
        pending += [(p, "before") for p in soon if (member.id, p.start, "before") not in sent]
        if not pending:
            continue
        for period, kind in pending:
            db.session.add(ReportReminder(member_id=member.id, period_start=period.start, kind=kind))
        period, kind = max(pending, key=lambda pk: pk[0].start)
        for founder in founders:
            from flask_babel import force_locale

            with force_locale(founder.locale or "vi"):
                subject = str(_l("Progress report for %(company)s due on %(due)s", company=member.company.name,
                                 due=period.due_on.strftime("%d/%m/%Y")))
            mail.send_to(founder, "report_reminder", subject, member=member,
                         period=period, late=kind == "after", late_count=len(late),
                         link=external_url("cohorts.report", member_id=member.id, period=period.key))
            count += 1
    db.session.flush()
    return count


# ---- Services delivered -------------------------------------------------------------------------------------

SERVICE_FIELDS = ("kind", "title", "delivered_on", "provider_id", "hours", "note")


def _twin_service(actor, fields: dict, recipients: list[int]) -> ServiceDelivery | None:
    """The same service recorded by the same person a moment ago (a double click, a form sent twice): two
    posts queue on the person's row, and the second finds the first's service."""
    from incubator.auth.models import User
    from incubator.db import utcnow

    db.session.execute(sa.select(User.id).where(User.id == actor.id).with_for_update())
    candidates = db.session.scalars(sa.select(ServiceDelivery).where(
        ServiceDelivery.created_by_id == actor.id, ServiceDelivery.kind == fields["kind"],
        ServiceDelivery.title == fields["title"], ServiceDelivery.delivered_on == fields["delivered_on"],
        ServiceDelivery.created_at >= utcnow() - timedelta(minutes=10)))
    return next((s for s in candidates if {r.company_id for r in s.recipients} == set(recipients)), None)


def save_service(service: ServiceDelivery | None, *, actor, recipients: list[int], attended: list[int],
                 version=None, **fields) -> ServiceDelivery:
    """A service delivered, or planned (a course entered ahead): dated within the programme's days
    (bounds.PROGRAMME: not before 1990, at most ten years ahead); its hours are not negative."""
    fields = {k: v for k, v in fields.items() if k in SERVICE_FIELDS}
    if not (fields.get("title") or "").strip():
        raise DomainError(_l("Name the service."), field="title")
    if fields.get("delivered_on") is None:
        raise DomainError(_l("Enter the date it was delivered."), field="delivered_on")
    bounds.PROGRAMME.check(fields["delivered_on"], "delivered_on")
    bounds.check_not_negative(fields.get("hours"), "hours", _l("Hours cannot be negative."))
    if not recipients:
        raise DomainError(_l("Choose the startups that received it."), field="recipients")
    fields["kind"] = ServiceKind(fields["kind"])
    fields["title"] = fields["title"].strip()
    fields["note"] = (fields.get("note") or "").strip() or None
    created = service is None
    if created:
        twin = _twin_service(actor, fields, recipients)
        if twin is not None:
            return twin
        service = ServiceDelivery(created_by_id=actor.id, **fields)
        db.session.add(service)
    else:
        expect_version(service, version)
        for key, value in fields.items():
            setattr(service, key, value)
    course = fields["kind"] is ServiceKind.TRAINING
    current = {r.company_id: r for r in service.recipients}
    for company_id in set(current) - set(recipients):
        service.recipients.remove(current[company_id])
    for company_id in recipients:
        row = current.get(company_id)
        if row is None:
            row = ServiceRecipient(company_id=company_id)
            service.recipients.append(row)
        row.attended = (company_id in attended) if course else None
    db.session.flush()
    audit.record("service.create" if created else "service.update", service, label=service.title, actor=actor,
                 details={"kind": service.kind.value, "recipients": sorted(recipients)})
    return service

