"""Dialogue conferences (issue 21): the staff's pages (list, plan and edit, a conference with its agenda,
invitations, registrations, the answers and questions recorded, holding or cancelling it, the minutes and their
publication), the founders' (the invitations they got, registering with questions raised beforehand), and the
public page of a conference whose minutes are published."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from incubator.auth.permissions import require
from incubator.companies.models import Company
from incubator.db import utcnow
from incubator.dialogue import queries, services
from incubator.dialogue.enums import QuestionKind
from incubator.dialogue.forms import (
    AgendaForm,
    CancelForm,
    ConferenceForm,
    FloorForm,
    InviteForm,
    ItemForm,
    MinutesForm,
    RecordAnswerForm,
    RegisterForm,
    VersionForm,
)
from incubator.dialogue.models import DialogueConference
from incubator.dialogue.permissions import (
    can_handle_conference,
    can_plan_conferences,
    can_read_invitations,
    can_read_published_conference,
    can_register,
    is_invited,
)
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import to_local_naive, to_utc
from incubator.requests import queries as request_queries
from incubator.requests.enums import PublicationConsent
from incubator.requests.models import RequestCategory
from incubator.web import form_status, save_form

bp = Blueprint("dialogue", __name__, url_prefix="/dialogue")


def _conference_or_404(conference_id: int, predicate=can_handle_conference) -> DialogueConference:
    conference = queries.conference_page(conference_id)
    if conference is None or not predicate(current_user, conference):
        abort(404)
    return conference


def _body_choices(field, blank: bool = True) -> None:
    field.choices = ([SelectChoice("", "—")] if blank else []) + [
        SelectChoice(str(b.id), b.name) for b in request_queries.bodies(active_only=True)]


def _chosen(model, value):
    return db.session.get(model, int(value)) if value and str(value).isdigit() else None


def _chosen_body(value):
    if not value:
        return None
    return next((b for b in request_queries.bodies() if str(b.id) == str(value)), None)


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


# ---- Staff -------------------------------------------------------------------------------------------------

@bp.route("/")
@require(can_plan_conferences)
def index():
    return render_template("dialogue/index.html", conferences=queries.staff_list())


def _conference_form(conference: DialogueConference | None) -> ConferenceForm:
    form = ConferenceForm(formdata=request.form if request.method == "POST" else None)
    form.bodies.choices = [(b.id, b.name) for b in request_queries.bodies(active_only=True)]
    if conference is not None and request.method != "POST":
        form.title.data, form.chair.data = conference.title, conference.chair
        form.starts_at.data = to_local_naive(conference.starts_at)
        form.minutes_long.data, form.place.data, form.link.data = (conference.minutes_long, conference.place,
                                                                   conference.link)
        form.bodies.data = [b.id for b in conference.bodies]
        form.version.data = conference.version_id
    return form


def _values(form: ConferenceForm) -> dict:
    chosen = set(form.bodies.data or [])
    return {"title": form.title.data, "starts_at": to_utc(form.starts_at.data), "minutes_long": form.minutes_long.data,
            "place": form.place.data, "link": form.link.data, "chair": form.chair.data,
            "bodies": [b for b in request_queries.bodies() if b.id in chosen]}


@bp.route("/new", methods=["GET", "POST"])
@require(can_plan_conferences)
def new():
    form = _conference_form(None)
    done = save_form(form, lambda: services.plan(actor=current_user, **_values(form)),
                     message=_("The conference has been planned."),
                     to=lambda conference: url_for("dialogue.show", conference_id=conference.id))
    return done or (render_template("dialogue/edit.html", form=form, conference=None), form_status(form))


@bp.route("/<int:conference_id>/edit", methods=["GET", "POST"])
@login_required
def edit(conference_id):
    conference = _conference_or_404(conference_id)
    form = _conference_form(conference)
    done = save_form(form, lambda: services.edit(conference, actor=current_user, version=form.version.data,
                                                 **_values(form)),
                     message=_("The conference has been changed."),
                     to=url_for("dialogue.show", conference_id=conference.id))
    return done or (render_template("dialogue/edit.html", form=form, conference=conference), form_status(form))


STAFF_ACTIONS = ("add_item", "remove_item", "answer", "invite", "floor", "hold", "cancel", "minutes", "publish",
                 "unpublish")


def _staff_forms(conference: DialogueConference, posted: str | None = None) -> dict:
    def make(name, cls):
        form = cls(formdata=request.form if name == posted else None)
        if hasattr(form, "version") and name != posted:
            form.version.data = conference.version_id
        return form

    forms = {"add_item": make("add_item", AgendaForm), "remove_item": make("remove_item", ItemForm),
             "answer": make("answer", RecordAnswerForm), "invite": make("invite", InviteForm),
             "floor": make("floor", FloorForm), "hold": make("hold", VersionForm),
             "cancel": make("cancel", CancelForm), "minutes": make("minutes", MinutesForm),
             "publish": make("publish", VersionForm), "unpublish": make("unpublish", VersionForm)}
    floor = forms["floor"]
    floor.outcome.choices = [SelectChoice(o.value, o.label) for o in services.FLOOR_OUTCOMES]
    _body_choices(floor.body)
    floor.company.choices = [SelectChoice("", "—")] + [SelectChoice(str(c.id), c.name)
                                                       for c in queries.floor_businesses(conference)]
    floor.category.choices = [SelectChoice("", "—")] + [SelectChoice(str(c.id), c.name)
                                                        for c in request_queries.categories(active_only=True)]
    minutes = forms["minutes"]
    if posted != "minutes":
        minutes.number.data, minutes.attendance.data, minutes.conclusions.data = (
            conference.minutes_number, conference.attendance, conference.conclusions)
    return forms


def _staff_page(conference, forms=None, status=200):
    return render_template("dialogue/show.html", conference=conference, forms=forms or _staff_forms(conference),
                           now_utc=utcnow()), status


@bp.route("/<int:conference_id>")
@login_required
def show(conference_id):
    return _staff_page(_conference_or_404(conference_id))


def _item(conference, form):
    item = next((i for i in conference.items if str(i.id) == str(form.item.data or "")), None)
    if item is None:
        raise DomainError(_("This request is not on the agenda."))
    return item


@bp.route("/<int:conference_id>/staff/<any(" + ", ".join(STAFF_ACTIONS) + "):action>", methods=["POST"])
@login_required
def act(conference_id, action):
    """Every staff action on a conference: the posted form goes to its one service; refused, the page shows
    again with the form's errors."""
    conference = _conference_or_404(conference_id)
    forms = _staff_forms(conference, posted=action)
    form = forms[action]
    messages = {
        "add_item": _("The request has been put on the agenda."),
        "remove_item": _("The request has been taken off the agenda."),
        "answer": _("The answer given has been recorded: another member of staff approves it on the request's page."),
        "invite": _("The invitations have been sent."), "floor": _("The question has been recorded."),
        "hold": _("The conference has been marked as held."), "cancel": _("The conference has been cancelled."),
        "minutes": _("The minutes have been made."), "publish": _("The minutes have been published."),
        "unpublish": _("The minutes have been withdrawn from publication."),
    }

    def run():
        actor = current_user
        if action == "add_item":
            found = request_queries.by_number(form.number.data)
            if found is None:
                raise DomainError(_("No request of this incubator has this number."), field="number")
            return services.add_item(conference, found, actor=actor)
        if action == "remove_item":
            return services.remove_item(_item(conference, form), actor=actor)
        if action == "answer":
            return services.record_answer(_item(conference, form), actor=actor, text=form.text.data)
        if action == "invite":
            return services.invite(conference, actor=actor, concerned=form.concerned.data,
                                   emails=(form.emails.data or "").replace(",", "\n").splitlines())
        if action == "floor":
            attached = request_queries.by_number(form.number.data) if form.number.data else None
            return services.record_floor_question(conference, actor=actor, text=form.text.data,
                                                  outcome=form.outcome.data, asked_by=form.asked_by.data,
                                                  answer_text=form.answer_text.data,
                                                  body=_chosen_body(form.body.data), request=attached,
                                                  company=_chosen(Company, form.company.data),
                                                  category=_chosen(RequestCategory, form.category.data),
                                                  title=form.title.data)
        if action == "hold":
            return services.hold(conference, actor=actor, version=form.version.data)
        if action == "cancel":
            return services.cancel(conference, actor=actor, reason=form.reason.data, version=form.version.data)
        if action == "minutes":
            return services.make_minutes(conference, actor=actor, number=form.number.data,
                                         attendance=form.attendance.data, conclusions=form.conclusions.data,
                                         version=form.version.data)
        if action == "publish":
            return services.publish(conference, actor=actor, version=form.version.data)
        return services.unpublish(conference, actor=actor, version=form.version.data)

    done = save_form(form, run, message=messages[action], to=url_for("dialogue.show", conference_id=conference.id))
    if done:
        return done
    if not form.errors and not form.form_errors:
        form.form_errors.append(_("The form could not be read; try again."))
    return _staff_page(conference, forms=forms, status=400)


@bp.route("/<int:conference_id>/minutes.pdf")
@login_required
def minutes_pdf(conference_id):
    conference = _conference_or_404(conference_id)
    if not conference.has_minutes:
        abort(404)
    return _pdf(conference.minutes_pdf, f"bien-ban-hoi-nghi-doi-thoai-{conference.id}.pdf")


# ---- Founders ----------------------------------------------------------------------------------------------

@bp.route("/invitations")
@require(can_read_invitations)
def invitations():
    return render_template("dialogue/invitations.html", conferences=queries.invitations_of(current_user))


@bp.route("/<int:conference_id>/register", methods=["GET", "POST"])
@login_required
def register(conference_id):
    conference = queries.conference_page(conference_id)
    if conference is None:
        from incubator.dialogue.queries import invitations_of

        conference = next((c for c in invitations_of(current_user) if c.id == conference_id), None)
    if conference is None or not is_invited(current_user, conference):
        abort(404)
    form = RegisterForm(formdata=request.form if request.method == "POST" else None)
    companies = _held_companies()
    form.company.choices = [SelectChoice(str(c.id), c.name) for c in companies]
    form.category.choices = [SelectChoice(str(c.id), c.name) for c in request_queries.categories(active_only=True)]
    form.consent.choices = [SelectChoice(c.value, c.label) for c in PublicationConsent]
    mine = next((r for r in conference.registrations if r.user_id == current_user.id), None)
    # Publication is the founder's explicit choice, as on the request form: nothing is chosen for them.
    if request.method != "POST" and mine is not None and mine.company_id is not None:
        form.company.data = str(mine.company_id)

    def run():
        if not can_register(current_user, conference):
            raise DomainError(_("Registration is closed: the conference is no longer planned."))
        company = next((c for c in companies if str(c.id) == str(form.company.data)), None)
        category = next((c for c in request_queries.categories() if str(c.id) == str(form.category.data)), None)
        return services.register(conference, actor=current_user, company=company,
                                 question_title=form.question_title.data, question_text=form.question_text.data,
                                 category=category, consent=form.consent.data or None)

    done = save_form(form, run, message=_("You are registered."),
                     to=url_for("dialogue.register", conference_id=conference.id))
    return done or (render_template("dialogue/register.html", conference=conference, form=form, mine=mine,
                                    questions=[q for q in conference.questions
                                               if q.registration_id is not None and mine is not None
                                               and q.registration_id == mine.id]),
                    form_status(form))


def _held_companies():
    import sqlalchemy as sa

    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import Company, CompanyMember
    from incubator.extensions import db

    return list(db.session.scalars(
        sa.select(Company).join(CompanyMember, CompanyMember.company_id == Company.id)
        .where(CompanyMember.user_id == current_user.id, CompanyMember.status == MembershipStatus.APPROVED)
        .order_by(Company.name, Company.id)))


# ---- Anyone ------------------------------------------------------------------------------------------------

@bp.route("/published/")
def published_index():
    return render_template("dialogue/published_index.html", conferences=queries.published())


def _published_or_404(conference_id: int) -> DialogueConference:
    conference = queries.published_page(conference_id)
    if conference is None or not can_read_published_conference(conference):
        abort(404)
    return conference


@bp.route("/published/<int:conference_id>")
def published(conference_id):
    from incubator.dialogue.minutes import public_question

    conference = _published_or_404(conference_id)
    return render_template("dialogue/published.html", conference=conference,
                           items=[(item, public_question(item.request, item.answer_text))
                                  for item in conference.items],
                           floor=[q for q in conference.questions if q.kind is QuestionKind.FLOOR])


@bp.route("/published/<int:conference_id>/minutes.pdf")
def published_minutes(conference_id):
    conference = _published_or_404(conference_id)
    return _pdf(conference.minutes_pdf, f"bien-ban-hoi-nghi-doi-thoai-{conference.id}.pdf")
