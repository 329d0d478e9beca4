"""The migration that makes claims wait for staff treats the rows already on file: businesses are verified but
those a founder was let into without staff, and claims of businesses already on file that the earlier code
gave away at once go back to staff."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember
from incubator.db import utcnow

MIGRATION = next((Path(__file__).resolve().parents[2] / "migrations" / "versions")
                 .glob("*_business_claims_verified.py"))


def _migration():
    spec = importlib.util.spec_from_file_location("claims_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_verifies_what_staff_entered_and_sends_claims_given_away_back_to_staff(make, db):
    now = utcnow()
    staff = make.user(Role.STAFF)
    entered = make.company(verified_at=None, created_at=now - timedelta(days=90))
    registered = make.company(verified_at=None, created_at=now - timedelta(days=30))
    own = make.member(company=registered, created_at=registered.created_at + timedelta(seconds=1),
                      decided_at=registered.created_at)
    taken = make.company(verified_at=None, created_at=now - timedelta(days=60))
    given_away = make.member(company=taken, created_at=now - timedelta(days=2), decided_at=now - timedelta(days=2))
    approved = make.company(verified_at=None, created_at=now - timedelta(days=60))
    by_staff = make.member(company=approved, created_at=now - timedelta(days=3), decided_by_id=staff.id,
                           decided_at=now - timedelta(days=1))
    db.session.commit()

    _migration().backfill(db.session.connection())
    db.session.commit()
    db.session.expire_all()

    verified = {c.id: c.verified_at is not None for c in db.session.scalars(sa.select(Company))}
    assert verified == {entered.id: True, registered.id: False, taken.id: False, approved.id: True}
    status = {m.id: m.status for m in db.session.scalars(sa.select(CompanyMember))}
    assert status == {own.id: MembershipStatus.APPROVED, given_away.id: MembershipStatus.PENDING,
                      by_staff.id: MembershipStatus.APPROVED}
    assert db.session.get(Company, entered.id).verified_at == entered.created_at
