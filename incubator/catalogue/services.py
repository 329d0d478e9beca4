"""The catalogue's changes: the product groups staff keep; a founder's entry and its changes, each waiting for
staff (approved, or refused with a reason e-mailed to the founder); the business's consent to be listed; a
reader's message to a business. Each flushes and records itself in the audit log; the request commits."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from incubator.audit import services as audit
from incubator.catalogue.enums import RevisionStatus
from incubator.catalogue.models import FIELDS, ProductEntry, ProductGroup, ProductMessage, ProductRevision
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.outcomes.enums import Pillar
from incubator.text import clean_text, fold, vietnamese_sort_key

# The city's key digital product groups, as a fresh installation starts with them (migration d0e1f2a3b4c5 seeds
# its own copy). Staff change the list afterwards.
DEFAULT_GROUPS = [
    ("EGOV", "Nền tảng chính quyền số", "Digital government platforms"),
    ("FINTECH", "Thanh toán số và công nghệ tài chính", "Digital payments and fintech"),
    ("ECOMMERCE", "Nền tảng thương mại điện tử", "E-commerce platforms"),
    ("HEALTH", "Y tế số", "Digital health"),
    ("EDUCATION", "Giáo dục số", "Digital education"),
    ("SMARTCITY", "Đô thị thông minh và Internet vạn vật (IoT)", "Smart city and the Internet of Things"),
    ("SECURITY", "An toàn, an ninh mạng", "Cybersecurity"),
    ("DATA_AI", "Dữ liệu lớn và trí tuệ nhân tạo", "Big data and artificial intelligence"),
    ("CONTENT", "Nội dung số", "Digital content"),
    ("LOGISTICS", "Giao thông và logistics số", "Digital transport and logistics"),
]

LIMITS = {"name_vi": 200, "name_en": 200, "summary_vi": 3000, "summary_en": 3000, "audience_vi": 500,
          "audience_en": 500, "public_customers": 1000, "website": 300}
EARLIEST = date(1990, 1, 1)


# ---- Product groups ----------------------------------------------------------------------------------------------

def ensure_default_groups() -> int:
    """Add the default groups whose code is not on the list yet; returns how many were added."""
    known = set(db.session.scalars(sa.select(ProductGroup.code)))
    added = 0
    for index, (code, name_vi, name_en) in enumerate(DEFAULT_GROUPS):
        if code not in known:
            db.session.add(ProductGroup(code=code, name_vi=name_vi, name_en=name_en, position=(index + 1) * 10))
            added += 1
    db.session.flush()
    return added


def _group_fields(fields: dict) -> dict:
    code = re.sub(r"[^A-Z0-9_]", "", (fields.get("code") or "").upper())[:40]
    if not code:
        raise DomainError(_l("Give the group a code of letters, digits and underscores."), field="code")
    cleaned = {"code": code, "position": int(fields.get("position") or 0), "active": bool(fields.get("active"))}
    for key in ("name_vi", "name_en"):
        value = clean_text(fields.get(key), 200)
        if not value:
            raise DomainError(_l("This field is required."), field=key)
        cleaned[key] = value
    return cleaned


def _check_code(code: str, exclude_id: int | None = None) -> None:
    query = sa.select(ProductGroup.id).where(ProductGroup.code == code)
    if exclude_id is not None:
        query = query.where(ProductGroup.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise DomainError(_l("Another group has this code."), field="code")


def create_group(*, actor, **fields) -> ProductGroup:
    cleaned = _group_fields(fields)
    _check_code(cleaned["code"])
    group = ProductGroup(**cleaned)
    db.session.add(group)
    db.session.flush()
    audit.record("product_group.create", group, label=group.name_vi, actor=actor, details={"code": group.code})
    return group


def update_group(group: ProductGroup, *, actor, version=None, **fields) -> ProductGroup:
    expect_version(group, version)
    cleaned = _group_fields(fields)
    _check_code(cleaned["code"], exclude_id=group.id)
    before = {key: getattr(group, key) for key in cleaned}
    for key, value in cleaned.items():
        setattr(group, key, value)
    db.session.flush()
    changed = {key: [before[key], value] for key, value in cleaned.items() if before[key] != value}
    audit.record("product_group.update", group, label=group.name_vi, actor=actor, details={"changed": changed})
    return group


# ---- Entries: founders propose, staff decide ----------------------------------------------------------------------

def slugify(text: str | None) -> str:
    """The address's words: "Ví điện tử Hà Nội" -> "vi-dien-tu-ha-noi"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:100] or "san-pham"


def _clean_data(data: dict) -> dict:
    """The proposed fields, checked and in the shape a revision stores (dates in ISO, the pillar's value)."""
    cleaned: dict = {}
    for key, limit in LIMITS.items():
        value = clean_text(data.get(key), limit)
        cleaned[key] = value
    for key in ("name_vi", "summary_vi", "audience_vi"):
        if not cleaned[key]:
            raise DomainError(_l("This field is required."), field=key)
    website = cleaned["website"]
    if website and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", website, flags=re.IGNORECASE):
        raise DomainError(_l("Give the full address of the website, starting with https://."), field="website")
    try:
        pillar = Pillar(data.get("pillar"))
    except ValueError:
        raise DomainError(_l("Choose the digital pillar the product serves."), field="pillar") from None
    cleaned["pillar"] = pillar.value
    group_id = data.get("group_id")
    group = db.session.get(ProductGroup, int(group_id)) if group_id not in (None, "", 0) else None
    if group is None or not group.active:
        raise DomainError(_l("Choose the product group."), field="group_id")
    cleaned["group_id"] = group.id
    since = data.get("on_market_since")
    if isinstance(since, str):
        since = date.fromisoformat(since) if since else None
    if since is not None:
        from incubator.i18n import local_today

        if since < EARLIEST or since > local_today():
            raise DomainError(_l("The date it came to market must be between 1990 and today."),
                              field="on_market_since")
    cleaned["on_market_since"] = since.isoformat() if since else None
    return cleaned


def _current_data(entry: ProductEntry) -> dict:
    """The approved version in a revision's shape (empty values before the first approval)."""
    data = {key: getattr(entry, key) for key in FIELDS}
    data["pillar"] = entry.pillar.value if entry.pillar else None
    data["on_market_since"] = entry.on_market_since.isoformat() if entry.on_market_since else None
    return data


def changes(entry: ProductEntry, revision: ProductRevision) -> list[tuple[str, object, object]]:
    """(field, approved value, proposed value) of every field the revision changes, in FIELDS's order."""
    current = _current_data(entry)
    return [(key, current.get(key), revision.data.get(key)) for key in FIELDS
            if (current.get(key) or None) != (revision.data.get(key) or None)]


def _label(entry: ProductEntry, data: dict | None = None) -> str:
    name = (data or {}).get("name_vi") or entry.name_vi or ""
    return f"{entry.company.name}: {name}"


def _supersede_pending(entry: ProductEntry, actor) -> None:
    for revision in entry.revisions:
        if revision.is_pending:
            revision.status = RevisionStatus.SUPERSEDED
            revision.decided_at = utcnow()
            revision.decided_by_id = getattr(actor, "id", None)


def create_entry(company, data: dict, *, actor, listed: bool = True) -> ProductEntry:
    """A founder writes a new entry of their business: nothing shows until staff approve it. ``listed``: the
    business consents to be listed (the date is kept; the founder may withdraw it)."""
    from incubator.catalogue.queries import may_be_listed

    if not may_be_listed(company.id):
        raise DomainError(_l("Only incubated and graduated startups are listed in the catalogue."))
    cleaned = _clean_data(data)
    now = utcnow()
    entry = ProductEntry(company=company, created_by_id=getattr(actor, "id", None), pending_since=now,
                         listed_at=now if listed else None)
    db.session.add(entry)
    entry.revisions.append(ProductRevision(data=cleaned, submitted_by_id=getattr(actor, "id", None),
                                           submitted_at=now))
    db.session.flush()
    audit.record("product.propose", entry, label=_label(entry, cleaned), actor=actor, to_state=RevisionStatus.PENDING,
                 details={"new": True, "listed": listed})
    return entry


def propose_change(entry: ProductEntry, data: dict, *, actor, version=None) -> ProductRevision:
    """A founder changes the entry: the change waits for staff (a change still waiting is replaced by this one);
    the public page keeps the last approved version until then."""
    expect_version(entry, version)
    cleaned = _clean_data(data)
    if cleaned == _current_data(entry) and entry.is_approved:
        raise DomainError(_l("Nothing was changed."))
    _supersede_pending(entry, actor)
    now = utcnow()
    revision = ProductRevision(data=cleaned, submitted_by_id=getattr(actor, "id", None), submitted_at=now)
    entry.revisions.append(revision)
    entry.pending_since = now
    db.session.flush()
    audit.record("product.propose", entry, label=_label(entry, cleaned), actor=actor, to_state=RevisionStatus.PENDING,
                 details={"changed": [key for key, _old, _new in changes(entry, revision)]})
    return revision


def _pending(entry: ProductEntry) -> ProductRevision:
    revision = entry.pending
    if revision is None:
        raise DomainError(_l("No change of this product is waiting for approval."))
    return revision


def approve(entry: ProductEntry, *, actor, version=None) -> ProductEntry:
    """Staff approve the change waiting: it becomes what the public page shows."""
    expect_version(entry, version)
    revision = _pending(entry)
    changed = [key for key, _old, _new in changes(entry, revision)]
    data = revision.data
    for key in FIELDS:
        value = data.get(key)
        if key == "pillar":
            value = Pillar(value) if value else None
        elif key == "on_market_since":
            value = date.fromisoformat(value) if value else None
        setattr(entry, key, value)
    now = utcnow()
    entry.name_sort = vietnamese_sort_key(entry.name_vi)[:1000]
    entry.slug = slugify(entry.name_vi)
    entry.search_folded = fold(" ".join(filter(None, [
        entry.name_vi, entry.name_en, entry.summary_vi, entry.summary_en, entry.audience_vi, entry.audience_en,
        entry.public_customers, entry.company.name])))
    entry.approved_at = now
    entry.approved_by_id = getattr(actor, "id", None)
    entry.pending_since = None
    revision.status = RevisionStatus.APPROVED
    revision.decided_at = now
    revision.decided_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record("product.approve", entry, label=_label(entry), actor=actor, from_state=RevisionStatus.PENDING,
                 to_state=RevisionStatus.APPROVED, details={"changed": changed, "revision": revision.id})
    return entry


def refuse(entry: ProductEntry, *, actor, reason: str | None, version=None) -> ProductRevision:
    """Staff refuse the change waiting, with the reason e-mailed to the founder who proposed it; the public page
    keeps the last approved version."""
    expect_version(entry, version)
    revision = _pending(entry)
    reason = clean_text(reason, 1000)
    if not reason:
        raise DomainError(_l("Give the reason the founder will read."), field="reason")
    revision.status = RevisionStatus.REFUSED
    revision.reason = reason
    revision.decided_at = utcnow()
    revision.decided_by_id = getattr(actor, "id", None)
    entry.pending_since = None
    db.session.flush()
    audit.record("product.refuse", entry, label=_label(entry, revision.data), actor=actor, reason=reason,
                 from_state=RevisionStatus.PENDING, to_state=RevisionStatus.REFUSED,
                 details={"revision": revision.id})
    _tell_founder(entry, revision)
    return revision


def _tell_founder(entry: ProductEntry, revision: ProductRevision) -> None:
    from incubator.mail.services import send_to

    founder = revision.submitted_by
    if founder is None or not founder.active:
        return
    from incubator.urls import external_url

    send_to(founder, "product_refused",
            lambda: gettext("Your change of %(product)s was not approved",
                            product=revision.data.get("name_vi") or ""),
            event=f"product-refused:{revision.id}", entry=entry, revision=revision, company=entry.company,
            link=external_url("catalogue.edit", product_id=entry.id))


def set_listed(entry: ProductEntry, listed: bool, *, actor, version=None) -> ProductEntry:
    """The business gives or withdraws its consent to be listed: withdrawn, the entry disappears at once."""
    expect_version(entry, version)
    if listed == entry.is_listed:
        return entry
    now = utcnow()
    if listed:
        entry.listed_at, entry.unlisted_at = now, None
    else:
        entry.listed_at, entry.unlisted_at = None, now
    db.session.flush()
    audit.record("product.list" if listed else "product.unlist", entry, label=_label(entry), actor=actor)
    return entry


# ---- A reader writes to a business ------------------------------------------------------------------------------

class TooManyMessages(DomainError):
    status_code = 429


def _limit(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def check_message_limits(entry: ProductEntry, ip_address: str, now: datetime | None = None) -> None:
    """At most CATALOGUE_MESSAGES_PER_IP (5) messages an hour from one address, and CATALOGUE_MESSAGES_PER_PRODUCT
    (20) a day to one product, counted in the database so that the limits hold across servers."""
    now = now or utcnow()
    from_here = db.session.scalar(sa.select(sa.func.count(ProductMessage.id)).where(
        ProductMessage.ip_address == ip_address, ProductMessage.sent_at > now - timedelta(hours=1)))
    if from_here >= _limit("CATALOGUE_MESSAGES_PER_IP", 5):
        raise TooManyMessages(_l("Too many messages have been sent from your address. Try again in an hour."))
    to_it = db.session.scalar(sa.select(sa.func.count(ProductMessage.id)).where(
        ProductMessage.entry_id == entry.id, ProductMessage.sent_at > now - timedelta(days=1)))
    if to_it >= _limit("CATALOGUE_MESSAGES_PER_PRODUCT", 20):
        raise TooManyMessages(_l("This business has received many messages today. Try again tomorrow."))


def send_message(entry: ProductEntry, *, name: str, email: str, organisation: str | None, message: str,
                 ip_address: str, now: datetime | None = None) -> int:
    """E-mail a reader's message to the founders of the business (the reader's address as Reply-To), once the
    limits allow it; the message is not kept nor shown. Returns how many founders it was sent to."""
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import CompanyMember
    from incubator.mail.services import send_to
    from incubator.urls import external_url

    check_message_limits(entry, ip_address, now)
    founders = [member.user for member in db.session.scalars(
        sa.select(CompanyMember).where(CompanyMember.company_id == entry.company_id,
                                       CompanyMember.status == MembershipStatus.APPROVED)
        .options(sa.orm.joinedload(CompanyMember.user)))
        if member.user is not None and member.user.active]
    if not founders:
        raise DomainError(_l("This business cannot be reached through the catalogue at the moment."))
    record = ProductMessage(entry_id=entry.id, ip_address=(ip_address or "")[:45], sent_at=now or utcnow())
    db.session.add(record)
    db.session.flush()
    for founder in founders:
        send_to(founder, "product_message",
                lambda: gettext("A message about %(product)s from the catalogue", product=entry.name_vi or ""),
                reply_to=email, entry=entry, link=external_url("catalogue.product", product_id=entry.id,
                                                               slug=entry.slug or "san-pham"),
                sender_name=name, sender_email=email,
                sender_organisation=organisation, message=message)
    audit.record("product.message", entry, label=_label(entry), actor=None,
                 details={"founders": len(founders)})
    return len(founders)
