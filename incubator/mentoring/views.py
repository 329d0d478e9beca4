"""Mentoring (mentors, founders, staff), partners' pages, and the private calendar feeds."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from incubator import exports
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import is_staff, require
from incubator.cohorts.models import Cohort, CohortMember
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import local_today, parse_date
from incubator.mentoring import queries, services
from incubator.mentoring.enums import SessionStatus
from incubator.mentoring.forms import AgreementForm, AnswerForm, AssignMentorForm, PartnerForm, ProfileForm, SessionForm
from incubator.mentoring.models import MentorAssignment, MentoringSession, MentorProfile
from incubator.mentoring.permissions import (
    can_answer_session,
    can_cancel_session,
    can_log_for,
    can_manage_mentoring,
    can_mark_held,
    can_resolve_dispute,
    can_view_session,
    is_mentor,
    reads_partner,
)
from incubator.partners import queries as partner_queries
from incubator.partners.models import Partner
from incubator.urls import external_url, public_host
from incubator.web import form_status, page_arg, save_form

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")
partners_bp = Blueprint("partners", __name__, url_prefix="/partners")


# ---- The mentor's desk and profile --------------------------------------------------------------------------

@bp.route("/")
@require(is_mentor)
def desk():
    now = utcnow()
    assignments = queries.mentor_assignments(current_user.id)
    sessions = queries.sessions_of(current_user, mentor_id=current_user.id)
    totals = queries.hours(mentor_id=current_user.id)
    return render_template("mentoring/desk.html", assignments=assignments, sessions=sessions, hours=totals, now=now,
                           upcoming=queries.upcoming(sessions, now),
                           # The startup's allowance is shared by its mentors: what is left, as the home says.
                           allowance_used=queries.allowance_used([a.member for a in assignments]),
                           to_mark=list(db.session.scalars(queries.sessions_to_log(current_user, now))),
                           waiting=list(db.session.scalars(queries.sessions_waiting_for_founders(current_user))))


@bp.route("/profile", methods=["GET", "POST"])
@require(is_mentor)
def profile():
    existing = db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == current_user.id))
    form = ProfileForm(obj=existing if request.method == "GET" else None)
    done = save_form(form, lambda: services.save_profile(current_user, actor=current_user,
                                                         topics=form.topics.data or [],
                                                         languages=form.languages.data or [], bio=form.bio.data,
                                                         capacity=form.capacity.data),
                     message=_("Profile saved."), to=url_for("mentoring.desk"))
    return done or (render_template("mentoring/profile.html", form=form), form_status(form))


# ---- Sessions -----------------------------------------------------------------------------------------------

def _own_assignment(assignment_id) -> MentorAssignment:
    assignment = db.session.get(MentorAssignment, assignment_id) if assignment_id else None
    if assignment is None or not can_log_for(current_user, assignment):
        abort(404)  # another mentor's startup: not even its existence is told
    return assignment


@bp.route("/assignments/<int:assignment_id>/sessions/new", methods=["GET", "POST"])
@require(is_mentor)
def new_session(assignment_id):
    assignment = _own_assignment(assignment_id)
    form = SessionForm()
    done = save_form(form, lambda: services.log_session(assignment, actor=current_user, now=utcnow(), **form.fields()),
                     message=lambda logged: (_("Session scheduled: the invitation is on its way.")
                                             if logged.status is SessionStatus.SCHEDULED
                                             else _("Session logged: the founders are asked to confirm it.")),
                     to=lambda logged: url_for("mentoring.session", session_id=logged.id))
    return done or (render_template("mentoring/session_form.html", form=form, assignment=assignment, session=None),
                    form_status(form))


def _session_or_404(session_id) -> MentoringSession:
    session = db.session.scalar(sa.select(MentoringSession).where(MentoringSession.id == session_id)
                                .options(joinedload(MentoringSession.mentor), joinedload(MentoringSession.company),
                                         joinedload(MentoringSession.partner)))
    if session is None or not can_view_session(current_user, session):
        abort(404)
    return session


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def session(session_id):
    session = _session_or_404(session_id)
    # The mentor edits while the assignment lasts and until the session is confirmed; staff always.
    may_edit = is_staff(current_user) or (can_log_for(current_user, session.assignment) and session.status not in (
        SessionStatus.CONFIRMED, SessionStatus.CANCELLED))
    form = SessionForm()
    if request.method == "GET":
        form.load(session)
    if request.method == "POST" and not may_edit:
        abort(403)
    done = save_form(form, lambda: services.update_session(session, actor=current_user, now=utcnow(),
                                                           version=form.version.data, reason=form.reason.data,
                                                           **form.fields()),
                     message=_("Saved."), to=url_for("mentoring.session", session_id=session.id))
    if done:
        return done
    answer = AnswerForm(formdata=None)
    answer.version.data = session.version_id
    return render_template("mentoring/session.html", session=session, form=form, may_edit=may_edit,
                           answer=answer, now=utcnow(), history=queries.session_history(session)), \
        form_status(form)


ACTIONS = {
    "held": SessionStatus.HELD, "confirm": SessionStatus.CONFIRMED, "dispute": SessionStatus.DISPUTED,
    "cancel": SessionStatus.CANCELLED,
}


@bp.route("/sessions/<int:session_id>/status", methods=["POST"])
@login_required
def answer(session_id):
    """Mark held or cancel (the mentor, staff); confirm or dispute (the founders); resolve (staff)."""
    session = _session_or_404(session_id)
    action = request.form.get("action", "")
    to = ACTIONS.get(action)
    allowed = {
        SessionStatus.HELD: can_mark_held(current_user, session, utcnow()),
        SessionStatus.CANCELLED: can_cancel_session(current_user, session),
        SessionStatus.CONFIRMED: can_answer_session(current_user, session)
        or can_resolve_dispute(current_user, session),
        SessionStatus.DISPUTED: can_answer_session(current_user, session),
    }
    if to is None or not allowed.get(to):
        abort(403)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.change_status(session, to, actor=current_user, reason=form.reason.data,
                                   version=form.version.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("Thank you: the session is now %(state)s.", state=to.label), "success")
    return redirect(url_for("mentoring.session", session_id=session.id))


# ---- Staff: assignments, hours ------------------------------------------------------------------------------

def _mentors():
    from incubator.auth.enums import Role
    from incubator.auth.models import User
    from incubator.auth.queries import holds_role_here

    return list(db.session.scalars(sa.select(User).where(  # the mentors of this incubator
        holds_role_here(Role.MENTOR), User.active.is_(True)).options(joinedload(User.partner))
        .order_by(User.full_name)))


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@require(can_manage_mentoring)
def cohort(cohort_id):
    from incubator.auth.models import User

    cohort = db.get_or_404(Cohort, cohort_id)
    members = list(db.session.scalars(sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id)
                                      .options(joinedload(CohortMember.company))))
    mentors = _mentors()
    form = AssignMentorForm()
    form.member_id.choices = [SelectChoice(m.id, m.company.name) for m in members]
    form.mentor_id.choices = [SelectChoice(u.id, u.full_name) for u in mentors]

    def assign():
        member = next(m for m in members if m.id == form.member_id.data)
        services.assign_mentor(member, db.session.get(User, form.mentor_id.data), actor=current_user)
        return member

    done = save_form(form, assign, message=_("Mentor assigned."),
                     to=lambda member: url_for("mentoring.cohort", cohort_id=cohort.id, member=member.id))
    if done:
        return done
    assigned = queries.cohort_assignments(cohort.id)
    chosen = request.args.get("member", type=int)
    focus = next((m for m in members if m.id == chosen), members[0] if members else None)
    totals = queries.hours()
    return render_template("mentoring/cohort.html", cohort=cohort, members=members, assigned=assigned, form=form,
                           focus=focus, suggestions=queries.suggestions(focus, mentors) if focus else [],
                           hours=totals), form_status(form)


@bp.route("/assignments/<int:assignment_id>/end", methods=["POST"])
@require(can_manage_mentoring)
def end_assignment(assignment_id):
    assignment = db.get_or_404(MentorAssignment, assignment_id)
    if ConfirmForm().validate_on_submit():
        services.end_assignment(assignment, actor=current_user)
        flash(_("Assignment ended."), "success")
    return redirect(url_for("mentoring.cohort", cohort_id=assignment.member.cohort_id))


@bp.route("/hours")
@require(can_manage_mentoring)
def hours():
    from incubator.auth.models import User
    from incubator.companies.models import Company

    totals = queries.hours()
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(list(totals.by_mentor))))} \
        if totals.by_mentor else {}
    partners = {p.id: p for p in db.session.scalars(sa.select(Partner))}
    companies = {c.id: c for c in db.session.scalars(sa.select(Company).where(
        Company.id.in_(list(totals.by_company))))} if totals.by_company else {}
    cohorts = {c.id: c for c in db.session.scalars(sa.select(Cohort))}
    over = [(companies[c], cohorts[k], h) for (c, k), h in totals.by_company_cohort.items()
            if h > cohorts[k].mentoring_allowance_hours]
    return render_template("mentoring/hours.html", hours=totals, users=users, partners=partners,
                           companies=companies, cohorts=cohorts, over=over)


# ---- Lists of sessions and their exports --------------------------------------------------------------------

def _session_filters() -> dict:
    args = request.args

    def day(name):
        value = parse_date(args.get(name))
        return value if value is not None and 1990 <= value.year <= 2200 else None

    return {"partner_id": args.get("partner", type=int), "status": args.get("status") or None,
            "date_from": day("date_from"), "date_to": day("date_to")}


@bp.route("/sessions")
@require(can_manage_mentoring)
def sessions():
    filters = _session_filters()
    items = db.paginate(queries.session_list(current_user, **filters), page=page_arg(), per_page=50,
                        error_out=False)
    partners = partner_queries.partners()
    return render_template("mentoring/sessions.html", items=items, filters=filters, partners=partners,
                           statuses=list(SessionStatus))


def _session_rows(sessions_) -> tuple[list, list]:
    from incubator.mentoring.enums import Topic

    labels = {t.value: str(t.label) for t in Topic}
    header = [_("When"), _("Minutes"), _("Mentor"), _("Partner"), _("Startup"), _("Mode"), _("Status"),
              _("Topics"), _("Action items"), _("Notes"), _("Why it is disputed")]
    body = [[s.starts_at, s.minutes, s.mentor.full_name, s.partner.display_name if s.partner else "",
             s.company.name, str(s.mode.label), str(s.status.label),
             ", ".join(labels.get(t, t) for t in s.topics or []), s.action_items or "", s.notes or "",
             s.dispute_reason or ""] for s in sessions_]
    return header, body


@bp.route(f"/sessions.{exports.FORMAT_RULE}")
@require(can_manage_mentoring)
def export_sessions(fmt):
    rows = _session_rows(db.session.scalars(queries.session_list(current_user, **_session_filters())))
    return exports.response(fmt, "buoi-co-van", *rows, "sessions")


@bp.route(f"/my-sessions.{exports.FORMAT_RULE}")
@require(is_mentor)
def export_my_sessions(fmt):
    """A mentor's own sessions, as on their desk (their own notes included)."""
    rows = _session_rows(db.session.scalars(queries.session_list(current_user, mentor_id=current_user.id)))
    return exports.response(fmt, "buoi-co-van-cua-toi", *rows, "sessions")


# ---- Calendar feeds -----------------------------------------------------------------------------------------

@bp.route("/calendar/<token>.ics")
def calendar(token):
    """A private feed, for calendar programs (no login: the address is the secret; revocable)."""
    from incubator.auth.models import User
    from incubator.mentoring.ical import feed

    owner = services.token_owner(token)
    if owner is None:
        abort(404)
    # The feed holds what its person may open: a mentor's, their own sessions; a startup's, the startup's as its
    # founder who made the address sees them (token_owner has checked both still have their access).
    person = db.session.get(User, owner.mentor_id or owner.created_by_id)
    sessions = queries.sessions_of(person, mentor_id=owner.mentor_id, company_id=owner.company_id)
    host = public_host()
    body = feed(sessions, name=_("Mentoring sessions"), title_of=services.session_title, host=host)
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, max-age=900"})


@bp.route("/calendar", methods=["POST"])
@login_required
def calendar_token():
    """Make a new private feed address (the old one stops working), or revoke it."""
    from incubator.companies.models import Company
    from incubator.funding.permissions import can_manage_consent

    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    company_id = request.form.get("company_id", type=int)
    if company_id:
        company = db.session.get(Company, company_id)
        if company is None or not can_manage_consent(current_user, company):
            abort(404)
        owner = {"company": company}
        back = url_for("startups.file", company_id=company.id)
    elif is_mentor(current_user):
        owner = {"mentor": current_user}
        back = url_for("mentoring.desk")
    else:
        abort(403)
    if request.form.get("revoke"):
        services.revoke_calendar_tokens(actor=current_user, **owner)
        flash(_("The calendar address no longer works."), "success")
        return redirect(back)
    token = services.new_calendar_token(actor=current_user, **owner)
    flash(_("Your private calendar address (subscribe to it in your calendar program; keep it to yourself): "
            "%(url)s", url=external_url("mentoring.calendar", token=token)), "info")
    return redirect(back)


# ---- Partners -----------------------------------------------------------------------------------------------

@partners_bp.route("/")
@require(can_manage_mentoring)
def index():
    partners = partner_queries.partners()
    totals = queries.hours()
    return render_template("partners/index.html", partners=partners, hours=totals)


@partners_bp.route(f"/export.{exports.FORMAT_RULE}")
@require(can_manage_mentoring)
def export(fmt):
    """The partners as their list shows them, with their agreements' commitments and confirmed hours."""
    from incubator.mentoring.models import Agreement
    from incubator.partners.exports import partners as partner_rows

    partners = partner_queries.partners()
    agreements = {}
    for agreement in db.session.scalars(sa.select(Agreement).order_by(Agreement.starts_on, Agreement.id)):
        agreements.setdefault(agreement.partner_id, []).append(agreement)
    header, body = partner_rows(partners, queries.hours().by_partner, agreements)
    return exports.response(fmt, "doi-tac", header, body, "partners")


def _save_partner(partner):
    from incubator.partners.services import save_partner

    form = PartnerForm(obj=partner if (partner is not None and request.method == "GET") else None)
    if partner is not None and request.method == "GET":
        form.kind.data = partner.kind.value
        form.version.data = partner.version_id
    if partner is None and form.is_submitted() and form.validate():
        # A partner is one record city-wide: the name or tax code of one another incubator works with leads to
        # starting an agreement with it here, not to a second record (nor to "another partner has this name").
        theirs = partner_queries.in_another_incubator(form.name.data, form.tax_code.data)
        if theirs is not None:
            cookie[_TAKE_IN] = sorted({*cookie.get(_TAKE_IN, []), theirs.id})[-20:]
            return redirect(url_for("partners.take_in", partner_id=theirs.id))
    done = save_form(form, lambda: save_partner(partner, actor=current_user, version=form.version.data,
                                                **{k: getattr(form, k).data for k in PartnerForm.FIELDS}),
                     message=_("Saved."), to=lambda saved: url_for("partners.partner", partner_id=saved.id))
    return done or (render_template("partners/form.html", form=form, partner=partner), form_status(form))


_TAKE_IN = "partners_to_take_in"  # the partners this person found by name or tax code with the new partner form


@partners_bp.route("/new", methods=["GET", "POST"])
@require(can_manage_mentoring)
def new():
    return _save_partner(None)


@partners_bp.route("/<int:partner_id>/edit", methods=["GET", "POST"])
@require(can_manage_mentoring)
def edit(partner_id):
    return _save_partner(db.first_or_404(partner_queries.visible_partner(partner_id)))


@partners_bp.route("/<int:partner_id>/take-in", methods=["GET", "POST"])
@require(can_manage_mentoring)
def take_in(partner_id):
    """Staff start an agreement with a partner another incubator works with, found by its name or tax code with
    the new partner form (a partner being one record city-wide): once the agreement is recorded here, they see
    it like their own. Without that search, another incubator's partner is not found (404)."""
    partner = db.get_or_404(Partner, partner_id)
    if partner_queries.sees_partner(partner.id):
        return redirect(url_for("partners.partner", partner_id=partner.id))
    if partner.id not in cookie.get(_TAKE_IN, []):
        abort(404)
    form = AgreementForm()
    done = save_form(form, lambda: services.save_agreement(None, partner, actor=current_user, **form.fields()),
                     message=_("Agreement recorded."), to=url_for("partners.partner", partner_id=partner.id))
    return done or (render_template("partners/agreement.html", form=form, partner=partner, agreement=None,
                                    taking_in=True), form_status(form))


@partners_bp.route("/<int:partner_id>")
@login_required
def partner(partner_id):

    # Read only when this request sees it (another incubator's partner: 404), in the query that reads it.
    partner = db.first_or_404(partner_queries.visible_partner(partner_id))
    if not reads_partner(current_user, partner):
        abort(404)
    pages = {name: page_arg(name) for name in ("people", "startups", "services")}
    page = queries.partner_page(partner, local_today(), pages)
    return render_template("partners/partner.html", partner=partner, form=AgreementForm(formdata=None), **page)


@partners_bp.route("/<int:partner_id>/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@require(can_manage_mentoring)
def edit_agreement(partner_id, agreement_id):
    """Staff correct an agreement: its programme, dates, scope and the mentoring hours it commits."""
    from incubator.mentoring.models import Agreement

    partner = db.first_or_404(partner_queries.visible_partner(partner_id))
    agreement = db.session.scalar(sa.select(Agreement).where(Agreement.id == agreement_id,
                                                             Agreement.partner_id == partner.id))
    if agreement is None:
        abort(404)
    form = AgreementForm()
    if request.method == "GET":
        form.load(agreement)
    done = save_form(form, lambda: services.save_agreement(agreement, partner, actor=current_user,
                                                           version=form.version.data, **form.fields()),
                     message=_("Agreement saved."), to=url_for("partners.partner", partner_id=partner.id))
    return done or (render_template("partners/agreement.html", form=form, partner=partner, agreement=agreement),
                    form_status(form))


@partners_bp.route("/<int:partner_id>/agreements", methods=["POST"])
@require(can_manage_mentoring)
def add_agreement(partner_id):
    partner = db.first_or_404(partner_queries.visible_partner(partner_id))
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            services.save_agreement(None, partner, actor=current_user, programme=form.programme.data,
                                    starts_on=form.starts_on.data, ends_on=form.ends_on.data, scope=form.scope.data,
                                    mentoring_hours=form.mentoring_hours.data)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            flash(_("Agreement recorded."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for("partners.partner", partner_id=partner.id))

