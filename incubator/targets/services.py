from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from incubator import bounds
from incubator.audit import services as audit
from incubator.extensions import db
from incubator.targets.enums import TargetKind
from incubator.targets.models import Target

DEFAULT_TARGETS = [
    {
        "code": "IT70",
        "name_vi": "Tỷ lệ doanh nghiệp CNTT khởi nghiệp được ươm tạo trong tổng số doanh nghiệp CNTT hoạt động "
                   "trong Vườn ươm",
        "name_en": "Share of incubated IT startups among the IT businesses operating in the incubator",
        "kind": TargetKind.INCUBATED_IT_RATIO,
        "threshold": Decimal("70"),
        "window_start": None,
        "window_end": None,
        "source_document": "Kế hoạch phát triển công nghiệp CNTT thành phố Hà Nội giai đoạn 2016–2020",
    },
    {
        "code": "GRAD10",
        "name_vi": "Doanh nghiệp khởi nghiệp đổi mới sáng tạo về công nghệ số được ươm tạo, có sản phẩm phục vụ "
                   "chính quyền số, kinh tế số, xã hội số",
        "name_en": "Innovative digital-technology startups incubated with products serving digital government, "
                   "economy or society",
        "kind": TargetKind.GRADUATE_COUNT,
        "threshold": Decimal("10"),
        "window_start": date(2024, 1, 1),
        "window_end": date(2025, 12, 31),
        "source_document": "Kế hoạch phát triển doanh nghiệp công nghệ số Việt Nam trên địa bàn thành phố Hà Nội "
                           "đến năm 2025",
    },
    {
        "code": "CERT5",
        "name_vi": "Tỷ lệ doanh nghiệp CNTT trong Vườn ươm đạt chứng chỉ CMM, CMMi, ISO/IEC",
        "name_en": "Share of the incubator's IT businesses holding CMM, CMMI or ISO/IEC certificates",
        "kind": TargetKind.CERTIFIED_SHARE,
        "threshold": Decimal("5"),
        "window_start": None,
        "window_end": None,
        "source_document": "Kế hoạch phát triển công nghiệp CNTT thành phố Hà Nội giai đoạn 2016–2020",
    },
]


COPIED = ("code", "name_vi", "name_en", "kind", "threshold", "window_start", "window_end", "source_document")


def _city_targets() -> list[Target]:
    return list(db.session.scalars(sa.select(Target).where(Target.incubator_id.is_(None)).order_by(Target.id)))


def ensure_default_targets() -> int:
    """Create the seeded city targets that do not exist yet (by code), and give every incubator a copy of each
    city target it has no row of that code for; never overwrite staff's edits."""
    existing = {t.code for t in _city_targets()}
    created = 0
    for spec in DEFAULT_TARGETS:
        if spec["code"] in existing:
            continue
        target = Target(**spec)
        db.session.add(target)
        db.session.flush()
        audit.record("target.create", target, to_state=str(spec["threshold"]), reason="default target")
        created += 1
    from incubator.organisation.queries import all_incubators

    for incubator in all_incubators():
        created += len(copy_city_targets(incubator))
    return created


def copy_city_targets(incubator, *, actor=None) -> list[Target]:
    """Give an incubator its own copy of each city target (same code, names, kind, threshold, window and source
    document) it has no row of that code for; its staff may then edit them. Returns the copies made."""
    theirs = set(db.session.scalars(sa.select(Target.code).where(Target.incubator_id == incubator.id)))
    return [_copy(city, incubator, actor=actor) for city in _city_targets() if city.code not in theirs]


def _copy(city: Target, incubator, *, actor=None) -> Target:
    """The incubator's own copy of one city target, audited."""
    copy = Target(incubator_id=incubator.id, **{name: getattr(city, name) for name in COPIED})
    db.session.add(copy)
    db.session.flush()
    audit.record("target.create", copy, to_state=str(copy.threshold), actor=actor,
                 reason=f"copy of the city's target for {incubator.code}")
    return copy


def _incubator_created(incubator, actor=None, **_extra) -> None:
    copy_city_targets(incubator, actor=actor)


def connect_to_organisation() -> None:
    """Called by the factory: a new incubator gets its copies of the city's targets (organisation's
    incubator_created; connecting twice connects once); and a person limited to some incubators reads the city's
    targets and theirs only, whatever the query (organisation's scoping)."""
    from incubator.organisation import scoping
    from incubator.organisation.services import incubator_created

    incubator_created.connect(_incubator_created)  # a module-level function: blinker's weak reference holds
    scoping.limit_city_wide(Target)


def _check_code(code: str, exclude_id: int | None = None, incubator_id: int | None = None) -> None:
    """A code is unique among the city's targets, and among each incubator's."""
    from flask_babel import lazy_gettext as _l

    from incubator.errors import DomainError

    same_owner = Target.incubator_id.is_(None) if incubator_id is None else Target.incubator_id == incubator_id
    clash = db.session.scalar(sa.select(Target.id).where(Target.code == code, same_owner,
                                                         Target.id != (exclude_id or 0)))
    if clash is not None:
        raise DomainError(_l("Another target already has this code."), field="code")


def _check_values(kind: TargetKind, fields: dict) -> None:
    """A ratio's threshold is a percentage (0 to 100); a count's is a whole number, not negative. A window is a
    plan's, which may look far ahead (bounds.PLAN: not before 1990, at most 30 years ahead), its last day not
    before its first."""
    from flask_babel import lazy_gettext as _l

    from incubator.errors import DomainError

    threshold = fields.get("threshold")
    if threshold is None:
        raise DomainError(_l("Enter the threshold."), field="threshold")
    if kind in (TargetKind.INCUBATED_IT_RATIO, TargetKind.CERTIFIED_SHARE):
        bounds.check_percent(threshold, "threshold")
    else:
        bounds.check_not_negative(threshold, "threshold")
        if Decimal(threshold) != Decimal(threshold).to_integral_value():
            raise DomainError(_l("A count of businesses is a whole number."), field="threshold")
    start, end = fields.get("window_start"), fields.get("window_end")
    bounds.PLAN.check(start, "window_start")
    bounds.PLAN.check(end, "window_end")
    if start is not None and end is not None and end < start:
        raise DomainError(_l("The last day cannot be before the first day."), field="window_end")


def create_target(*, actor=None, incubator_id: int | None = None, **fields) -> Target:
    """A new target: the city's (``incubator_id`` None), or an incubator's own."""
    fields["kind"] = TargetKind(fields["kind"])
    _check_code(fields["code"], incubator_id=incubator_id)
    _check_values(fields["kind"], fields)
    target = Target(incubator_id=incubator_id, **fields)
    db.session.add(target)
    db.session.flush()
    audit.record("target.create", target, to_state=str(target.threshold), actor=actor)
    if incubator_id is None:  # a city target added later: each incubator gets its copy, as a new one does
        from incubator.organisation.queries import all_incubators

        for incubator in all_incubators():
            if not db.session.scalar(sa.select(Target.id).where(Target.incubator_id == incubator.id,
                                                                 Target.code == target.code)):
                _copy(target, incubator, actor=actor)
    return target


def update_target(target: Target, *, actor=None, version=None, **fields) -> Target:
    from incubator.errors import expect_version

    expect_version(target, version)
    if "kind" in fields:
        fields["kind"] = TargetKind(fields["kind"])
    if "code" in fields:
        _check_code(fields["code"], exclude_id=target.id, incubator_id=target.incubator_id)
    _check_values(fields.get("kind", target.kind), {key: fields.get(key, getattr(target, key))
                                                    for key in ("threshold", "window_start", "window_end")})
    changed = audit.apply_changes(target, fields)
    if changed:
        db.session.flush()
        audit.record("target.update", target, from_state=changed.get("threshold", [None])[0],
                     to_state=str(target.threshold), actor=actor, details={"changed": changed})
    return target
