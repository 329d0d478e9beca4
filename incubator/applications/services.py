"""Applications change status through one door, which checks the transition and audits it."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.applications.enums import DECIDED, TRANSITIONS, ApplicationStatus
from incubator.applications.models import Application
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db


class TransitionRefused(DomainError):
    status_code = 409


def change_status(application: Application, to: ApplicationStatus, *, actor, reason: str | None = None,
                  details: dict | None = None) -> Application:
    to = ApplicationStatus(to)
    current = application.status
    if to not in TRANSITIONS[current]:
        raise TransitionRefused(_l("An application that is %(from)s cannot become %(to)s.",
                                   **{"from": current.label, "to": to.label}))
    application.status = to
    now = utcnow()
    if to is ApplicationStatus.SUBMITTED:
        application.submitted_at = now
    if to in DECIDED:
        application.decided_at = now
    db.session.flush()
    audit.record("application.status", application, label=application.reference or f"#{application.id}",
                 from_state=current.value, to_state=to.value, reason=reason, actor=actor, details=details)
    return application


# ---- Intake rounds (staff) --------------------------------------------------------------------------------

ROUND_FIELDS = ("name_vi", "name_en", "description_vi", "description_en", "opens_at", "closes_at", "cohort_name",
                "eligibility")


def _check_round_dates(opens_at, closes_at) -> None:
    """A round opens and closes on the programme's days (bounds.PROGRAMME: not before 1990, at most ten years
    ahead), and closes after it opens."""
    if opens_at is None or closes_at is None:
        raise DomainError(_l("Enter when the round opens and closes."), field="closes_at")
    bounds.PROGRAMME.check(opens_at, "opens_at")
    bounds.PROGRAMME.check(closes_at, "closes_at")
    if closes_at <= opens_at:
        raise DomainError(_l("The round must close after it opens."), field="closes_at")


def _check_eligibility(eligibility) -> None:
    """The eligibility rules' limits (years, employees, amounts) are not negative."""
    values = list((eligibility or {}).values()) if isinstance(eligibility, dict) else []
    while values:
        value = values.pop()
        if isinstance(value, dict):
            values.extend(value.values())
        elif not isinstance(value, bool) and isinstance(value, int | float | Decimal):
            bounds.check_not_negative(value, None, _l("The limits of the eligibility rules cannot be negative."))


def create_round(*, actor, **fields):
    from incubator.applications.models import IntakeRound

    _check_round_dates(fields.get("opens_at"), fields.get("closes_at"))
    _check_eligibility(fields.get("eligibility"))
    intake_round = IntakeRound(**{k: v for k, v in fields.items() if k in ROUND_FIELDS})
    db.session.add(intake_round)
    db.session.flush()
    audit.record("round.create", intake_round, label=intake_round.name_vi, actor=actor)
    return intake_round


def update_round(intake_round, *, actor, version=None, **fields):
    from incubator.errors import expect_version

    expect_version(intake_round, version)
    _check_round_dates(fields.get("opens_at", intake_round.opens_at), fields.get("closes_at", intake_round.closes_at))
    _check_eligibility(fields.get("eligibility"))
    changed = audit.apply_changes(intake_round, fields, ROUND_FIELDS)
    if changed:
        db.session.flush()
        audit.record("round.update", intake_round, label=intake_round.name_vi, actor=actor,
                     details={"changed": changed})
        if {"eligibility", "opens_at"} & set(changed):  # what the rules read of the round
            import sqlalchemy as sa

            recompute_eligibility(sa.select(Application).where(Application.round_id == intake_round.id))
    return intake_round


def extend_deadline(intake_round, closes_at, *, actor, reason: str):
    """A later closing time, with the reason (audited), within bounds.PROGRAMME. Founders' drafts simply stay
    open longer."""
    if closes_at is None:
        raise DomainError(_l("Enter when the round opens and closes."), field="closes_at")
    bounds.PROGRAMME.check(closes_at, "closes_at")
    if closes_at <= intake_round.closes_at:
        raise DomainError(_l("The new deadline must be later than the current one."), field="closes_at")
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for the extension."), field="reason")
    before = intake_round.closes_at
    intake_round.closes_at = closes_at
    db.session.flush()
    audit.record("round.extend", intake_round, label=intake_round.name_vi, from_state=before.isoformat(),
                 to_state=closes_at.isoformat(), reason=reason, actor=actor)
    return intake_round


def copy_round(source, *, actor, opens_at, closes_at, name_vi: str, name_en: str):
    """A new round with the questions, documents and eligibility parameters of a past one."""
    from incubator.applications.models import IntakeRound, RoundDocument, RoundQuestion

    _check_round_dates(opens_at, closes_at)
    copy = IntakeRound(name_vi=name_vi, name_en=name_en, description_vi=source.description_vi,
                       description_en=source.description_en, opens_at=opens_at, closes_at=closes_at,
                       cohort_name=None, eligibility=dict(source.eligibility or {}))
    for q in source.questions:
        if not q.hidden:
            copy.questions.append(RoundQuestion(
                position=q.position, kind=q.kind, label_vi=q.label_vi, label_en=q.label_en, help_vi=q.help_vi,
                help_en=q.help_en, required=q.required, max_length=q.max_length, choices=list(q.choices or [])))
    for d in source.documents:
        copy.documents.append(RoundDocument(position=d.position, name_vi=d.name_vi, name_en=d.name_en,
                                            required=d.required))
    db.session.add(copy)
    db.session.flush()
    audit.record("round.create", copy, label=copy.name_vi, actor=actor, details={"copied_from": source.id})
    return copy


def has_applications(intake_round) -> bool:
    import sqlalchemy as sa

    return db.session.scalar(sa.select(sa.func.count()).select_from(Application)
                             .where(Application.round_id == intake_round.id)) > 0


def add_question(intake_round, *, actor, **fields):
    from incubator.applications.models import RoundQuestion

    position = max((q.position for q in intake_round.questions), default=0) + 1
    question = RoundQuestion(position=position, **fields)
    _check_question(question)  # before it joins the round: a refused question never shows in its list
    question.round = intake_round
    db.session.add(question)
    db.session.flush()
    audit.record("round.question_add", intake_round, label=question.label_vi, actor=actor,
                 details={"question_id": question.id})
    return question


def update_question(question, *, actor, **fields):
    from types import SimpleNamespace

    _check_question(SimpleNamespace(**{**{"kind": question.kind, "choices": question.choices}, **fields}))
    for key, value in fields.items():
        setattr(question, key, value)
    db.session.flush()
    audit.record("round.question_update", question.round, label=question.label_vi, actor=actor,
                 details={"question_id": question.id, "hidden": question.hidden})
    return question


def remove_question(question, *, actor):
    """Only while no application exists; afterwards a question can only be hidden (answers keep their meaning)."""
    if has_applications(question.round):
        raise DomainError(_l("Applications exist: this question can be hidden, not removed."))
    intake_round = question.round
    db.session.delete(question)
    db.session.flush()
    audit.record("round.question_remove", intake_round, label=question.label_vi, actor=actor)


def _check_question(question) -> None:
    from incubator.applications.enums import QuestionKind

    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and len(question.choices or []) < 2:
        raise DomainError(_l("A choice question needs at least two choices, one per line."), field="choices")


def add_document(intake_round, *, actor, name_vi: str, name_en: str, required: bool):
    from incubator.applications.models import RoundDocument

    position = max((d.position for d in intake_round.documents), default=0) + 1
    document = RoundDocument(round=intake_round, position=position, name_vi=name_vi, name_en=name_en,
                             required=required)
    db.session.add(document)
    db.session.flush()
    audit.record("round.document_add", intake_round, label=name_vi, actor=actor)
    return document



# ---- Applying (founders) ----------------------------------------------------------------------------------

FACT_FIELDS = ("is_public_company", "sector_kind", "employees", "revenue", "capital")


def override_eligibility(application, *, actor, reason: str):
    """Staff let one application through a failed hard rule, with the written reason (audited)."""
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for letting this application through."), field="reason")
    application.eligibility_override = reason.strip()
    application.eligibility_summary = summarise(eligibility_of(application))
    db.session.flush()
    audit.record("application.eligibility_override", application, label=application.reference or f"#{application.id}",
                 reason=reason.strip(), actor=actor)
    return application


def judge_novelty(application, *, actor, met: bool, note: str | None = None, version=None, now=None):
    """Staff record the checklist's novelty judgement ("A new product or technology"): met or not, with who,
    when and, when not met, why (audited). Judged again, the last judgement holds; the log keeps each."""
    from incubator.errors import expect_version

    if not application.novelty_judgeable:
        raise DomainError(_l("The novelty is judged once the application is submitted, and not after it is "
                             "withdrawn."))
    expect_version(application, version)
    note = (note or "").strip() or None
    if not met and note is None:
        raise DomainError(_l("Say why the product or technology is not new."), field="note")
    before = application.novelty_met
    application.novelty_met = bool(met)
    application.novelty_note = note
    application.novelty_judged_by_id = actor.id
    application.novelty_judged_at = now or utcnow()
    application.eligibility_summary = summarise(eligibility_of(application))
    db.session.flush()
    audit.record("application.novelty_met" if met else "application.novelty_not_met", application,
                 label=application.reference or f"#{application.id}", reason=note, actor=actor,
                 details={"before": None if before is None else ("met" if before else "not_met")})
    return application


def start_application(intake_round, company, *, actor, now):
    """The company's draft for this round: the one that exists, or a new one (one per company per round)."""
    import sqlalchemy as sa

    from incubator.companies.models import Company

    # Starts sent at once (a double click) queue on the company's row, so each later one finds the draft.
    db.session.execute(sa.select(Company.id).where(Company.id == company.id).with_for_update())
    existing = db.session.scalar(sa.select(Application).where(Application.round_id == intake_round.id,
                                                              Application.company_id == company.id))
    if existing is not None:
        return existing
    if not intake_round.is_open(now):
        raise DomainError(_l("This round is not open for applications."))
    application = Application(round=intake_round, company=company, created_by_id=actor.id)
    _fill_from_record(application, company)
    db.session.add(application)
    db.session.flush()
    audit.record("application.create", application, label=f"#{application.id} {company.name}",
                 to_state=ApplicationStatus.DRAFT.value, actor=actor,
                 details={"round_id": intake_round.id, "company_id": company.id})
    return application


def _fill_from_record(application, company) -> None:
    """A new draft starts with what the business's record already answers: the number of employees on its
    file, and the figures it declared in its latest application to an earlier round (revenue, capital, whether
    it is a public company, its main sector). The founding date and whether it is an IT business are read from
    the file itself by the eligibility rules. The founder may change any of them in the draft."""
    import sqlalchemy as sa

    previous = db.session.scalar(sa.select(Application).where(Application.company_id == company.id)
                                 .order_by(Application.created_at.desc(), Application.id.desc()).limit(1))
    for key in FACT_FIELDS:
        if previous is not None and getattr(previous, key) is not None:
            setattr(application, key, getattr(previous, key))
    if company.employees is not None:  # the file is kept up to date by staff: it wins over an old declaration
        application.employees = company.employees


def save_draft(application, *, answers: dict, facts: dict, actor, version=None):
    """Save what the founder typed, complete or not; required answers are checked only at submission. The
    business's figures (employees, revenue, capital) and the amounts answered are not negative."""
    from incubator.applications.enums import QuestionKind
    from incubator.errors import expect_version

    if application.status is not ApplicationStatus.DRAFT:
        raise DomainError(_l("Only a draft can be changed."))
    expect_version(application, version)
    bounds.check_not_negative(facts.get("employees"), "employees", _l("The number of employees cannot be negative."))
    for key in ("revenue", "capital"):
        bounds.check_not_negative(facts.get(key), key, _l("Enter an amount in VND, not negative."))
    for question in application.round.questions:
        value = answers.get(str(question.id))
        if question.kind is QuestionKind.MONEY and isinstance(value, int | Decimal) and not isinstance(value, bool):
            bounds.check_not_negative(value, f"q{question.id}", _l("Enter an amount in VND, not negative."))
    visible = {str(q.id) for q in application.round.questions if not q.hidden}
    application.answers = {**(application.answers or {}), **{k: v for k, v in answers.items() if k in visible}}
    for key in FACT_FIELDS:
        if key in facts:
            setattr(application, key, facts[key])
    application.eligibility_summary = summarise(eligibility_of(application))
    db.session.flush()
    return application


def recompute_eligibility(stmt) -> int:
    """Work the stored eligibility summary out again for the applications ``stmt`` selects, after what the rules
    read changed (a round's parameters, a business's record); returns how many changed. One hook for both:
    update_round calls it, and the register's company_changed signal (below)."""
    from sqlalchemy.orm import joinedload

    count = 0
    for application in db.session.scalars(stmt.options(joinedload(Application.company),
                                                       joinedload(Application.round))):
        summary = summarise(eligibility_of(application))
        if application.eligibility_summary != summary:
            application.eligibility_summary = summary
            count += 1
    db.session.flush()
    return count


# The fields of a business's record that the eligibility rules read (applications.eligibility.Facts).
COMPANY_FACTS = frozenset({"founded_on", "is_it", "employees"})


def _company_changed(company, changed=frozenset()) -> None:
    import sqlalchemy as sa

    if COMPANY_FACTS & set(changed):
        recompute_eligibility(sa.select(Application).where(Application.company_id == company.id))


def summarise(results) -> str:
    """failed when a rule fails (a hard rule, or the novelty staff judged not met), staff when something is
    left to staff, else passed."""
    from incubator.applications.eligibility import RuleStatus

    if any(r.status is RuleStatus.FAILED for r in results):
        return RuleStatus.FAILED.value
    if any(r.status is RuleStatus.STAFF for r in results):
        return RuleStatus.STAFF.value
    return RuleStatus.PASSED.value


def eligibility_of(application):
    from incubator.applications.eligibility import Facts, evaluate
    from incubator.i18n import local_day

    company = application.company
    facts = Facts(founded_on=company.founded_on, is_it=company.is_it, is_public_company=application.is_public_company,
                  sector_kind=application.sector_kind, employees=application.employees, revenue=application.revenue,
                  capital=application.capital, novelty=application.novelty_met)
    return evaluate(facts, local_day(application.round.opens_at), application.round.eligibility)


def missing_for_submission(application) -> list:
    """What stops the draft from being submitted, each as a sentence for the founder."""
    from incubator.applications.eligibility import blocking

    problems = []
    for question in application.round.questions:
        if question.required and not question.hidden and not (application.answers or {}).get(str(question.id)):
            problems.append(_l("Answer the question: %(question)s", question=question.label))
    uploaded = {d.document_id for d in application.documents}
    for document in application.round.documents:
        if document.required and document.id not in uploaded:
            problems.append(_l("Upload the document: %(document)s", document=document.name))
    if not application.eligibility_override:
        problems.extend(r.reason for r in blocking(eligibility_of(application)))
    return problems


def submit(application, *, actor, now):
    """Submit a complete draft before the deadline (server time). Sent twice, it submits once: the second
    request finds it submitted and changes nothing."""
    import sqlalchemy as sa

    from incubator.i18n import fmt_datetime

    db.session.execute(sa.select(Application.id).where(Application.id == application.id).with_for_update())
    db.session.refresh(application)
    if application.status is ApplicationStatus.SUBMITTED:
        return application
    if application.status is not ApplicationStatus.DRAFT:
        raise TransitionRefused(_l("Only a draft can be submitted."))
    if now >= application.round.closes_at:
        raise DomainError(_l("The round closed at %(when)s: the application can no longer be submitted. "
                             "Your draft is kept.", when=fmt_datetime(application.round.closes_at)))
    problems = missing_for_submission(application)
    if problems:
        raise DomainError(problems[0])
    application.eligibility_summary = summarise(eligibility_of(application))
    for _attempt in range(5):  # two applications numbered at once: the UNIQUE reference sends one round again
        if application.reference:  # returned to draft and submitted again: it keeps its reference
            break
        try:
            with db.session.begin_nested():
                application.reference = _next_reference(now)
                db.session.flush()
        except sa.exc.IntegrityError:
            application.reference = None
    if not application.reference:
        raise DomainError(_l("The application could not be numbered; try again."))
    change_status(application, ApplicationStatus.SUBMITTED, actor=actor)
    from incubator.companies.queries import founders_of
    from incubator.mail import services as mail
    from incubator.urls import external_url

    link = external_url("applications.status", application_id=application.id)
    for founder in founders_of(application.company_id):  # every founder of the business, not only the sender
        mail.send_to(founder, "application_submitted",
                     _l("Application %(reference)s received", reference=application.reference),
                     application=application, link=link)
    return application


def _next_reference(now) -> str:
    """VU-2026-0042: the year in Hà Nội and a number that follows the year's last one (the reference is
    UNIQUE, and the caller holds the write lock on SQLite or the application's row on PostgreSQL)."""
    import sqlalchemy as sa

    from incubator.i18n import local_tz

    year = now.astimezone(local_tz()).year
    prefix = f"VU-{year}-"
    last = db.session.scalar(sa.select(sa.func.max(sa.cast(sa.func.substr(Application.reference, len(prefix) + 1),
                                                           sa.Integer)))
                             .where(Application.reference.startswith(prefix)))
    number = int(last) + 1 if last else 1  # numerically: VU-2026-10000 follows VU-2026-9999
    return f"{prefix}{number:04d}"


def withdraw(application, *, actor, reason: str | None = None):
    """The founder withdraws, before a decision only (``Application.may_be_withdrawn``: not decided, and the
    state allows it); a decided application is refused with the reason, any other state by change_status."""
    if application.status in DECIDED:
        raise TransitionRefused(_l("A decision has been taken: the application can no longer be withdrawn."))
    return change_status(application, ApplicationStatus.WITHDRAWN, actor=actor, reason=reason)  # checks the rest


def attach_document(application, document, pdf, *, actor):
    """Upload (or replace, while a draft) the file for one of the round's documents."""
    from incubator.applications.models import ApplicationDocument

    if application.status is not ApplicationStatus.DRAFT:
        raise DomainError(_l("Documents can only be changed while the application is a draft."))
    if document.round_id != application.round_id:
        raise DomainError(_l("This document is not asked for by this round."))
    slot = next((d for d in application.documents if d.document_id == document.id), None)
    if slot is None:
        slot = ApplicationDocument(application=application, document=document)
        db.session.add(slot)
    slot.stored_name, slot.original_name, slot.size = pdf.stored_name, pdf.original_name, len(pdf.data)
    slot.uploaded_at, slot.uploaded_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record("application.document", application, label=application.reference or f"#{application.id}",
                 to_state=document.name_vi, actor=actor, details={"file": pdf.original_name})
    return slot


def connect_to_the_register() -> None:
    """Called by the factory: applications hear the register's company_changed (connecting twice connects
    once); and a business with an application submitted to an incubator's round is in that incubator, for the
    register's rule of which businesses its staff see (a draft is the founder's own)."""
    from incubator.companies.queries import register_presence
    from incubator.companies.services import company_changed

    company_changed.connect(_company_changed)  # a module-level function: blinker's weak reference holds
    register_presence(_submitted_applications, Application, "status")


def _submitted_applications():
    import sqlalchemy as sa

    table = Application.__table__
    return sa.select(table.c.company_id, table.c.incubator_id).where(table.c.status != ApplicationStatus.DRAFT)
