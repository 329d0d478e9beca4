"""The review: the reviewers' desk and score form; the staff's stages, rubric, panel, assignments,
conflicts, ranking and decisions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from incubator import exports
from incubator.applications.models import Application, IntakeRound
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import require
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.reviews import assigning, decisions, queries, scoring, stages
from incubator.reviews.enums import AssignmentStatus, Decision, ReviewStatus
from incubator.reviews.forms import (
    BulkAssignForm,
    BulkDecisionForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    PanelForm,
    ReasonForm,
    StaffConflictForm,
    StageForm,
    review_form,
    scores_of,
)
from incubator.reviews.models import Assignment, Criterion, RejectionReason, ReviewStage, StageEntry
from incubator.reviews.permissions import (
    can_manage_reviews,
    can_score,
    can_see_ranking,
    can_use_review_desk,
    reviews_due,
)
from incubator.web import apply_form_error, form_status, save_form

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


def _flash_error(exc: DomainError) -> None:
    flash(str(exc.message), "danger")


# ---- Reviewers ----------------------------------------------------------------------------------------------

@bp.route("/")
@require(can_use_review_desk)
def desk():
    return render_template("reviews/desk.html", groups=queries.desk(current_user), now=utcnow(),
                           title_of=queries.title_of)


def _my_assignment(assignment_id: int) -> Assignment:
    """The reviewer's own, current assignment; anything else (another's, a recused one) is not found."""
    a = queries.assignment_for(current_user, assignment_id)
    if a is None:
        abort(404)
    return a


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@require(can_use_review_desk)
def assignment(assignment_id):
    a = _my_assignment(assignment_id)
    if a.status is AssignmentStatus.ASSIGNED:
        if request.method == "POST":
            abort(403)
        return render_template("reviews/declare.html", a=a, title=queries.title_of(a.application),
                               form=ConflictForm(formdata=None),
                               next_id=queries.next_to_review(current_user, a, utcnow()))
    if not can_score(current_user, a):
        abort(403)
    criteria = a.stage.criteria
    form = review_form(criteria, review=a.review)
    now = utcnow()
    if form.validate_on_submit():
        action = request.form.get("action")
        submit = action in ("submit", "submit_next") or (a.review is not None
                                                         and a.review.status is ReviewStatus.SUBMITTED)
        try:
            scoring.save_review(a, actor=current_user, scores=scores_of(form, criteria),
                                comment_for_applicant=form.comment_for_applicant.data,
                                private_note=form.private_note.data, submit=submit, now=now,
                                version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Review submitted.") if submit else _("Draft saved."), "success")
            if action == "submit_next":
                following = queries.next_to_review(current_user, a, now)
                if following is None:
                    flash(_("No other application waits for your review."), "info")
                    return redirect(url_for("reviews.desk"))
                return redirect(url_for("reviews.assignment", assignment_id=following))
            return redirect(url_for("reviews.assignment", assignment_id=a.id))
    application = db.session.scalar(
        sa.select(Application).where(Application.id == a.application_id)
        .options(selectinload(Application.company), selectinload(Application.documents),
                 selectinload(Application.round).selectinload(IntakeRound.questions),
                 selectinload(Application.round).selectinload(IntakeRound.documents)))
    others = queries.others_reviews(a)
    uploaded = {d.document_id: d for d in application.documents}
    readable = [d for d in application.round.documents if d.id in uploaded]
    return render_template("reviews/score.html", a=a, application=application, form=form, criteria=criteria,
                           others=others, open=a.stage.is_open(now), title=queries.title_of(application),
                           questions=[q for q in application.round.questions if not q.hidden],
                           readable=readable, uploaded=uploaded,
                           next_id=queries.next_to_review(current_user, a, now)), form_status(form)


@bp.route("/assignments/<int:assignment_id>/documents/<int:document_id>")
@require(can_use_review_desk)
def document(assignment_id, document_id):
    """A document of the application, shown inline beside the score form (only to the reviewer it is given to,
    once they have declared no conflict)."""
    from incubator.applications.models import ApplicationDocument
    from incubator.uploads import send_upload

    a = _my_assignment(assignment_id)
    if not can_score(current_user, a):
        abort(403)
    slot = db.session.scalar(sa.select(ApplicationDocument).where(
        ApplicationDocument.application_id == a.application_id, ApplicationDocument.document_id == document_id))
    if slot is None:
        abort(404)
    return send_upload("applications", slot.stored_name, slot.original_name, inline=True)


@bp.route("/assignments/<int:assignment_id>/confirm", methods=["POST"])
@require(can_use_review_desk)
def confirm(assignment_id):
    a = _my_assignment(assignment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            assigning.confirm_no_conflict(a, actor=current_user)
        except DomainError as exc:
            _flash_error(exc)
            return redirect(url_for("reviews.desk"))
    return redirect(url_for("reviews.assignment", assignment_id=a.id))


@bp.route("/assignments/<int:assignment_id>/conflict", methods=["POST"])
@require(can_use_review_desk)
def declare_conflict(assignment_id):
    a = _my_assignment(assignment_id)
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            assigning.record_conflict(current_user, a.application.company, kind=form.kind.data,
                                      reason=form.reason.data, actor=current_user)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Thank you. You are recused from this application; it goes to another reviewer."), "success")
            return redirect(url_for("reviews.desk"))
    return render_template("reviews/declare.html", a=a, title=queries.title_of(a.application), form=form,
                           next_id=queries.next_to_review(current_user, a, utcnow())), 400


# ---- Staff: stages ----------------------------------------------------------------------------------------

@bp.route("/rounds/<int:round_id>")
@require(can_manage_reviews)
def round_stages(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    stages = queries.stages_of_round(round_id)
    return render_template("reviews/round.html", round=intake_round, stages=stages,
                           counts={s.id: queries.stage_counts(s) for s in stages}, now=utcnow())


@bp.route("/rounds/<int:round_id>/stages/new", methods=["GET", "POST"])
@require(can_manage_reviews)
def new_stage(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    form = StageForm()
    done = save_form(form, lambda: stages.create_stage(intake_round, actor=current_user,
                                                       default_rubric=form.default_rubric.data, **form.fields()),
                     message=_("Stage created."), to=lambda stage: url_for("reviews.stage", stage_id=stage.id))
    if done:
        return done
    return render_template("reviews/stage_form.html", form=form, round=intake_round, stage=None), form_status(form)


@bp.route("/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@require(can_manage_reviews)
def edit_stage(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    form = StageForm()
    del form.default_rubric
    if request.method == "GET":
        form.load(stage)
    done = save_form(form, lambda: stages.update_stage(stage, actor=current_user, version=form.version.data,
                                                       **form.fields()),
                     message=_("Saved."), to=url_for("reviews.stage", stage_id=stage.id))
    if done:
        return done
    return render_template("reviews/stage_form.html", form=form, round=stage.round, stage=stage), form_status(form)


def _panel_candidates(stage):
    from incubator.auth.enums import Role
    from incubator.auth.models import User
    from incubator.auth.queries import holds_role_here
    from incubator.text import vietnamese_sort_key

    present = {m.user_id for m in stage.panel}
    users = db.session.scalars(  # reviewers and staff of this incubator, and administrators
        sa.select(User).where(User.active.is_(True), holds_role_here(Role.REVIEWER, Role.STAFF, Role.ADMIN))
        .options(selectinload(User.partner))).all()
    return sorted((u for u in users if u.id not in present), key=lambda u: vietnamese_sort_key(u.full_name))


@bp.route("/stages/<int:stage_id>")
@require(can_manage_reviews)
def stage(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    panel_form = PanelForm(formdata=None)
    candidates = _panel_candidates(stage)
    panel_form.reviewers.choices = [SelectChoice(u.id, u.full_name) for u in candidates]
    progress = queries.reviewer_progress(stage)
    return render_template("reviews/stage.html", stage=stage, panel_form=panel_form, candidates=candidates,
                           progress=progress, counts=queries.stage_counts(stage),
                           waiting=len(stages.reviewable_submitted(stage)),
                           first=stage.position == stages.first_stage_position(stage.round_id),
                           has_reviews=stages.stage_has_reviews(stage), now=utcnow())


@bp.route("/stages/<int:stage_id>/criteria/new", methods=["GET", "POST"])
@require(can_manage_reviews)
def new_criterion(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    form = CriterionForm()
    done = save_form(form, lambda: stages.add_criterion(stage, actor=current_user, **form.fields()),
                     message=_("Criterion added."), to=url_for("reviews.stage", stage_id=stage.id))
    if done:
        return done
    return render_template("reviews/criterion.html", form=form, stage=stage, criterion=None), form_status(form)


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@require(can_manage_reviews)
def edit_criterion(criterion_id):
    criterion = db.get_or_404(Criterion, criterion_id)
    form = CriterionForm()
    if request.method == "GET":
        form.load(criterion)
    done = save_form(form, lambda: stages.update_criterion(criterion, actor=current_user, **form.fields()),
                     message=_("Saved."), to=url_for("reviews.stage", stage_id=criterion.stage_id))
    if done:
        return done
    return render_template("reviews/criterion.html", form=form, stage=criterion.stage,
                           criterion=criterion), form_status(form)


@bp.route("/criteria/<int:criterion_id>/remove", methods=["POST"])
@require(can_manage_reviews)
def remove_criterion(criterion_id):
    criterion = db.get_or_404(Criterion, criterion_id)
    stage_id = criterion.stage_id
    if ConfirmForm().validate_on_submit():
        try:
            stages.remove_criterion(criterion, actor=current_user)
        except DomainError as exc:
            _flash_error(exc)
        else:
            flash(_("Criterion removed."), "success")
    return redirect(url_for("reviews.stage", stage_id=stage_id))


@bp.route("/stages/<int:stage_id>/panel", methods=["POST"])
@require(can_manage_reviews)
def add_panel(stage_id):
    from incubator.auth.models import User

    stage = db.get_or_404(ReviewStage, stage_id)
    form = PanelForm()
    form.reviewers.choices = [SelectChoice(u.id, u.full_name) for u in _panel_candidates(stage)]
    if form.validate_on_submit():
        users = db.session.scalars(sa.select(User).where(User.id.in_(form.reviewers.data))).all()
        try:
            added = assigning.add_to_panel(stage, users, actor=current_user)
        except DomainError as exc:
            _flash_error(exc)
        else:
            flash(_("%(count)s reviewers added to the panel.", count=added), "success")
    else:
        flash(_("Choose at least one reviewer."), "warning")
    return redirect(url_for("reviews.stage", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/panel/<int:user_id>/remove", methods=["POST"])
@require(can_manage_reviews)
def remove_panel(stage_id, user_id):
    from incubator.auth.models import User

    stage = db.get_or_404(ReviewStage, stage_id)
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        withdrawn = assigning.remove_from_panel(stage, user, actor=current_user)
        flash(_("%(name)s left the panel; %(count)s assignments were taken back.", name=user.full_name,
                count=withdrawn), "success")
    return redirect(url_for("reviews.stage", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/take", methods=["POST"])
@require(can_manage_reviews)
def take(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    if ConfirmForm().validate_on_submit():
        try:
            taken = stages.take_into_review(stage, stages.reviewable_submitted(stage), actor=current_user)
        except DomainError as exc:
            _flash_error(exc)
        else:
            flash(_("%(count)s applications taken into review.", count=taken), "success")
    return redirect(url_for("reviews.stage", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/auto-assign", methods=["POST"])
@require(can_manage_reviews)
def auto_assign(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    if ConfirmForm().validate_on_submit():
        try:
            result = assigning.auto_assign(stage, actor=current_user)
        except DomainError as exc:
            _flash_error(exc)
        else:
            flash(_("%(created)s assignments made.", created=result["created"]), "success")
            if result["gaps_left"]:
                flash(_("%(gaps)s places could not be filled: add reviewers to the panel, or check the conflicts.",
                        gaps=result["gaps_left"]), "warning")
    return redirect(url_for("reviews.assignments", stage_id=stage.id))


@bp.route("/stages/<int:stage_id>/remind", methods=["POST"])
@require(can_manage_reviews)
def remind(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    if ConfirmForm().validate_on_submit():
        sent = scoring.remind_reviewers(stage, actor=current_user, now=utcnow())
        flash(_("Reminders sent to %(count)s reviewers.", count=sent), "success")
    return redirect(url_for("reviews.stage", stage_id=stage.id))


# ---- Staff: assignments and conflicts ---------------------------------------------------------------------

@bp.route("/stages/<int:stage_id>/assignments", methods=["GET", "POST"])
@require(can_manage_reviews)
def assignments(stage_id):
    from incubator.auth.models import User

    stage = db.get_or_404(ReviewStage, stage_id)
    from incubator.applications.enums import ApplicationStatus

    entries = [e for e in queries.stage_entries(stage)
               if e.decision is None and e.application.status is ApplicationStatus.UNDER_REVIEW]
    panel = queries.panel_of(stage)
    form = BulkAssignForm()
    form.applications.choices = [SelectChoice(e.application_id, e.application.reference or "") for e in entries]
    form.reviewers.choices = [SelectChoice(m.user_id, m.user.full_name) for m in panel]
    if form.validate_on_submit():
        chosen = {e.application_id: e.application for e in entries}
        applications = [chosen[i] for i in form.applications.data]
        reviewers = db.session.scalars(sa.select(User).where(User.id.in_(form.reviewers.data))).all()
        made, skipped = assigning.assign_many(stage, applications, reviewers, actor=current_user)
        flash(_("%(count)s assignments made.", count=made), "success")
        for application, reviewer, reason in skipped:
            flash(f"{application.reference} · {reviewer.full_name}: {reason}", "warning")
        return redirect(url_for("reviews.assignments", stage_id=stage.id))
    by_application = queries.stage_assignments(stage)
    per = stage.reviewers_per_application
    gaps = sum(max(0, per - sum(a.is_active for a in by_application.get(e.application_id, []))) for e in entries)
    return render_template("reviews/assignments.html", stage=stage, entries=entries, form=form,
                           by_application=by_application, panel=panel, gaps=gaps,
                           title_of=queries.title_of), form_status(form)


@bp.route("/assignments/<int:assignment_id>/withdraw", methods=["POST"])
@require(can_manage_reviews)
def withdraw_assignment(assignment_id):
    a = db.get_or_404(Assignment, assignment_id)
    if ConfirmForm().validate_on_submit():
        try:
            assigning.withdraw_assignment(a, actor=current_user)
        except DomainError as exc:
            _flash_error(exc)
        else:
            flash(_("Assignment taken back."), "success")
    return redirect(url_for("reviews.assignments", stage_id=a.stage_id))


@bp.route("/stages/<int:stage_id>/conflicts", methods=["GET", "POST"])
@require(can_manage_reviews)
def conflicts(stage_id):
    from incubator.auth.models import User

    stage = db.get_or_404(ReviewStage, stage_id)
    panel = queries.panel_of(stage)
    entries = queries.stage_entries(stage)
    form = StaffConflictForm()
    form.reviewer.choices = [SelectChoice(m.user_id, m.user.full_name) for m in panel]
    form.application.choices = [
        SelectChoice(e.application_id, f"{e.application.reference} · {e.application.company.name}") for e in entries]
    if form.validate_on_submit():
        reviewer = db.session.get(User, form.reviewer.data)
        application = next(e.application for e in entries if e.application_id == form.application.data)
        try:
            assigning.record_conflict(reviewer, application.company, kind=form.kind.data, reason=form.reason.data,
                                      actor=current_user, refill=form.refill.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Conflict recorded; the reviewer is recused."), "success")
            return redirect(url_for("reviews.conflicts", stage_id=stage.id))
    return render_template("reviews/conflicts.html", stage=stage, form=form,
                           conflicts=queries.conflicts_for([m.user_id for m in panel])), form_status(form)


# ---- Staff: ranking and decisions -------------------------------------------------------------------------

def _reasons(stage):
    """The active reasons of the stage's incubator (an administrator reads every incubator's; a decision takes
    a reason of its own incubator only)."""
    return list(db.session.scalars(sa.select(RejectionReason).where(RejectionReason.active.is_(True),
                                                                    RejectionReason.incubator_id == stage.incubator_id)
                                   .order_by(RejectionReason.position, RejectionReason.id)))


def _decision_choices(form, stage, has_next: bool):
    form.reason.choices = [SelectChoice("", "—")] + [SelectChoice(r.id, r.label) for r in _reasons(stage)]
    # No decision is preselected: an accept cannot be undone, so it must be chosen.
    form.decision.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(d.value, d.label) for d in Decision if d is not Decision.ADVANCE or has_next]


def _ranking_args():
    sort = request.args.get("sort", "normalised")
    if sort not in queries.SORT_KEYS:
        sort = "normalised"
    return sort, request.args.get("dir", "desc") != "asc", request.args.get("undecided") == "1"


def _ranking(stage):
    """The whole ranking as sorted and filtered by the page's arguments (exports)."""
    sort, descending, undecided_only = _ranking_args()
    rows, unreliable = queries.ranking(stage, sort=sort, descending=descending, undecided_only=undecided_only)
    return rows, unreliable, sort, descending, undecided_only


@bp.route("/stages/<int:stage_id>/ranking")
@require(can_manage_reviews)
def ranking(stage_id):
    # With its round's questions, which give each application's title (read once, not with each entry).
    stage = db.first_or_404(sa.select(ReviewStage).where(ReviewStage.id == stage_id)
                            .options(joinedload(ReviewStage.round).selectinload(IntakeRound.questions)))
    if not can_see_ranking(current_user, stage):
        return render_template("reviews/ranking_blind.html", stage=stage, due=reviews_due(current_user, stage)), 403
    form = BulkDecisionForm(formdata=None)
    _decision_choices(form, stage, stages.next_stage(stage) is not None)
    return _ranking_page(stage, form)


def _ranking_page(stage, form, status: int = 200):
    """The ranking's page as its query string asks (sort, filter, page), with the bulk decision's form: blank, or
    as it was sent when refused, its ticks kept."""
    from incubator.web import page_arg

    sort, descending, undecided_only = _ranking_args()
    rows, unreliable = queries.ranking_page(stage, sort=sort, descending=descending, undecided_only=undecided_only,
                                            page=page_arg())
    ticked = set(form.entries.data or []) if form.is_submitted() else set()
    return render_template("reviews/ranking.html", stage=stage, rows=rows, unreliable=unreliable,
                           unreliable_users=queries.users_by_id(unreliable), sort=sort, descending=descending,
                           form=form, undecided_only=undecided_only,
                           ticked=ticked, view_args=_view_args()), status


def _view_args() -> dict:
    """The ranking's own query arguments (sort, order, filter, page), carried by the bulk decision's form so it
    comes back to the same page; nothing else of the query string."""
    return {k: v for k, v in request.args.items() if k in ("sort", "dir", "undecided", "page")}


@bp.route(f"/stages/<int:stage_id>/ranking.{exports.FORMAT_RULE}")
@require(can_manage_reviews)
def export_ranking(stage_id, fmt):
    stage = db.get_or_404(ReviewStage, stage_id)
    _blind_or_not(stage)
    rows = _ranking(stage)[0]
    header = [_("Rank"), _("Reference"), _("Business"), _("Tax code"), _("Title"), _("Reviews done"),
              _("Reviews assigned"), _("Weighted mean"), _("Median"), _("Normalised"), _("Spread"),
              _("Wide spread"), _("Decision"), _("Status")]
    body = []
    for i, r in enumerate(rows, start=1):
        app, row = r.application, r.row
        scores = [None if v is None else round(v, 2) for v in (row.mean, row.median, row.normalised, row.spread)]
        body.append([i, app.reference or "", app.company.name, app.company.tax_code, queries.title_of(app),
                     row.done, row.assigned, *scores, row.wide,
                     str(r.entry.decision.label) if r.entry.decision else "", str(app.status.label)])
    return exports.response(fmt, f"xep-hang-vong-{stage.id}", header, body, "ranking")


def _blind_or_not(stage) -> None:
    """Staff kept blind on this stage's panel (reviews of theirs still due) neither read nor decide on it."""
    if not can_see_ranking(current_user, stage):
        abort(403)


def _reason_of(form):
    return db.session.get(RejectionReason, form.reason.data) if form.reason.data else None


@bp.route("/stages/<int:stage_id>/decisions", methods=["POST"])
@require(can_manage_reviews)
def decide_many(stage_id):
    stage = db.get_or_404(ReviewStage, stage_id)
    _blind_or_not(stage)
    entries = {e.id: e for e in queries.stage_entries(stage)}
    form = BulkDecisionForm()
    _decision_choices(form, stage, stages.next_stage(stage) is not None)
    form.entries.choices = [SelectChoice(i, str(i)) for i in entries]
    if not form.validate_on_submit():
        # shown again as it was sent (the ticks, the decision, the reasons), with what is wrong
        return _ranking_page(stage, form, 400)
    chosen = [entries[i] for i in form.entries.data]
    try:
        decided, skipped = decisions.decide_many(chosen, Decision(form.decision.data), actor=current_user,
                                                 reason=_reason_of(form), reason_text=form.reason_text.data)
    except DomainError as exc:
        db.session.rollback()  # all or nothing: no decision of the batch is kept, no e-mail sent
        apply_form_error(form, exc)
        return _ranking_page(stage, form, 400)
    if decided:
        _flash_decided(decided)
    if skipped:
        flash(_("%(count)s applications were already decided (or withdrawn) and were left as they were.",
            count=len(skipped)),
              "warning")
    return redirect(url_for("reviews.ranking", stage_id=stage.id, **_view_args()))


def _flash_decided(decided) -> None:
    """Say what was decided and who was told: the founders written to, and the applications whose business has
    no founder account to write to (staff must tell them another way)."""
    told, untold = queries.told_of(decided)
    if len(decided) == 1:
        flash(ngettext("Decision recorded; %(num)d founder was told by e-mail.",
                       "Decision recorded; %(num)d founders were told by e-mail.", told) if told
              else _("Decision recorded; nobody was told: the business has no founder account to write to."),
              "success" if told else "warning")
        return
    flash(ngettext("%(count)s decisions recorded; %(num)d founder was told by e-mail.",
                   "%(count)s decisions recorded; %(num)d founders were told by e-mail.", told,
                   count=len(decided)) if told
          else _("%(num)d decisions recorded; nobody was told: no business has a founder account to write to.",
                 num=len(decided)), "success" if told else "warning")
    if told and untold:
        flash(ngettext("%(num)d application has no founder account to write to: tell its business another way.",
                       "%(num)d applications have no founder account to write to: tell their businesses another "
                       "way.", untold), "warning")


@bp.route("/entries/<int:entry_id>/decide", methods=["GET", "POST"])
@require(can_manage_reviews)
def decide(entry_id):
    entry = db.get_or_404(StageEntry, entry_id)
    _blind_or_not(entry.stage)
    form = DecisionForm()
    _decision_choices(form, entry.stage, stages.next_stage(entry.stage) is not None)
    if request.method == "GET":
        form.version.data = entry.version_id
    if form.validate_on_submit():
        try:
            decisions.decide(entry, Decision(form.decision.data), actor=current_user, reason=_reason_of(form),
                             reason_text=form.reason_text.data, version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            _flash_decided([entry])
            return redirect(url_for("reviews.ranking", stage_id=entry.stage_id))
    return render_template("reviews/decide.html", entry=entry, form=form,
                           reviews=queries.reviews_for_staff(entry.application_id, stage_id=entry.stage_id),
                           title=queries.title_of(entry.application)), form_status(form)


# ---- Staff: reasons for rejection -------------------------------------------------------------------------

@bp.route("/reasons", methods=["GET", "POST"])
@require(can_manage_reviews)
def reasons():
    form = ReasonForm()
    done = save_form(form, lambda: decisions.save_reason(None, actor=current_user, label_vi=form.label_vi.data,
                                                         label_en=form.label_en.data, active=form.active.data),
                     message=_("Reason added."), to=url_for("reviews.reasons"))
    if done:
        return done
    # Each incubator keeps its own list: a reader of several (an administrator) sees them one after the other.
    items = db.session.scalars(sa.select(RejectionReason).order_by(RejectionReason.incubator_id,
                                                                   RejectionReason.position, RejectionReason.id))
    return render_template("reviews/reasons.html", form=form, reasons=list(items)), form_status(form)


@bp.route("/reasons/<int:reason_id>/edit", methods=["GET", "POST"])
@require(can_manage_reviews)
def edit_reason(reason_id):
    reason = db.get_or_404(RejectionReason, reason_id)
    form = ReasonForm(obj=reason if request.method == "GET" else None)
    done = save_form(form, lambda: decisions.save_reason(reason, actor=current_user, label_vi=form.label_vi.data,
                                                         label_en=form.label_en.data, active=form.active.data),
                     message=_("Saved."), to=url_for("reviews.reasons"))
    if done:
        return done
    return render_template("reviews/reason.html", form=form, reason=reason), form_status(form)
