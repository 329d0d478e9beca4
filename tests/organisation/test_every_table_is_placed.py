"""Every row of an incubator's work carries its incubator (issue 20), so that the scoping of
organisation/scoping.py finds no row of another incubator, however deep: an application, its documents, its
stage entries, assignments, reviews and scores are in its round's incubator, whichever incubator the person
who made them was working in; a cohort's members, their reports, mentors and sessions in the cohort's. A row
never straddles two incubators. Every table chooses: it carries a required incubator, or it is city-wide for a
reason written here."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from incubator.applications import services as applications
from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import Application, IntakeRound, RoundDocument, RoundQuestion
from incubator.auth.enums import Role
from incubator.cohorts.enums import ServiceKind
from incubator.cohorts.models import (
    Cohort,
    CohortMember,
    ProgressReport,
    ReportReminder,
    ServiceDelivery,
    ServiceRecipient,
)
from incubator.db import utcnow
from incubator.extensions import db as _db
from incubator.funding.enums import PipelineStage
from incubator.funding.models import PipelineEntry, PipelineMove
from incubator.mentoring.models import MentorAssignment, MentoringSession
from incubator.organisation.current import NoIncubatorChosen, use_incubator
from incubator.organisation.models import Incubator, IncubatorScoped, StraddlingIncubators
from incubator.organisation.scoping import scoped_to
from incubator.reviews.models import (
    Assignment,
    Criterion,
    RejectionReason,
    Review,
    ReviewStage,
    Score,
    StageEntry,
)

# The tables that belong to no incubator, and why. A new table either carries a required incubator_id (the
# IncubatorScoped mixin, with __incubator_from__ naming its parent if it has one) or is added here.
NETWORK_WIDE = {
    "incubators": "the incubators of the network themselves",
    "report_renders": "a PDF drawn in the background: an incubator's report's (report_id; its page checks the "
                      "report, scoped) or the city's report of a period, which belongs to no incubator",
    "users": "a person has one account across the network; what they may do, and where, is in user_roles",
    "user_roles": "a role held in one incubator names it; administrators', officials' and founders' are "
                  "network-wide (incubator_id empty)",
    "account_tokens": "invitations, password resets and e-mail checks belong to an account, not to an incubator",
    "web_sessions": "a signed-in session is a person's, whichever incubator they work in",
    "login_attempts": "sign-in attempts are limited by address and e-mail across the installation",
    "audit_log": "one record of who did what, across the network; an entry carries its object's incubator, or "
                 "the one its author worked in, and none when it is the installation's (an account, a city-wide "
                 "list: incubator_id empty)",
    "mail_outbox": "the queue of outgoing e-mail serves the whole installation; a message carries the incubator "
                   "it was sent for, none when it is the installation's (an account's e-mail)",
    "companies": "a business (one tax code) is one record city-wide; its residencies, outcomes and applications "
                 "carry the incubator",
    "company_presence": "where each business is: a row per incubator it is in, or one with no incubator while it is "
                        "in none (what the rule of which businesses an incubator's staff see reads)",
    "company_members": "a founder's tie to their business holds wherever the business applies",
    "partners": "a partner (MISA, VINASA, a fund) may work with several incubators, with an agreement per "
                "incubator",
    "mentor_profiles": "a mentor's topics, languages and capacity are theirs wherever they mentor; their "
                       "assignments carry the incubator",
    "calendar_tokens": "a private calendar feed belongs to a mentor or a business and lists their sessions in "
                       "every incubator",
    "review_conflicts": "a reviewer's tie to a business holds wherever the business applies",
    "change_counters": "a counter raised by every write to what the targets count (the city's and each incubator's "
                       "figures read it alike)",
    "targets": "the city's targets, and each incubator's own copies (incubator_id empty: the city's)",
    "request_categories": "what businesses' requests are about, with their time limits, is one list city-wide",
    "answering_bodies": "the Department's units, the city's departments and districts answer requests from "
                        "every incubator",
    "calendar_days": "the government's days off and make-up working days hold for the whole city",
    "request_number_counters": "a request's number (KN-2026-0001) is city-wide per year",
    "dialogue_conference_bodies": "which city-wide bodies attend a dialogue conference: a link read only through "
                                  "its conference, which carries the incubator",
    "certificate_standards": "the standards the third target recognises are one list that staff keep city-wide",
    "certificates": "a business's certificates are city-wide, like the business (domain.md: one record, and so are "
                    "its certificates); each incubator counts those of its own IT businesses",
    "product_groups": "the city's key digital product groups are one list that staff keep city-wide, so that the "
                      "catalogue's filter and the API name a group the same way whatever the incubator",
    "product_entries": "a product is its business's, and a business is one record city-wide; it is shown under every "
                       "incubator where the business is or was incubated, read from its residencies and outcomes",
    "product_revisions": "a change of a product entry, read only through its entry (city-wide)",
    "product_messages": "the contact form's count of messages, read only through its entry (city-wide)",
    "api_tokens": "a token belongs to an administrator or a Department official, who read across the network; the "
                  "incubators it may read are listed on it (none: every one its owner sees)",
    "api_calls": "the log of a token's calls, counted for its limit per minute, follows its token",
    "stored_files": "the bytes of an uploaded document, read only through the record that names it (which carries "
                    "its incubator, or is city-wide) and the permission its view checks",
}


def _incubator_column(table: sa.Table):
    return table.c.get("incubator_id")


def test_every_table_carries_a_required_incubator_or_says_why_it_is_city_wide(app_ctx):
    undecided, stale = [], []
    for table in _db.metadata.sorted_tables:
        column = _incubator_column(table)
        scoped = column is not None and not column.nullable
        if scoped and table.name in NETWORK_WIDE:
            stale.append(table.name)
        elif not scoped and table.name not in NETWORK_WIDE:
            undecided.append(table.name)
    assert undecided == [], f"tables that neither carry a required incubator_id nor say why they are city-wide: " \
                            f"{undecided}"
    assert stale == [], f"tables listed as city-wide that carry a required incubator_id: {stale}"
    assert set(NETWORK_WIDE) <= {t.name for t in _db.metadata.sorted_tables}
    assert all(reason.strip() for reason in NETWORK_WIDE.values())


def _mapped_classes():
    return [mapper.class_ for mapper in _db.Model.registry.mappers]


def test_a_table_carrying_an_incubator_is_scoped_and_its_parents_carry_one_too(app_ctx):
    """A table with a required incubator_id is mapped by an IncubatorScoped model (or the scoping, which
    filters those, would not limit it), and every parent an __incubator_from__ names is one too, reached by a
    many-to-one relationship."""
    for cls in _mapped_classes():
        column = _incubator_column(cls.__table__)
        if column is not None and not column.nullable:
            assert issubclass(cls, IncubatorScoped), cls
        names = getattr(cls, "__incubator_from__", ())
        for name in (names,) if isinstance(names, str) else names:
            relationship = sa.inspect(cls).relationships[name]
            assert relationship.direction is sa.orm.interfaces.MANYTOONE, (cls, name)
            assert issubclass(relationship.mapper.class_, IncubatorScoped), (cls, name)


@pytest.fixture
def two(db):
    """HN1 and HN2 (the default incubator is HN1's stand-in: VUHN)."""
    hn1 = db.session.scalar(sa.select(Incubator))
    hn2 = Incubator(code="HN2", name_vi="Vườn ươm thứ hai", name_en="Second incubator")
    db.session.add(hn2)
    db.session.flush()
    return hn1, hn2


def _hn2_work(make, db, hn1, hn2) -> dict[type, int]:
    """HN2's round, stage, cohort, service and pipeline entry, made in HN2; then everything below them made
    while HN1 is the current incubator: a founder's application (through the services) with a document, its
    stage entry, assignment, review and scores, a cohort member with a report, a reminder, a mentor and a
    session, a service's recipient and a pipeline move. Returns the id of one row of each model."""
    with use_incubator(hn2):
        intake_round = make.intake_round()
        stage = make.review_stage(intake_round=intake_round)
        cohort = make.cohort(round=intake_round)
        service = ServiceDelivery(kind=ServiceKind.TRAINING, title="Lớp học", delivered_on=date(2025, 3, 1))
        partner = make.partner()
        entry = PipelineEntry(partner_id=partner.id, company=make.company(), stage_on=date(2025, 3, 1))
        db.session.add_all([service, entry])
        db.session.commit()
    founder, company = make.user(Role.FOUNDER), make.company()
    with use_incubator(hn1):
        question = RoundQuestion(round=intake_round, kind=QuestionKind.TEXT, label_vi="Hỏi", label_en="Ask")
        document = RoundDocument(round=intake_round, name_vi="Giấy phép", name_en="Licence")
        db.session.add_all([question, document])
        application = applications.start_application(intake_round, company, actor=founder, now=utcnow())
        pdf = SimpleNamespace(stored_name="a" * 32 + ".pdf", original_name="giay-phep.pdf", data=b"%PDF-1.4")
        applications.attach_document(application, document, pdf, actor=founder)
        application.status = ApplicationStatus.UNDER_REVIEW
        db.session.commit()
        stage_entry = make.stage_entry(stage=stage, application=application)
        review = make.review(make.assignment(entry=stage_entry))
        member = make.cohort_member(cohort=cohort, company=company, application_id=application.id)
        report = ProgressReport(member=member, period_start=date(2025, 1, 1), period_end=date(2025, 1, 31),
                                due_on=date(2025, 2, 5))
        reminder = ReportReminder(member_id=member.id, period_start=date(2025, 1, 1), kind="before")
        recipient = ServiceRecipient(service=service, company=company)
        move = PipelineMove(entry=entry, to_stage=PipelineStage.SCREENING, moved_on=date(2025, 3, 1))
        db.session.add_all([report, reminder, recipient, move])
        db.session.commit()
        session = make.mentoring_session(make.mentor_assignment(member=member))
    rows = [intake_round, question, document, application, application.documents[0], stage, stage.criteria[0],
            stage.panel[0], stage_entry, review.assignment, review, review.scores[0], cohort, member, report,
            reminder, session.assignment, session, service, recipient, entry, move]
    return {type(row): row.id for row in rows}


def test_rows_below_another_incubators_round_or_cohort_are_in_that_incubator(two, make, db):
    hn1, hn2 = two
    ids = _hn2_work(make, db, hn1, hn2)
    hn1_id, hn2_id = hn1.id, hn2.id
    assert {cls.__name__ for cls in ids} >= {
        "Application", "ApplicationDocument", "StageEntry", "Assignment", "Review", "Score", "CohortMember",
        "MentoringSession"}
    db.session.expunge_all()
    for cls, row_id in ids.items():
        assert db.session.get(cls, row_id).incubator_id == hn2_id, cls.__name__
    db.session.expunge_all()
    with scoped_to([hn1_id]):
        for cls in (Application, Assignment, CohortMember, MentoringSession):
            assert db.session.get(cls, ids[cls]) is None, cls.__name__
        for cls in ids:
            assert db.session.scalar(sa.select(sa.func.count()).select_from(cls)) == 0, cls.__name__
    with scoped_to([hn2_id]):
        for cls, row_id in ids.items():
            assert db.session.get(cls, row_id) is not None, cls.__name__


def test_a_chain_new_in_one_flush_takes_its_rounds_incubator(two, make, db):
    """Parents new in the same flush are placed before their children, whatever the current incubator."""
    hn1, hn2 = two
    intake_round = IntakeRound(name_vi="Đợt", name_en="Round", opens_at=utcnow(),
                               closes_at=utcnow() + timedelta(days=30), incubator=hn2)
    stage = ReviewStage(round=intake_round, name_vi="Vòng", name_en="Stage", closes_at=intake_round.closes_at)
    criterion = Criterion(stage=stage, name_vi="Tiêu chí", name_en="Criterion")
    application = Application(round=intake_round, company=make.company(), created_by=make.user())
    entry = StageEntry(stage=stage, application=application)
    assignment = Assignment(stage=stage, application=application, reviewer=make.user(Role.REVIEWER))
    review = Review(assignment=assignment)
    score = Score(review=review, criterion=criterion, value=3)
    db.session.add_all([score, entry])
    with use_incubator(hn1):
        db.session.flush()
    rows = (intake_round, stage, criterion, application, entry, assignment, review, score)
    assert {type(row).__name__: row.incubator_id for row in rows} == {
        type(row).__name__: hn2.id for row in rows}


def test_a_row_given_another_incubator_than_its_parent_is_refused(two, make, db):
    hn1, hn2 = two
    with use_incubator(hn2):
        theirs = make.intake_round()
    application = Application(round=theirs, company=make.company(), created_by=make.user(), incubator=hn1)
    db.session.add(application)
    with pytest.raises(StraddlingIncubators):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def test_a_row_whose_parents_are_in_two_incubators_is_refused(two, make, db):
    """A stage entry of HN2's stage for HN1's application, and a score on another incubator's criterion (named
    by its id only), are refused."""
    hn1, hn2 = two
    with use_incubator(hn1):
        ours = make.application(status=ApplicationStatus.UNDER_REVIEW)
        our_stage = make.review_stage(intake_round=ours.round)
    with use_incubator(hn2):
        their_stage = make.review_stage()
    db.session.add(StageEntry(stage=their_stage, application=ours))
    with pytest.raises(StraddlingIncubators):
        db.session.flush()
    db.session.rollback()

    review = make.review(make.assignment(entry=make.stage_entry(stage=our_stage, application=ours)))
    review.scores.append(Score(criterion_id=their_stage.criteria[0].id, value=1))
    with pytest.raises(StraddlingIncubators):
        db.session.flush()
    db.session.rollback()


def test_a_row_moved_under_another_incubators_parent_is_refused(two, make, db):
    hn1, hn2 = two
    with use_incubator(hn1):
        member = make.cohort_member()
    with use_incubator(hn2):
        their_cohort = make.cohort()
    member.cohort = their_cohort
    with pytest.raises(StraddlingIncubators):
        db.session.flush()
    db.session.rollback()
    with use_incubator(hn1):
        assignment = make.mentor_assignment(member=db.session.get(CohortMember, member.id))
    with use_incubator(hn2):
        their_member = make.cohort_member(cohort=db.session.get(Cohort, their_cohort.id))
    assignment.member_id = their_member.id  # by the key alone
    with pytest.raises(StraddlingIncubators):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(MentorAssignment, assignment.id).member_id == member.id


def test_rejection_reasons_are_each_incubators_own(two, make, db):
    """They have no parent: a new one is the current incubator's; with several and none chosen, 'Choose the
    incubator'."""
    _hn1, hn2 = two
    with use_incubator(hn2):
        assert make.rejection_reason().incubator_id == hn2.id
    db.session.add(RejectionReason(label_vi="Lý do", label_en="Reason"))
    with pytest.raises(NoIncubatorChosen):
        db.session.flush()
    db.session.rollback()


def test_a_row_inserted_without_the_orm_takes_its_parents_incubator(two, make, db):
    """The column default, for an INSERT that does not go through the unit of work."""
    hn1, hn2 = two
    with use_incubator(hn2):
        theirs = make.intake_round()
    with use_incubator(hn1):
        db.session.connection().execute(sa.insert(RoundQuestion.__table__).values(
            round_id=theirs.id, kind=QuestionKind.TEXT, label_vi="Hỏi", label_en="Ask"))
        db.session.connection().execute(sa.insert(RejectionReason.__table__).values(
            label_vi="Lý do", label_en="Reason"))
    assert db.session.scalar(sa.select(RoundQuestion.incubator_id)) == hn2.id
    assert db.session.scalar(sa.select(RejectionReason.incubator_id)) == hn1.id


def test_with_one_incubator_everything_is_in_it(make, db):
    """The factories, unchanged, put every row in the only incubator, no incubator chosen."""
    only = db.session.scalar(sa.select(Incubator))
    review = make.review()
    session = make.mentoring_session()
    rows = [review, *review.scores, review.assignment, review.assignment.stage.panel[0],
            review.assignment.application, session, session.assignment, session.assignment.member,
            make.rejection_reason()]
    assert {row.incubator_id for row in rows} == {only.id}
