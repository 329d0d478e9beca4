"""Read-side queries of the review: each page loads what it shows in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import Application, IntakeRound
from incubator.extensions import db
from incubator.reviews import ranking as calc
from incubator.reviews.enums import ACTIVE_ASSIGNMENT, Decision, ReviewStatus, decision_is_open, may_be_decided
from incubator.reviews.models import (
    Assignment,
    Conflict,
    PanelMember,
    Review,
    ReviewStage,
    StageEntry,
    StageReviewer,
    StageStanding,
)
from incubator.reviews.permissions import can_see_ranking, holds_assignment_where


def title_of(application: Application) -> str:
    """An application's title: the answer to the round's first short-text question (the product's name in
    practice), else its reference."""
    return title_from(application.answers, application.round.questions, application.reference, application.id)


def title_from(answers: dict | None, questions, reference: str | None, application_id: int) -> str:
    """``title_of`` from an application's columns and its round's questions."""
    answers = answers or {}
    for question in questions:
        if question.kind is QuestionKind.TEXT and not question.hidden:
            value = answers.get(str(question.id))
            if isinstance(value, str) and value.strip():
                return value.strip()
    return reference or f"#{application_id}"


def _undecided():
    """The assignment's application still waits for the stage's decision (decided ones are no work)."""
    return sa.exists().where(StageEntry.stage_id == Assignment.stage_id,
                             StageEntry.application_id == Assignment.application_id,
                             StageEntry.decision.is_(None))


# ---- The reviewer's desk ------------------------------------------------------------------------------------

@dataclass
class DeskStage:
    stage: ReviewStage
    assignments: list[Assignment]

    @property
    def done(self) -> int:
        return sum(1 for a in self.assignments if a.review is not None and a.review.status is ReviewStatus.SUBMITTED)


def _on_desk(user):
    """The assignments on the reviewer's desk: their own, active (recused and withdrawn ones are gone), of
    applications not withdrawn by their founders (permissions.holds_assignment) and still waiting for the stage's
    decision."""
    return sa.and_(holds_assignment_where(user), _undecided())


def to_review_count(user, now) -> int:
    """How many of the desk's assignments still wait for the reviewer's submitted review in a stage still
    open: one query."""
    return db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).join(Application, Application.id == Assignment.application_id)
        .join(ReviewStage, ReviewStage.id == Assignment.stage_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(_on_desk(user), ReviewStage.closes_at > now,
               sa.or_(Review.id.is_(None), Review.status != ReviewStatus.SUBMITTED)))


def desk(user) -> list[DeskStage]:
    """The reviewer's active assignments, most urgent first: grouped by stage (the latest deadline last) and,
    within a stage, those still to review (no review submitted) before those submitted, each as assigned.
    Recused and withdrawn ones are gone; so are applications withdrawn by their founders."""
    assignments = db.session.scalars(
        sa.select(Assignment).join(Application, Application.id == Assignment.application_id)
        .where(_on_desk(user))
        .options(selectinload(Assignment.stage).selectinload(ReviewStage.round),
                 selectinload(Assignment.application).selectinload(Application.company),
                 selectinload(Assignment.application).selectinload(Application.round)
                 .selectinload(IntakeRound.questions),
                 selectinload(Assignment.review))
        .order_by(Assignment.id)).all()
    groups: dict[int, DeskStage] = {}
    for a in assignments:
        groups.setdefault(a.stage_id, DeskStage(a.stage, [])).assignments.append(a)
    for g in groups.values():
        g.assignments.sort(key=lambda a: (_submitted(a), a.id))
    return sorted(groups.values(), key=lambda g: (g.stage.closes_at, g.stage.id))


def _submitted(assignment: Assignment) -> bool:
    return assignment.review is not None and assignment.review.status is ReviewStatus.SUBMITTED


def next_to_review(user, current: Assignment, now) -> int | None:
    """The id of the desk's next assignment still waiting for the reviewer's submitted review in an open stage,
    in the desk's order (stage closing first, then as assigned: within a stage the desk puts these before the
    submitted ones, so their order among themselves is the desk's) after ``current``, going round to the first;
    None when nothing else waits. One query."""
    rows = db.session.execute(
        sa.select(Assignment.id, ReviewStage.closes_at, ReviewStage.id)
        .join(Application, Application.id == Assignment.application_id)
        .join(ReviewStage, ReviewStage.id == Assignment.stage_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(_on_desk(user), ReviewStage.closes_at > now, Assignment.id != current.id,
               sa.or_(Review.id.is_(None), Review.status != ReviewStatus.SUBMITTED))
        .order_by(ReviewStage.closes_at, ReviewStage.id, Assignment.id)).all()
    if not rows:
        return None
    here = (current.stage.closes_at, current.stage_id, current.id)
    return next((row[0] for row in rows if (row[1], row[2], row[0]) > here), rows[0][0])


def assignment_for(user, assignment_id: int) -> Assignment | None:
    """The reviewer's own active assignment, or None (a recused or foreign one is not found)."""
    return db.session.scalar(
        sa.select(Assignment).join(Application, Application.id == Assignment.application_id)
        .where(Assignment.id == assignment_id, holds_assignment_where(user))
        .options(selectinload(Assignment.stage).selectinload(ReviewStage.criteria),
                 selectinload(Assignment.review).selectinload(Review.scores)))


def others_reviews(a: Assignment) -> list[Review]:
    """The other reviewers' submitted reviews of the same application in the stage, shown only once the
    reviewer's own is submitted and the stage shares scores."""
    own = a.review
    if own is None or own.status is not ReviewStatus.SUBMITTED or not a.stage.share_scores:
        return []
    return list(db.session.scalars(
        sa.select(Review).join(Assignment)
        .where(Assignment.stage_id == a.stage_id, Assignment.application_id == a.application_id,
               Assignment.id != a.id, Assignment.status.in_(ACTIVE_ASSIGNMENT),
               Review.status == ReviewStatus.SUBMITTED)
        .options(selectinload(Review.scores)).order_by(Review.submitted_at, Review.id)))


# ---- Staff: a stage's applications and assignments --------------------------------------------------------

def stage_entries(stage: ReviewStage) -> list[StageEntry]:
    """The stage's applications with their company, author and reason: joined, so one query at any size."""
    return list(db.session.scalars(
        sa.select(StageEntry).where(StageEntry.stage_id == stage.id)
        .options(joinedload(StageEntry.application).joinedload(Application.company),
                 joinedload(StageEntry.application).joinedload(Application.created_by),
                 joinedload(StageEntry.application).joinedload(Application.round)
                 .selectinload(IntakeRound.questions),
                 joinedload(StageEntry.reason))
        .order_by(StageEntry.id)).unique())


def stage_assignments(stage: ReviewStage) -> dict[int, list[Assignment]]:
    """Every assignment of the stage (ended ones too), by application."""
    rows = db.session.scalars(
        sa.select(Assignment).where(Assignment.stage_id == stage.id)
        .options(selectinload(Assignment.reviewer), selectinload(Assignment.review))
        .order_by(Assignment.id)).all()
    result: dict[int, list[Assignment]] = {}
    for a in rows:
        result.setdefault(a.application_id, []).append(a)
    return result


def panel_of(stage: ReviewStage) -> list[PanelMember]:
    from incubator.text import vietnamese_sort_key

    members = db.session.scalars(sa.select(PanelMember).where(PanelMember.stage_id == stage.id)
                                 .options(selectinload(PanelMember.user))).all()
    return sorted(members, key=lambda m: vietnamese_sort_key(m.user.full_name))


def conflicts_for(user_ids: list[int]) -> list[Conflict]:
    return list(db.session.scalars(
        sa.select(Conflict).where(Conflict.reviewer_id.in_(user_ids))
        .options(selectinload(Conflict.reviewer), selectinload(Conflict.company),
                 selectinload(Conflict.declared_by))
        .order_by(Conflict.created_at.desc(), Conflict.id.desc())))


@dataclass
class Progress:
    member: PanelMember
    assigned: int
    done: int

    @property
    def user(self):
        return self.member.user

    @property
    def remaining(self) -> int:
        return self.assigned - self.done


def reviewer_progress(stage: ReviewStage) -> list[Progress]:
    counts = db.session.execute(
        sa.select(Assignment.reviewer_id, sa.func.count(Assignment.id),
                  sa.func.count(Review.id).filter(Review.status == ReviewStatus.SUBMITTED))
        .join(Review, Review.assignment_id == Assignment.id, isouter=True)
        .join(Application, Application.id == Assignment.application_id)
        .where(Assignment.stage_id == stage.id, Assignment.status.in_(ACTIVE_ASSIGNMENT),
               Application.status != ApplicationStatus.WITHDRAWN, _undecided())
        .group_by(Assignment.reviewer_id)).all()
    by_user = {r: (n, d) for r, n, d in counts}
    return [Progress(m, *by_user.get(m.user_id, (0, 0))) for m in panel_of(stage)]


# ---- Staff: the ranking -------------------------------------------------------------------------------------

@dataclass
class RankedEntry:
    entry: StageEntry
    row: calc.Row

    @property
    def application(self) -> Application:
        return self.entry.application


@dataclass(frozen=True)
class RankingLine:
    """A row of the ranking's page, read as plain columns with the standings' figures: no objects (fifty rows of
    an entry, an application and a business each cost more to build as objects than to read)."""

    entry_id: int
    decision: Decision | None
    application_id: int
    reference: str | None
    status: ApplicationStatus
    title: str
    company_name: str
    row: calc.Row

    @property
    def is_open(self) -> bool:
        return decision_is_open(self.decision)

    @property
    def is_withdrawn(self) -> bool:
        return self.status is ApplicationStatus.WITHDRAWN

    @property
    def may_be_decided(self) -> bool:
        return may_be_decided(self.decision, self.is_withdrawn)


# Each sort's columns (the standings' figures, or the entry's application and company); a sort whose value is
# missing (not yet scored) puts those rows last in either direction, and rows with equal values keep the order in
# which they entered the stage.
def _sort_columns(sort: str):
    from incubator.companies.models import Company

    standing = StageStanding.__table__.c
    return {"normalised": standing.normalised, "mean": standing.mean, "median": standing.median,
            "spread": standing.spread, "done": standing.done,
            "company": Company.name_sort,  # the register's key for the Vietnamese order of names
            "reference": sa.func.coalesce(Application.reference, "")}[sort]


SORT_KEYS = ("normalised", "mean", "median", "spread", "done", "company", "reference")


def _ranked_query(stage: ReviewStage, sort: str, descending: bool, undecided_only: bool):
    """The stage's entries with their figures (``StageStanding``, kept up to date by ``reviews.standings``),
    in the ranking's order, as plain columns: (entry id, the Row's figures …)."""
    standing = StageStanding.__table__.c
    column = _sort_columns(sort if sort in SORT_KEYS else "normalised")
    stmt = (sa.select(StageEntry.id, standing.assigned, standing.done, standing.unreliable_reviewers,
                      standing.mean, standing.median, standing.normalised, standing.spread, standing.wide)
            .join(StageStanding.__table__, standing.entry_id == StageEntry.id)
            # Both sides by their stage: the standings then come from their stage's index, not the whole table.
            .where(StageEntry.stage_id == stage.id, standing.stage_id == stage.id))
    if sort in ("company", "reference"):
        from incubator.companies.models import Company

        stmt = (stmt.join(Application, Application.id == StageEntry.application_id)
                .join(Company, Company.id == Application.company_id))
    if undecided_only:
        stmt = stmt.where(sa.or_(StageEntry.decision.is_(None), StageEntry.decision == Decision.WAITLIST))
    return stmt.order_by(column.is_(None), column.desc() if descending else column.asc(), StageEntry.id)


def _row(columns) -> calc.Row:
    _entry_id, assigned, done, unreliable, mean, median, normalised, spread, wide = columns
    return calc.Row(assigned=assigned, done=done, unreliable_reviewers=unreliable, mean=mean, median=median,
                    normalised=normalised, spread=spread, wide=wide)


def unreliable_reviewers(stage: ReviewStage) -> dict[int, int]:
    """The stage's reviewers with fewer submitted reviews than a reliable normalisation needs: {id: reviews}.
    Read from the counts the stage's standings keep (``StageReviewer``), not counted over the stage's reviews."""
    table = StageReviewer.__table__
    return dict(db.session.execute(
        sa.select(table.c.reviewer_id, table.c.reviews)
        .where(table.c.stage_id == stage.id, table.c.reviews < calc.RELIABLE_MIN_REVIEWS)).all())


def ranking(stage: ReviewStage, *, sort: str = "normalised", descending: bool = True,
            undecided_only: bool = False):
    """The stage's whole ranking (exports): (rows, unreliable reviewers {id: number of reviews})."""
    ranked = db.session.execute(_ranked_query(stage, sort, descending, undecided_only)).all()
    entries = {e.id: e for e in stage_entries(stage)}
    return [RankedEntry(entries[columns[0]], _row(columns)) for columns in ranked], unreliable_reviewers(stage)


def ranking_page(stage: ReviewStage, *, sort: str = "normalised", descending: bool = True,
                 undecided_only: bool = False, page: int = 1, per_page: int = 50):
    """One page of the ranking, ranked among all the stage's applications: (the pager, whose items are
    RankingLine, and the unreliable reviewers). The page's rows come sorted and cut from the standings, with
    what the page shows of their entries, applications and businesses and the ranking's total, in one query: a
    fixed number of queries, and a cost that follows the page, not the stage. The titles come from the stage's
    own round's questions (``stage.round``), read once."""
    from incubator.companies.models import Company
    from incubator.web import RowsPagination

    ranked = _ranked_query(stage, sort, descending, undecided_only)
    if sort not in ("company", "reference"):  # those sorts join them already
        ranked = (ranked.join(Application, Application.id == StageEntry.application_id)
                  .join(Company, Company.id == Application.company_id))
    stmt = ranked.add_columns(StageEntry.decision, Application.id, Application.reference, Application.status,
                              Application.answers, Company.name, sa.func.count().over())
    window = {}

    def rows(offset, limit):
        found = db.session.execute(stmt.offset(offset).limit(limit)).all()
        window["total"] = found[0][-1] if found else None
        return found

    def total():
        if window["total"] is not None:
            return window["total"]
        return db.session.scalar(sa.select(sa.func.count()).select_from(ranked.order_by(None).subquery())) \
            if page > 1 else 0

    pager = RowsPagination(rows=rows, total=total, page=page, per_page=per_page, error_out=False)
    questions = stage.round.questions
    pager.items = [
        RankingLine(entry_id=columns[0], decision=decision, application_id=application_id, reference=reference,
                    status=status, title=title_from(answers, questions, reference, application_id),
                    company_name=company_name, row=_row(columns[:9]))
        for columns in pager.items
        for decision, application_id, reference, status, answers, company_name, _total in [columns[9:]]]
    return pager, unreliable_reviewers(stage)


def users_by_id(ids) -> dict:
    from incubator.auth.models import User

    ids = set(ids)
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


# ---- Founders: what is released ---------------------------------------------------------------------------

def released_comments(entry: StageEntry) -> list[str]:
    """The reviewers' comments for the applicant, released with the stage's decision (never their names)."""
    if entry.decision is None:
        return []
    decided = decisions_for_applications([entry.application_id]).get(entry.application_id, [])
    return next((comments for e, comments in decided if e.id == entry.id), [])


def decisions_for_founder(application: Application) -> list[tuple[StageEntry, list[str]]]:
    return decisions_for_applications([application.id]).get(application.id, [])


def decisions_for_applications(application_ids: list[int]) -> dict[int, list[tuple[StageEntry, list[str]]]]:
    """Each application's decided stages with the comments released to its applicant: those written for the
    applicant in a submitted review of an active assignment, before the decision. Two queries for any number of
    applications."""
    if not application_ids:
        return {}
    entries = db.session.scalars(
        sa.select(StageEntry).join(ReviewStage)
        .where(StageEntry.application_id.in_(application_ids), StageEntry.decision.is_not(None))
        .options(selectinload(StageEntry.stage), selectinload(StageEntry.reason))
        .order_by(ReviewStage.position)).all()
    comments: dict[tuple[int, int], list] = {}
    if entries:
        rows = db.session.execute(
            sa.select(Assignment.stage_id, Assignment.application_id, Review.comment_for_applicant,
                      Review.submitted_at).join(Assignment)
            .where(Assignment.application_id.in_(application_ids), Assignment.status.in_(ACTIVE_ASSIGNMENT),
                   Review.status == ReviewStatus.SUBMITTED, Review.comment_for_applicant.is_not(None))
            .order_by(Review.submitted_at, Review.id))
        for stage_id, application_id, comment, submitted_at in rows:
            comments.setdefault((stage_id, application_id), []).append((comment, submitted_at))
    result: dict[int, list] = {}
    for e in entries:
        released = [c for c, at in comments.get((e.stage_id, e.application_id), []) if c and at <= e.decided_at]
        result.setdefault(e.application_id, []).append((e, released))
    return result


def stages_of_round(round_id: int) -> list[ReviewStage]:
    return list(db.session.scalars(sa.select(ReviewStage).where(ReviewStage.round_id == round_id)
                                   .order_by(ReviewStage.position)))


def stage_counts(stage: ReviewStage) -> dict:
    """The stage's applications (withdrawn ones left out, as every count of submitted applications does),
    those decided, and those withdrawn."""
    from incubator.applications.queries import counted_as_submitted

    standing = counted_as_submitted()
    entries, decided, withdrawn = db.session.execute(
        sa.select(sa.func.count(StageEntry.id).filter(standing),
                  sa.func.count(StageEntry.id).filter(standing, StageEntry.decision.is_not(None)),
                  sa.func.count(StageEntry.id).filter(sa.not_(standing)))
        .select_from(StageEntry).join(Application, Application.id == StageEntry.application_id)
        .where(StageEntry.stage_id == stage.id)).one()
    return {"entries": entries, "decided": decided, "withdrawn": withdrawn}


@dataclass
class StaffReview:
    assignment: Assignment
    review: Review | None
    total: float | None


def reviews_for_staff(application_id: int, stage_id: int | None = None) -> list[StaffReview]:
    """Every assignment of an application (by stage) with its review, as staff see them: names, scores,
    comments and private notes."""
    stmt = (sa.select(Assignment).join(ReviewStage).where(Assignment.application_id == application_id)
            .options(selectinload(Assignment.reviewer),
                     selectinload(Assignment.stage).selectinload(ReviewStage.criteria),
                     selectinload(Assignment.review).selectinload(Review.scores))
            .order_by(ReviewStage.position, Assignment.id))
    if stage_id is not None:
        stmt = stmt.where(Assignment.stage_id == stage_id)
    result = []
    for a in db.session.scalars(stmt):
        total = None
        if a.review is not None:
            scales = [calc.CriterionScale(c.id, c.weight, c.scale_min, c.scale_max) for c in a.stage.criteria]
            total = calc.weighted_total({s.criterion_id: s.value for s in a.review.scores}, scales)
        result.append(StaffReview(a, a.review, total))
    return result


def reviews_staff_may_read(user, application_id: int) -> list[StaffReview]:
    """The application's reviews a staff member may read (reviews_for_staff): their own, and others' but in a stage
    that keeps them blind (they sit on its panel with reviews still due, permissions.can_see_ranking)."""
    items = reviews_for_staff(application_id)
    seeing: dict[int, bool] = {}
    for item in items:
        stage = item.assignment.stage
        if stage.id not in seeing:
            seeing[stage.id] = can_see_ranking(user, stage)
    return [i for i in items if i.assignment.reviewer_id == user.id or seeing[i.assignment.stage.id]]


def told_of(entries) -> tuple[int, int]:
    """Who a decision's e-mail reached, as ``_send_decision`` chose them: (how many founders were written to, how
    many of the applications had nobody to write to, their business having no founder account)."""
    from incubator.companies.queries import founders_of

    counts = [len(founders_of(e.application.company_id)) for e in entries]
    return sum(counts), sum(1 for n in counts if n == 0)


# ---- What the review adds to the application's pages (applications.signals) -------------------------------

def _decisions_on_status_page(application, **_kwargs) -> dict:
    return {"decisions": decisions_for_founder(application)}


def _reviews_on_staff_page(application, *, user, **_kwargs) -> dict:
    return {"reviews": reviews_staff_may_read(user, application.id)}


def connect_to_applications() -> None:
    """Called by the factory: reviews add their part to the applications' pages (connecting twice connects
    once)."""
    from incubator.applications.signals import staff_page, status_page

    # module-level functions: blinker's weak references hold
    status_page.connect(_decisions_on_status_page)
    staff_page.connect(_reviews_on_staff_page)
