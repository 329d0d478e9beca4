"""Businesses' requests to the city (issue 21): the founders' pages (file, follow, add information, withdraw,
rate), the staff's list and a request's page with every action, the lists staff keep, and the published
answers anyone reads, with their Atom feed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from incubator.auth.permissions import is_staff, require
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.requests import queries, services
from incubator.requests.enums import AnswerSource, PublicationConsent, RequestStatus
from incubator.requests.forms import (
    AnswerForm,
    AskForm,
    BodyForm,
    CalendarDayForm,
    CategoryForm,
    ConsentForm,
    DeclineForm,
    FileRequestForm,
    InformationForm,
    MergeForm,
    PublicationForm,
    RateForm,
    RouteForm,
    UnpublishForm,
    VersionForm,
    WithdrawForm,
)
from incubator.requests.models import AnsweringBody, BusinessRequest, CalendarDay, RequestAttachment, RequestCategory
from incubator.requests.permissions import (
    can_add_information,
    can_approve_answer,
    can_file_for,
    can_file_requests,
    can_follow_request,
    can_handle_request,
    can_keep_request_lists,
    can_publish_request,
    can_rate_answer,
    can_read_request,
    can_set_consent,
    can_withdraw_request,
)
from incubator.uploads import check_pdf, send_upload
from incubator.web import form_status, page_arg, save_form

bp = Blueprint("requests", __name__, url_prefix="/requests")

PER_PAGE = 25


def _request_or_404(request_id: int, predicate=can_read_request) -> BusinessRequest:
    """The request with its page's rows; another business's (or another incubator's) is not found."""
    req = queries.request_page(request_id)
    if req is None or not predicate(current_user, req):
        abort(404)
    return req


def _pdfs(storages, field: str) -> list:
    return [check_pdf(storage, field=field) for storage in storages or () if storage and storage.filename]


# ---- Founders ----------------------------------------------------------------------------------------------

def _held_companies() -> list[Company]:
    return list(db.session.scalars(
        sa.select(Company).join(CompanyMember, CompanyMember.company_id == Company.id)
        .where(CompanyMember.user_id == current_user.id, CompanyMember.status == MembershipStatus.APPROVED)
        .order_by(Company.name, Company.id)))


@bp.route("/mine")
@require(can_file_requests)
def mine():
    today = local_today()
    return render_template("requests/mine.html", items=queries.for_founder(current_user), today=today,
                           may_file=any(can_file_for(current_user, c) for c in _held_companies()))


@bp.route("/new", methods=["GET", "POST"])
@require(can_file_requests)
def new():
    from incubator.organisation.current import several_incubators

    held = _held_companies()
    companies = [c for c in held if can_file_for(current_user, c)]
    several = several_incubators()
    incubators = []
    if several:
        seen = {}
        for company in companies:
            for incubator in services.incubator_choices(company):
                seen.setdefault(incubator.id, incubator)
        incubators = list(seen.values())
    form = FileRequestForm(companies=companies, categories=queries.categories(active_only=True),
                           incubators=incubators)
    if request.method == "GET" and len(companies) == 1:
        form.company.data = str(companies[0].id)

    def file_it():
        company = next((c for c in companies if str(c.id) == form.company.data), None)
        if company is None:
            raise DomainError(_("Choose the business."), field="company")
        category = db.session.get(RequestCategory, int(form.category.data)) if form.category.data.isdigit() else None
        incubator_id = None
        if several:
            chosen = form.incubator.data or ""
            incubator_id = int(chosen) if chosen.isdigit() else None
            if incubator_id is None or incubator_id not in {i.id for i in incubators}:
                raise DomainError(_("Choose an incubator the business works with."), field="incubator")
        return services.file(company, actor=current_user, kind=form.kind.data, category=category,
                             title=form.title.data, text=form.text.data, consent=form.consent.data,
                             attachments=_pdfs(form.attachments.data, "attachments"), incubator_id=incubator_id)

    done = save_form(form, file_it,
                     message=lambda filed: _("Your request has been received with number %(number)s.",
                                             number=filed.number),
                     to=lambda filed: url_for("requests.show", request_id=filed.id))
    return done or (render_template("requests/new.html", form=form, companies=companies,
                                    unverified=[c for c in held if c not in companies], several=several),
                    form_status(form))


@bp.route("/<int:request_id>")
@login_required
def show(request_id):
    req = _request_or_404(request_id)
    if can_handle_request(current_user, req):
        return _staff_page(req)
    return _founder_page(req)


def _consent_form(req, posted: bool = False) -> ConsentForm:
    form = ConsentForm() if posted else ConsentForm(formdata=None, consent=req.consent.value, version=req.version_id)
    form.consent.choices = PublicationConsent.choices()
    return form


def _founder_page(req, information=None, rating=None, consent=None, status=200):
    if information is None:
        information = InformationForm(formdata=None)
        information.version.data = req.version_id
    rating = rating or RateForm(formdata=None)
    return render_template("requests/request.html", req=req, timeline=queries.timeline(req, for_business=True),
                           information=information, rating=rating, today=local_today(),
                           consent=consent or _consent_form(req), may_consent=can_set_consent(current_user, req),
                           may_add=can_add_information(current_user, req),
                           may_withdraw=can_withdraw_request(current_user, req),
                           may_rate=can_rate_answer(current_user, req)), status


@bp.route("/<int:request_id>/information", methods=["POST"])
@login_required
def add_information(request_id):
    req = _request_or_404(request_id, can_follow_request)
    if not can_add_information(current_user, req):
        abort(403)
    form = InformationForm()

    def add():
        return services.add_information(req, actor=current_user, text=form.text.data, version=form.version.data,
                                        attachments=_pdfs(form.attachments.data, "attachments"))

    done = save_form(form, add, message=_("Thank you: the information has been added and the clock runs again."),
                     to=url_for("requests.show", request_id=req.id))
    return done or _founder_page(req, information=form, status=400)


@bp.route("/<int:request_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(request_id):
    """Withdrawing asks first: a page that says what it means, with the optional reason and the button (no
    script needed)."""
    req = _request_or_404(request_id, can_follow_request)
    if not can_withdraw_request(current_user, req):
        flash(_("This request can no longer be withdrawn."), "warning")
        return redirect(url_for("requests.show", request_id=req.id))
    form = WithdrawForm()
    if request.method == "GET":
        form.version.data = req.version_id
    done = save_form(form, lambda: services.withdraw(req, actor=current_user, reason=form.reason.data or None,
                                                     version=form.version.data),
                     message=_("The request has been withdrawn."), to=url_for("requests.show", request_id=req.id))
    return done or (render_template("requests/withdraw.html", req=req, form=form), form_status(form))


@bp.route("/<int:request_id>/rating", methods=["POST"])
@login_required
def rate(request_id):
    req = _request_or_404(request_id, can_follow_request)
    if not can_rate_answer(current_user, req):
        abort(403)
    form = RateForm()
    done = save_form(form, lambda: services.rate(req, actor=current_user, satisfied=form.satisfied.data == "yes",
                                                 comment=form.comment.data),
                     message=_("Thank you for rating the answer."), to=url_for("requests.show", request_id=req.id))
    return done or _founder_page(req, rating=form, status=400)


@bp.route("/<int:request_id>/consent", methods=["POST"])
@login_required
def consent(request_id):
    """A founder chooses whether the answer may be published (a request staff filed on the business's behalf
    is not published until a founder consents)."""
    req = _request_or_404(request_id, can_follow_request)
    if not can_set_consent(current_user, req):
        abort(403)
    form = _consent_form(req, posted=True)
    done = save_form(form, lambda: services.set_consent(req, actor=current_user, consent=form.consent.data,
                                                        version=form.version.data),
                     message=_("Your choice about publication has been saved."),
                     to=url_for("requests.show", request_id=req.id))
    return done or _founder_page(req, consent=form, status=400)


@bp.route("/<int:request_id>/attachments/<int:attachment_id>")
@login_required
def attachment(request_id, attachment_id):
    req = _request_or_404(request_id)
    row = next((a for a in req.attachments if a.id == attachment_id), None)
    if not isinstance(row, RequestAttachment):
        abort(404)
    return send_upload(services.UPLOAD_KIND, row.stored_name, row.original_name, inline=True)


@bp.route("/<int:request_id>/answer.pdf")
@login_required
def answer_document(request_id):
    req = _request_or_404(request_id)
    answer = req.answer
    # The business reads the body's document once the answer is sent; staff while it is drafted.
    if answer is None or not answer.has_document or not (answer.is_approved or can_handle_request(current_user,
                                                                                                   req)):
        abort(404)
    return send_upload(services.ANSWER_UPLOAD_KIND, answer.stored_name, answer.original_name, inline=True)


# ---- Staff -------------------------------------------------------------------------------------------------

STATUS_FILTERS = [status.value for status in RequestStatus]


@bp.route("/")
@require(is_staff)
def index():
    today = local_today()
    args = request.args
    status = args.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    sort = args.get("sort", "due")
    sort = sort if sort in queries.SORTS else "due"
    filters = {"status": status, "category_id": args.get("category", type=int),
               "body_id": args.get("body", type=int), "overdue": args.get("overdue") == "1",
               "open_only": args.get("open") == "1", "search": (args.get("q") or "")[:200]}
    items = db.paginate(queries.staff_list(today=today, sort=sort, **filters), page=page_arg(), per_page=PER_PAGE,
                        error_out=False)
    return render_template("requests/index.html", items=items, today=today, filters=filters, sort=sort,
                           statuses=list(RequestStatus), categories=queries.categories(), bodies=queries.bodies(),
                           overdue_count=db.session.scalar(sa.select(sa.func.count()).select_from(
                               queries.staff_list(overdue=True, today=today).order_by(None).subquery())))


def _version_form(form_class, version, posted: str | None, name: str, **fill):
    """The staff page's form ``name`` (its fields prefixed with it: one page, many forms, unique ids): the one
    posted reads the request's form, the others start fresh."""
    if posted == name:
        return form_class(prefix=name)
    form = form_class(formdata=None, prefix=name, **fill)
    form.version.data = version
    return form


def _staff_forms(req, posted: str | None = None) -> dict:
    answer = req.answer
    forms = {
        "route": _version_form(RouteForm, req.version_id, posted, "route"),
        "ask": _version_form(AskForm, req.version_id, posted, "ask"),
        "merge": _version_form(MergeForm, req.version_id, posted, "merge"),
        "decline": _version_form(DeclineForm, req.version_id, posted, "decline"),
        "answer": _version_form(AnswerForm, answer.version_id if answer else "", posted, "answer",
                                text=answer.text if answer else None),
        "approve": _version_form(VersionForm, answer.version_id if answer else "", posted, "approve"),
        "prepare": _version_form(PublicationForm, req.version_id, posted, "prepare",
                                 public_title=req.public_title or (None if req.is_anonymised else req.title),
                                 public_text=req.public_text or (None if req.is_anonymised else req.text)),
        "publish": _version_form(VersionForm, req.version_id, posted, "publish"),
        "unpublish": _version_form(UnpublishForm, req.version_id, posted, "unpublish"),
    }
    active = queries.bodies(active_only=True)
    forms["route"].body.choices = [SelectChoice("", _("Choose…"))] + [SelectChoice(str(b.id), b.name) for b in active]
    forms["answer"].source.choices = AnswerSource.choices()
    forms["answer"].body.choices = [SelectChoice("", _("The body it was sent to"))] + [
        SelectChoice(str(b.id), b.name) for b in active]
    if posted != "answer":
        forms["answer"].source.data = (answer.source.value if answer else AnswerSource.STAFF.value)
        forms["answer"].body.data = str(answer.body_id) if answer and answer.body_id else ""
    return forms


def _offers(req) -> dict:
    """Which actions the staff page offers now (the services refuse the others all the same)."""
    status, answer = req.status, req.answer
    return {
        "route": status.allows(RequestStatus.ROUTED) and status is not RequestStatus.AWAITING_INFORMATION,
        "ask": status.allows(RequestStatus.AWAITING_INFORMATION),
        "merge": status.allows(RequestStatus.MERGED),
        "decline": status.allows(RequestStatus.DECLINED),
        "answer": status.allows(RequestStatus.ANSWERED) and not (answer is not None and answer.is_approved),
        "approve": can_approve_answer(current_user, req),
        "prepare": req.may_be_published,
        "publish": can_publish_request(current_user, req) and not req.is_published,
        "unpublish": req.is_published,
    }


def _staff_page(req, forms=None, status=200):
    today = local_today()
    return render_template("requests/staff_request.html", req=req, forms=forms or _staff_forms(req),
                           offers=_offers(req), timeline=queries.timeline(req, for_business=False), today=today,
                           days_left=queries.working_days_left(req, today)), status


def _chosen_body(value) -> AnsweringBody | None:
    return db.session.get(AnsweringBody, int(value)) if value and str(value).isdigit() else None


STAFF_ACTIONS = ("route", "ask", "merge", "decline", "answer", "approve", "prepare", "publish", "unpublish")


@bp.route("/<int:request_id>/staff/<any(" + ", ".join(STAFF_ACTIONS) + "):action>", methods=["POST"])
@require(is_staff)
def act(request_id, action):
    """Every staff action on a request: the posted form goes to its one service; refused, the page shows again
    with the form's errors."""
    req = _request_or_404(request_id, can_handle_request)
    forms = _staff_forms(req, posted=action)
    form = forms[action]
    messages = {
        "route": _("The request has been sent to the body."), "ask": _("The business has been asked."),
        "merge": _("The request has been merged."), "decline": _("The request has been declined."),
        "answer": _("The answer has been saved: another member of staff approves it."),
        "approve": _("The answer has been approved and sent to the business."),
        "prepare": _("The text to publish has been saved."), "publish": _("The answer has been published."),
        "unpublish": _("The answer has been withdrawn from publication."),
    }

    def run():
        if action == "route":
            return services.route(req, _chosen_body(form.body.data), actor=current_user, reason=form.reason.data,
                                  version=form.version.data)
        if action == "ask":
            return services.ask_information(req, actor=current_user, question=form.question.data,
                                            version=form.version.data)
        if action == "merge":
            into = queries.by_number(form.into.data)
            if into is None:
                raise DomainError(_("No request has this number."), field="into")
            return services.merge(req, into, actor=current_user, reason=form.reason.data, version=form.version.data)
        if action == "decline":
            return services.decline(req, actor=current_user, reason=form.reason.data, version=form.version.data)
        if action == "answer":
            document = check_pdf(form.document.data, field="document") if form.document.data else None
            return services.draft_answer(req, actor=current_user, text=form.text.data, source=form.source.data,
                                         document=document, body=_chosen_body(form.body.data),
                                         version=form.version.data)
        if action == "approve":
            return services.approve_answer(req, actor=current_user, version=form.version.data)
        if action == "prepare":
            return services.prepare_publication(req, actor=current_user, title=form.public_title.data,
                                                text=form.public_text.data, version=form.version.data)
        if action == "publish":
            return services.publish(req, actor=current_user, version=form.version.data)
        return services.unpublish(req, actor=current_user, reason=form.reason.data, version=form.version.data)

    done = save_form(form, run, message=messages[action], to=url_for("requests.show", request_id=req.id))
    if done:
        return done
    if not form.errors and not form.form_errors:
        form.form_errors.append(_("The form could not be read; try again."))
    return _staff_page(req, forms=forms, status=400)


# ---- The lists staff keep ----------------------------------------------------------------------------------

@bp.route("/lists")
@require(can_keep_request_lists)
def lists():
    year = request.args.get("year", type=int) or local_today().year
    day_form = CalendarDayForm(formdata=None)
    return _lists_page(year, day_form)


def _lists_page(year, day_form, status=200):
    return render_template("requests/lists.html", categories=queries.categories(), bodies=queries.bodies(),
                           days=queries.calendar_days(year), year=year, day_form=day_form,
                           remove_form=VersionForm(formdata=None)), status


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"category_id": None}, endpoint="new_category")
@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@require(can_keep_request_lists)
def category(category_id):
    row = db.get_or_404(RequestCategory, category_id) if category_id is not None else None
    form = CategoryForm(obj=row if request.method == "GET" else None)
    if request.method == "GET" and row is not None:
        form.version.data = row.version_id
    done = save_form(form, lambda: services.save_category(
        row, actor=current_user, name_vi=form.name_vi.data, name_en=form.name_en.data,
        time_limit_days=form.time_limit_days.data, position=form.position.data, active=form.active.data,
        version=form.version.data), message=_("Category saved."), to=url_for("requests.lists"))
    return done or (render_template("requests/category.html", form=form, row=row), form_status(form))


@bp.route("/bodies/new", methods=["GET", "POST"], defaults={"body_id": None}, endpoint="new_body")
@bp.route("/bodies/<int:body_id>", methods=["GET", "POST"])
@require(can_keep_request_lists)
def body(body_id):
    row = db.get_or_404(AnsweringBody, body_id) if body_id is not None else None
    form = BodyForm(obj=row if request.method == "GET" else None)
    if request.method == "GET" and row is not None:
        form.version.data = row.version_id
        form.kind.data = row.kind.value
    done = save_form(form, lambda: services.save_body(
        row, actor=current_user, name_vi=form.name_vi.data, name_en=form.name_en.data, kind=form.kind.data,
        contact_email=form.contact_email.data, active=form.active.data, version=form.version.data),
        message=_("Body saved."), to=url_for("requests.lists"))
    return done or (render_template("requests/body.html", form=form, row=row), form_status(form))


@bp.route("/calendar", methods=["POST"])
@require(can_keep_request_lists)
def add_day():
    form = CalendarDayForm()
    done = save_form(form, lambda: services.add_calendar_day(form.day.data, form.kind.data, actor=current_user,
                                                             note=form.note.data),
                     message=_("The day has been added to the calendar."),
                     to=lambda entry: url_for("requests.lists", year=entry.day.year) + "#calendar")
    year = form.day.data.year if form.day.data else local_today().year
    return done or _lists_page(year, form, status=400)


@bp.route("/calendar/<int:day_id>/delete", methods=["POST"])
@require(can_keep_request_lists)
def remove_day(day_id):
    entry = db.get_or_404(CalendarDay, day_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    year = entry.day.year
    services.remove_calendar_day(entry, actor=current_user)
    flash(_("The day has been removed from the calendar."), "success")
    return redirect(url_for("requests.lists", year=year) + "#calendar")


# ---- Published answers, for anyone ---------------------------------------------------------------------------

def _public_filters() -> dict:
    from incubator.organisation.current import several_incubators

    args = request.args
    filters = {"search": (args.get("q") or "")[:200], "category_id": args.get("category", type=int),
               "body_id": args.get("body", type=int), "year": args.get("year", type=int),
               "incubator_id": None}
    if several_incubators():
        filters["incubator_id"] = _incubator_id(args.get("incubator", ""))
    return filters


def _incubator_id(code_or_id: str) -> int | None:
    from incubator.organisation.models import Incubator

    if not code_or_id:
        return None
    query = sa.select(Incubator.id)
    query = query.where(Incubator.id == int(code_or_id)) if code_or_id.isdigit() and len(code_or_id) < 10 \
        else query.where(Incubator.code == code_or_id[:40])
    return db.session.scalar(query) or -1  # an unknown incubator has no answers


@bp.route("/answers/")
def answers():
    from incubator.organisation.current import several_incubators
    from incubator.organisation.models import Incubator

    filters = _public_filters()
    pager = db.paginate(queries.published_answers(**filters), page=page_arg(), per_page=20, error_out=False)
    several = several_incubators()
    return render_template("requests/answers.html", pager=pager, items=[queries.public_view(r) for r in pager.items],
                           incubators={r.number: r.incubator for r in pager.items} if several else {},
                           filters=filters, categories=queries.categories(), bodies=queries.bodies(),
                           years=queries.published_years(), several=several,
                           all_incubators=list(db.session.scalars(sa.select(Incubator).order_by(Incubator.code)))
                           if several else [])


@bp.route("/answers.atom")
def feed():
    filters = _public_filters()
    rows = list(db.session.scalars(queries.published_answers(**filters).limit(50)).unique())
    items = [(row.id, queries.public_view(row)) for row in rows]
    from incubator.db import utcnow

    updated = max((item.published_at for _id, item in items), default=None) or utcnow()
    body = render_template("requests/answers.atom.xml", items=items, updated=updated, filters=filters)
    return Response(body, mimetype="application/atom+xml")
