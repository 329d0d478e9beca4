"""Timing does not tell which addresses have accounts: a login with an unknown address does the same work as
one with a known address and a wrong password (one argon2 verification, against a hash of the same
parameters, ready before the first login)."""

from __future__ import annotations

import statistics
import time

import argon2
import pytest

from incubator import security
from incubator.auth import services
from incubator.auth.enums import Role
from incubator.errors import DomainError
from tests.helpers import post_form


@pytest.fixture
def verifications(monkeypatch):
    """Every password verification made, as the parameters of the hash it was checked against."""
    seen = []
    real = security.verify_password

    def spy(password_hash, password):
        seen.append(argon2.extract_parameters(password_hash) if password_hash else None)
        return real(password_hash, password)

    monkeypatch.setattr(security, "verify_password", spy)
    return seen


def test_an_unknown_address_is_verified_as_a_wrong_password_is(client, make, verifications):
    user = make.user(Role.FOUNDER)
    for email in ("khong-ton-tai@vuonuom.example", user.email):
        response = post_form(client, "/login", {"email": email, "password": "Sai-mat-khau-2026"},
                             token_from="/login")
        assert response.status_code == 401
    unknown, known = verifications
    assert unknown is not None and unknown == known == argon2.extract_parameters(user.password_hash)


def test_the_stand_in_hash_is_made_at_start_up_with_the_accounts_parameters(app):
    assert security._dummy_hashes, "made when the application was created, not at the first unknown login"
    assert argon2.extract_parameters(security.dummy_hash()) == \
        argon2.extract_parameters(security.hash_password("Bat-ky-mat-khau-2026"))


def _median_seconds(attempt, n=5) -> float:
    times = []
    for i in range(n):
        start = time.perf_counter()
        with pytest.raises(DomainError):
            attempt(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.mark.usefixtures("real_password_hashing")  # argon2 at its real cost: the point of this test
def test_an_unknown_address_takes_about_as_long_as_a_wrong_password(app, make, db):
    users = [make.user(Role.FOUNDER)
             for _ in range(5)]
    db.session.commit()

    def attempt(email, i):
        try:
            services.authenticate(email, "Sai-mat-khau-2026", f"10.0.0.{i}")
        finally:
            db.session.rollback()

    unknown = _median_seconds(lambda i: attempt(f"khong-co-{i}@vuonuom.example", i))
    known = _median_seconds(lambda i: attempt(users[i].email, i))
    # Generous: the point is that one is not twice the other (the gap that gave accounts away was 2x).
    assert 0.5 * known <= unknown <= 1.6 * known + 0.05, (unknown, known)
