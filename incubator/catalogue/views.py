"""The catalogue's pages: the public list and product pages (no login), the contact form, the sitemap and
robots.txt; a founder's entries; the staff's queue of changes and the list of product groups."""

from __future__ import annotations

import re
from contextlib import nullcontext

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from incubator.auth.permissions import require
from incubator.catalogue import challenge, queries, services
from incubator.catalogue.forms import (
    ContactForm,
    EditGroupForm,
    EntryForm,
    GroupForm,
    NewEntryForm,
    RefuseForm,
    VersionForm,
)
from incubator.catalogue.models import ProductEntry, ProductGroup
from incubator.catalogue.permissions import (
    can_keep_product_groups,
    can_review_entries,
    can_review_entry,
    can_write_entries,
    can_write_entry_of,
    staff_scope,
)
from incubator.companies.models import Company
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.outcomes.enums import Pillar
from incubator.web import apply_form_error, form_status, page_arg, save_form

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
site_bp = Blueprint("site", __name__)
PER_PAGE = 12


def _language() -> str | None:
    """The language a public page is asked in (``?lang=en``: the hreflang alternates), else None."""
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else None


def _in_language():
    """The public page's language for all it says, the question against robots and the form's messages
    included (``?lang=``), else the visitor's own."""
    lang = _language()
    return force_locale(lang) if lang else nullcontext()


def _public(template: str, status: int = 200, **context):
    with _in_language():
        return render_template(template, lang=_language(), **context), status


# ---- Public pages ---------------------------------------------------------------------------------------------

def _incubator_id(code_or_id: str) -> int | None:
    """The incubator a filter names by its code (or id); -1 for one unknown (nothing matches)."""
    from incubator.organisation.models import Incubator

    if not code_or_id:
        return None
    query = db.select(Incubator.id)
    query = query.where(Incubator.id == int(code_or_id)) \
        if code_or_id.isascii() and code_or_id.isdigit() and len(code_or_id) < 10 \
        else query.where(Incubator.code == code_or_id[:40])
    return db.session.scalar(query) or -1


def _group_id(code_or_id: str) -> int | None:
    """The product group a filter names by its code (as the API does; an id, as older links did); -1 for one
    unknown (nothing matches)."""
    if not code_or_id:
        return None
    if code_or_id.isascii() and code_or_id.isdigit() and len(code_or_id) < 10:
        return int(code_or_id)
    return db.session.scalar(db.select(ProductGroup.id).where(ProductGroup.code == code_or_id[:40])) or -1


def _filters() -> dict:
    args = request.args
    pillar = args.get("pillar") or None
    return {"search": (args.get("q") or "")[:200], "pillar": pillar if pillar in {p.value for p in Pillar} else None,
            "group_id": _group_id(args.get("group", "")), "incubator_id": _incubator_id(args.get("incubator", ""))}


@bp.route("/")
def index():
    filters = _filters()
    pager = db.paginate(queries.listed_products(**filters), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return _public("catalogue/index.html", pager=pager, filters=filters, groups=queries.groups(),
                   incubators=queries.catalogue_incubators(), pillars=list(Pillar),
                   details=queries.details(list(pager.items), local_today()))


def product_url(entry: ProductEntry, **values) -> str:
    return url_for("catalogue.product", product_id=entry.id, slug=entry.slug or "san-pham", **values)


def _ask(form: ContactForm) -> ContactForm:
    """A new question against robots on the form: its label asks it, the hidden field carries it signed."""
    question, token = challenge.new_question()
    form.question.data = token
    form.answer.label.text = question
    return form


def _contact_form() -> ContactForm:
    return _ask(ContactForm(formdata=None))


SENT_KEY = "catalogue_message_sent"


def _product_page(form: ContactForm, *, entry: ProductEntry, status: int = 200, sent: bool = False):
    return _public("catalogue/product.html", status, entry=entry, form=form, sent=sent,
                   details=queries.details([entry], local_today())[entry.id],
                   reachable=queries.reachable(entry.company_id))


@bp.route("/<int:product_id>")
@bp.route("/<int:product_id>-<slug>")
def product(product_id, slug=None):
    entry = queries.listed_product(product_id)
    if entry is None:
        abort(404)
    if slug != entry.slug:
        return redirect(product_url(entry, **request.args.to_dict()), 301)
    with _in_language():
        return _product_page(_contact_form(), entry=entry, sent=session.pop(SENT_KEY, None) == entry.id)


@bp.route("/<int:product_id>/contact", methods=["POST"])
def contact(product_id):
    entry = queries.listed_product(product_id)
    if entry is None:
        abort(404)
    with _in_language():
        return _contact(entry)


def _contact(entry: ProductEntry):
    form = ContactForm()
    status = 400
    if form.validate_on_submit():
        if form.homepage.data:
            abort(400)  # the field people do not see: a robot filled it
        problem = challenge.problem(form.question.data, form.answer.data)
        if problem:
            form.answer.errors = [*form.answer.errors, problem]
        else:
            try:
                services.send_message(entry, name=form.name.data, email=form.email.data,
                                      organisation=form.organisation.data, message=form.message.data,
                                      ip_address=request.remote_addr or "?")
            except DomainError as exc:
                status = getattr(exc, "status_code", 400)
                apply_form_error(form, exc)
            else:
                # Said in the contact card the page opens at (a flash at the page's top is off a phone's screen).
                session[SENT_KEY] = entry.id
                return redirect(product_url(entry, lang=_language()) + "#contact")
    elif form.homepage.data:
        abort(400)
    # A new question each time the form is shown again; what the reader wrote is kept.
    form.answer.raw_data, form.answer.data = None, ""
    return _product_page(_ask(form), status=status, entry=entry)


@site_bp.route("/sitemap.xml")
def sitemap():
    from incubator.applications.queries import public_rounds
    from incubator.db import utcnow
    from incubator.requests import queries as request_queries
    from incubator.urls import external_url

    urls = [(external_url("catalogue.index"), None), (external_url("requests.answers"), None),
            (external_url("rounds.public"), None)]
    products = queries.sitemap_entries()
    for product_id, slug, approved_at in products:
        urls.append((external_url("catalogue.product", product_id=product_id, slug=slug or "san-pham"), approved_at))
    open_rounds, _soon = public_rounds(utcnow())
    urls += [(external_url("rounds.detail", round_id=r.id), None) for r in open_rounds]
    latest_answer = db.session.scalars(request_queries.published_answers().limit(1)).first()
    urls[1] = (urls[1][0], latest_answer.published_at if latest_answer else None)
    # The catalogue's pages are also read in each language (?lang=, the pages' hreflang alternates).
    catalogue = {urls[0][0]} | {loc for loc, _modified in urls[3:3 + len(products)]}
    body = render_template("catalogue/sitemap.xml", urls=urls, with_languages=catalogue,
                           languages=current_app.config["LANGUAGES"])
    return Response(body, mimetype="application/xml")


@site_bp.route("/robots.txt")
def robots():
    from incubator.urls import external_url

    lines = ["User-agent: *", "Disallow: /login", "Disallow: /account", "Disallow: /admin", "Disallow: /api/",
             f"Sitemap: {external_url('site.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


# ---- Founders --------------------------------------------------------------------------------------------------

def _my_companies() -> list[Company]:
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import CompanyMember

    return [m.company for m in db.session.scalars(
        db.select(CompanyMember).where(CompanyMember.user_id == current_user.id,
                                       CompanyMember.status == MembershipStatus.APPROVED)
        .options(db.joinedload(CompanyMember.company)))]


@bp.route("/mine")
@require(can_write_entries)
def mine():
    companies = _my_companies()
    entries = queries.entries_of([c.id for c in companies])
    listable = {c.id for c in companies if queries.may_be_listed(c.id)}
    return render_template("catalogue/mine.html", companies=companies, entries=entries, listable=listable,
                           version_forms={e.id: VersionForm(formdata=None, version=e.version_id) for e in entries})


def _groups():
    return queries.groups(active_only=True)


@bp.route("/company/<int:company_id>/new", methods=["GET", "POST"])
@require(can_write_entries)
def new(company_id):
    company = db.session.get(Company, company_id)
    if company is None or not can_write_entry_of(current_user, company):
        abort(404)
    form = NewEntryForm(_groups())
    done = save_form(form, lambda: services.create_entry(company, form.fields, actor=current_user,
                                                         listed=form.listed.data),
                     message=_("Product sent: the incubator's staff will check it before it shows."),
                     to=url_for("catalogue.mine"))
    return done or (render_template("catalogue/form.html", form=form, company=company, entry=None),
                    form_status(form))


def _own_entry(product_id: int) -> ProductEntry:
    entry = queries.entry(product_id)
    if entry is None or not can_write_entry_of(current_user, entry.company):
        abort(404)
    return entry


@bp.route("/entries/<int:product_id>/edit", methods=["GET", "POST"])
@require(can_write_entries)
def edit(product_id):
    entry = _own_entry(product_id)
    shown = entry.pending or (entry.revisions[-1] if entry.revisions else None)
    form = EntryForm(_groups())
    if request.method == "GET":
        data = dict(shown.data) if shown is not None else {}
        for key, value in data.items():
            field = getattr(form, key, None)
            if field is not None:
                field.data = services_date(value) if key == "on_market_since" else value
        form.version.data = entry.version_id
    done = save_form(form, lambda: services.propose_change(entry, form.fields, actor=current_user,
                                                           version=form.version.data),
                     message=_("Change sent: the public page shows the approved version until staff approve it."),
                     to=url_for("catalogue.mine"))
    return done or (render_template("catalogue/form.html", form=form, company=entry.company, entry=entry),
                    form_status(form))


def services_date(value):
    from datetime import date

    return date.fromisoformat(value) if value else None


@bp.route("/entries/<int:product_id>/listing", methods=["POST"])
@require(can_write_entries)
def listing(product_id):
    entry = _own_entry(product_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    listed = request.form.get("listed") == "1"
    services.set_listed(entry, listed, actor=current_user, version=form.version.data)
    flash(_("The product is listed in the public catalogue once approved.") if listed
          else _("The product has been withdrawn from the public catalogue."), "success")
    return redirect(url_for("catalogue.mine"))


# ---- Staff -----------------------------------------------------------------------------------------------------

@bp.route("/waiting")
@require(can_review_entries)
def waiting():
    pager = db.paginate(queries.waiting(staff_scope()), page=page_arg(), per_page=50, error_out=False)
    return render_template("catalogue/waiting.html", pager=pager)


def _reviewable(product_id: int) -> ProductEntry:
    entry = queries.entry(product_id)
    if entry is None or not can_review_entry(current_user, entry):
        abort(404)
    return entry


FIELD_LABELS = {
    "name_vi": _l("Name (Vietnamese)"), "name_en": _l("Name (English)"), "summary_vi": _l("What it does (Vietnamese)"),
    "summary_en": _l("What it does (English)"), "audience_vi": _l("For whom (Vietnamese)"),
    "audience_en": _l("For whom (English)"), "pillar": _l("Digital pillar"), "group_id": _l("Product group"),
    "on_market_since": _l("On the market since"), "public_customers": _l("Public-sector customers"),
    "website": _l("Website")}


def show_value(key: str, value, group_names: dict) -> str:
    """A field's value in a change's diff, as a reader reads it."""
    from datetime import date

    from incubator.i18n import fmt_date

    if value in (None, ""):
        return "—"
    if key == "pillar":
        return Pillar(value).label
    if key == "group_id":
        return group_names.get(value, "—")
    if key == "on_market_since":
        return fmt_date(date.fromisoformat(value))
    return str(value)


TEXT_FIELDS = {"name_vi", "name_en", "summary_vi", "summary_en", "audience_vi", "audience_en", "public_customers",
               "website"}


def word_changes(old: str | None, new: str | None) -> tuple[list, list]:
    """A text's change word by word, for the staff's diff: (the words shown now, the words proposed), each a list
    of (changed, text) where ``changed`` marks what the proposal takes out of the first and puts into the second;
    the words both keep are not marked, so a sentence added to a long description stands out."""
    from difflib import SequenceMatcher

    before, after = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    shown, proposed = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            shown.append((False, "".join(before[i1:i2])))
            proposed.append((False, "".join(after[j1:j2])))
            continue
        _marked(shown, "".join(before[i1:i2]))
        _marked(proposed, "".join(after[j1:j2]))
    return shown, proposed


def _marked(segments: list, text: str) -> None:
    """A changed stretch, its surrounding spaces left unmarked."""
    core = text.strip()
    if not core:
        if text:
            segments.append((False, text))
        return
    start = text.index(core)
    if start:
        segments.append((False, text[:start]))
    segments.append((True, core))
    if text[start + len(core):]:
        segments.append((False, text[start + len(core):]))


def _review_page(entry: ProductEntry, approve_form=None, refuse_form=None, status: int = 200):
    revision = entry.pending
    group_names = {g.id: g.name for g in queries.groups()}
    return render_template(
        "catalogue/review.html", entry=entry, revision=revision, field_labels=FIELD_LABELS, show_value=show_value,
        text_fields=TEXT_FIELDS, word_changes=word_changes,
        changes=services.changes(entry, revision) if revision is not None else [], group_names=group_names,
        approve_form=approve_form or VersionForm(formdata=None, version=entry.version_id),
        refuse_form=refuse_form or RefuseForm(formdata=None, version=entry.version_id)), status


@bp.route("/entries/<int:product_id>/review")
@require(can_review_entries)
def review(product_id):
    return _review_page(_reviewable(product_id))


@bp.route("/entries/<int:product_id>/approve", methods=["POST"])
@require(can_review_entries)
def approve(product_id):
    entry = _reviewable(product_id)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            services.approve(entry, actor=current_user, version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Change approved: the public page shows it."), "success")
            return redirect(url_for("catalogue.waiting"))
    return _review_page(entry, approve_form=form, status=400)


@bp.route("/entries/<int:product_id>/refuse", methods=["POST"])
@require(can_review_entries)
def refuse(product_id):
    entry = _reviewable(product_id)
    form = RefuseForm()
    if form.validate_on_submit():
        try:
            services.refuse(entry, actor=current_user, reason=form.reason.data, version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Change refused: the founder is told why."), "success")
            return redirect(url_for("catalogue.waiting"))
    return _review_page(entry, refuse_form=form, status=400)


@bp.route("/groups", methods=["GET", "POST"])
@require(can_keep_product_groups)
def groups():
    form = GroupForm()
    done = save_form(form, lambda: services.create_group(actor=current_user, **form.fields),
                     message=_("Product group added."), to=url_for("catalogue.groups"))
    return done or (render_template("catalogue/groups.html", groups=queries.groups(), form=form),
                    form_status(form))


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@require(can_keep_product_groups)
def edit_group(group_id):
    group = db.get_or_404(ProductGroup, group_id)
    form = EditGroupForm(obj=group)
    if request.method == "GET":
        form.version.data = group.version_id
    done = save_form(form, lambda: services.update_group(group, actor=current_user, version=form.version.data,
                                                         **form.fields),
                     message=_("Product group saved."), to=url_for("catalogue.groups"))
    return done or (render_template("catalogue/group.html", group=group, form=form), form_status(form))
