"""argon2 at a rush: OWASP's parameters (a hash made with others is made again at the next successful login),
never run inside a database transaction, and at most PASSWORD_HASHING_CONCURRENCY at once per process (a login
waiting too long answers 503 with Retry-After while other pages go on)."""

from __future__ import annotations

import re
import threading
import time

import argon2
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from incubator import security
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.auth.models import LoginAttempt, User
from incubator.mail.models import OutboxMessage
from tests.conftest import PRODUCTION_HASHER
from tests.helpers import PASSWORD, csrf_token, login, post_form

GOOD = "Pho-co-Hang-Bac-2026"
NEWER = "Cau-Long-Bien-Song-Hong-2027"


def test_the_parameters_are_owasps_for_argon2id():
    """OWASP's Password Storage Cheat Sheet: argon2id, 19 MiB, 2 passes, 1 lane."""
    parameters = argon2.extract_parameters(PRODUCTION_HASHER.hash("Bat-ky-mat-khau-2026"))
    assert parameters.type is argon2.Type.ID
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (19 * 1024, 2, 1)


@pytest.mark.usefixtures("real_password_hashing")
def test_a_hash_with_the_old_parameters_is_made_again_at_the_next_successful_login(client_factory, make, db):
    old_hash = PasswordHasher().hash(PASSWORD)  # argon2-cffi's defaults, the application's parameters before
    user = make.user(Role.STAFF, password_hash=old_hash)
    assert security.password_needs_rehash(old_hash)

    refused = post_form(client_factory(), "/login", {"email": user.email, "password": "Sai-mat-khau-2026"},
                        token_from="/login")
    assert refused.status_code == 401
    db.session.refresh(user)
    assert user.password_hash == old_hash, "a failed login changes nothing"

    login(client_factory(), user)
    db.session.refresh(user)
    assert user.password_hash != old_hash
    assert argon2.extract_parameters(user.password_hash) == argon2.extract_parameters(PRODUCTION_HASHER.hash("x"))
    assert not security.password_needs_rehash(user.password_hash)
    assert security.verify_password(user.password_hash, PASSWORD)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.password_rehash"))
    assert entry.actor_id == user.id and entry.object_id == str(user.id)
    assert entry.details == {"from": "m=65536,t=3,p=4", "to": "m=19456,t=2,p=1"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)
                             .where(LoginAttempt.succeeded.is_(True))) == 1

    login(client_factory(), user)  # current now: not made again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "user.password_rehash")) == 1


class SpyHasher:
    """The suite's hasher, noting for each call whether the request's session had a transaction open and how
    many connections were out of the pool; ``gate`` (when set) holds each call until it is opened."""

    def __init__(self, real, db, gate: threading.Event | None = None):
        self.real, self.db, self.gate = real, db, gate
        self.calls: list[tuple[str, bool, int]] = []
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def _run(self, what, fn, *args):
        with self.lock:
            self.calls.append((what, self.db.session().in_transaction(), self.db.engine.pool.checkedout()))
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if self.gate is not None:
                assert self.gate.wait(20)
            return fn(*args)
        finally:
            with self.lock:
                self.running -= 1

    def hash(self, password):
        return self._run("hash", self.real.hash, password)

    def verify(self, password_hash, password):
        return self._run("verify", self.real.verify, password_hash, password)

    def check_needs_rehash(self, password_hash):
        return self.real.check_needs_rehash(password_hash)

    def __getattr__(self, name):  # time_cost, memory_cost … as the real one's
        return getattr(self.real, name)


def _mail_link(db, to: str) -> str:
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == to)
                                .order_by(OutboxMessage.id.desc()))
    return re.search(r"http://localhost(/\S+)", message.body_text).group(1)


def test_no_transaction_is_open_while_argon2_runs(client_factory, make, db, monkeypatch):
    """Login (and its new hash), registration, invitation, password change and reset, correcting an unconfirmed
    address: each argon2 run happens with the request's session outside any transaction and every connection
    back in the pool (no snapshot, row lock or SQLite write lock held meanwhile)."""
    admin = make.user(Role.ADMIN)
    old = make.user(Role.STAFF, password_hash=PasswordHasher(time_cost=1, memory_cost=16, parallelism=1)
                    .hash(PASSWORD))
    spy = SpyHasher(security._hasher, db)
    monkeypatch.setattr(security, "_hasher", spy)

    login(client_factory(), old)  # verified, then made again with today's parameters
    db.session.refresh(old)
    assert security._hasher.check_needs_rehash(old.password_hash) is False
    founder = client_factory()
    assert post_form(founder, "/register", {"full_name": "Đặng Thị Mai", "email": "mai@vuonuom.example",
                                            "password": GOOD, "confirm": GOOD},
                     token_from="/register").status_code == 302
    assert post_form(founder, "/account/confirm", {"email": "mai.dang@vuonuom.example", "password": GOOD},
                     token_from="/account/confirm").status_code == 302
    anonymous = client_factory()
    assert post_form(anonymous, "/password/forgot", {"email": old.email}).status_code == 302
    link = _mail_link(db, old.email)
    assert post_form(anonymous, link, {"password": GOOD, "confirm": GOOD}, token_from=link).status_code == 302
    admin_client = client_factory()
    login(admin_client, admin)
    assert post_form(admin_client, "/account", {"current_password": PASSWORD, "password": NEWER, "confirm": NEWER},
                     token_from="/account").status_code == 302
    from incubator.auth import services

    services.invite(admin, "moi@vuonuom.example", "Lê Văn Mới", [Role.STAFF], None, "vi")
    db.session.commit()
    link = _mail_link(db, "moi@vuonuom.example")
    assert post_form(client_factory(), link, {"full_name": "Lê Văn Mới", "password": GOOD, "confirm": GOOD},
                     token_from=link).status_code == 302

    kinds = [what for what, _, _ in spy.calls]
    # login: verify + new hash; register: hash; correct the address: verify; reset: hash; admin's login: verify;
    # password change: verify + hash; invitation: hash.
    assert kinds == ["verify", "hash", "hash", "verify", "hash", "verify", "verify", "hash", "hash"], kinds
    assert all(not in_transaction and out == 0 for _, in_transaction, out in spy.calls), spy.calls
    assert db.session.scalar(sa.select(User.email).where(User.email == "mai.dang@vuonuom.example"))


def _login_form(client) -> dict:
    """The CSRF token of the login page, fetched in the test's own thread (the threads only post)."""
    return {"csrf_token": csrf_token(client, "/login")}


def _login_in_thread(client, email, results, i):
    try:
        response = client.post("/login", data={**client.login_form, "email": email, "password": PASSWORD})
        results[i] = response.status_code
    except Exception as exc:  # reported by the assertion below
        results[i] = repr(exc)


def _wait_for(condition, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def hashing_slots(app, monkeypatch):
    """A fresh bound for this test: ``hashing_slots(n, wait)``."""

    def _set(n: int, wait: float):
        monkeypatch.setitem(app.config, "PASSWORD_HASHING_CONCURRENCY", n)
        monkeypatch.setitem(app.config, "PASSWORD_HASHING_WAIT_SECONDS", wait)
        monkeypatch.setitem(app.extensions, "incubator.hashing_slots", threading.BoundedSemaphore(n))

    return _set


def test_no_more_logins_are_hashed_at_once_than_the_bound_and_pages_go_on(client_factory, make, db, monkeypatch,
                                                                         hashing_slots):
    hashing_slots(2, 15)
    users = [make.user(Role.FOUNDER) for _ in range(6)]
    gate = threading.Event()
    spy = SpyHasher(security._hasher, db, gate)
    monkeypatch.setattr(security, "_hasher", spy)
    clients = [client_factory() for _ in users]
    for c in clients:
        c.login_form = _login_form(c)  # the login page first, outside the rush
    page = client_factory()
    results: list = [None] * len(users)
    threads = [threading.Thread(target=_login_in_thread, args=(c, u.email, results, i))
               for i, (c, u) in enumerate(zip(clients, users, strict=True))]
    try:
        for t in threads:
            t.start()
        assert _wait_for(lambda: spy.running == 2), "two logins hash at once"
        time.sleep(0.5)  # the four others have reached the bound meanwhile
        assert spy.running == 2
        start = time.monotonic()
        plain = page.get("/login")
        assert plain.status_code == 200 and time.monotonic() - start < 5, "a page is served while they wait"
    finally:
        gate.set()
        for t in threads:
            t.join(30)
    assert results == [302] * len(users), results
    assert spy.most_at_once == 2


def test_a_login_waiting_too_long_for_its_turn_answers_503_with_retry_after(client_factory, make, db, monkeypatch,
                                                                          hashing_slots):
    hashing_slots(1, 0.3)
    first, second = make.user(Role.FOUNDER), make.user(Role.FOUNDER)
    gate = threading.Event()
    spy = SpyHasher(security._hasher, db, gate)
    monkeypatch.setattr(security, "_hasher", spy)
    first_client, second_client = client_factory(), client_factory()
    first_client.login_form = _login_form(first_client)
    results = [None]
    thread = threading.Thread(target=_login_in_thread, args=(first_client, first.email, results, 0))
    try:
        thread.start()
        assert _wait_for(lambda: spy.running == 1)
        busy = post_form(second_client, "/login", {"email": second.email, "password": PASSWORD},
                         token_from="/login")
        assert busy.status_code == 503
        assert busy.headers["Retry-After"].isdigit() and int(busy.headers["Retry-After"]) >= 1
        html = busy.get_data(as_text=True)
        assert 'id="email"' in html and second.email in html, "the form again, with the address typed"
        assert "Wait a few seconds" in html or "vài giây" in html  # before or after the translations merge
        # Nothing checked, nothing recorded: the attempt does not count towards the limit.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)
                                 .where(LoginAttempt.email == second.email)) == 0

        register = post_form(client_factory(), "/register", {
            "full_name": "Đặng Thị Mai", "email": "mai@vuonuom.example", "password": GOOD, "confirm": GOOD},
            token_from="/register")
        assert register.status_code == 503 and register.headers["Retry-After"].isdigit()
        assert db.session.scalar(sa.select(User).where(User.email == "mai@vuonuom.example")) is None
    finally:
        gate.set()
        thread.join(30)
    assert results == [302]
    login(second_client, second)  # a slot free again: the login goes through


def test_a_hash_changed_during_the_check_is_checked_again_outside_the_transaction(client, make, db, monkeypatch):
    """Another login of the same person stored a new hash of the same password meanwhile: this login checks
    the new hash too, after the transaction that noticed the change has ended, and succeeds."""
    user = make.user(Role.STAFF)
    user_id, first_hash = user.id, user.password_hash
    same_password_again = security.hash_password(PASSWORD)
    seen = []
    real_verify = security.verify_password

    def verify_then_store_another_hash(password_hash, password):
        seen.append((password_hash, db.session().in_transaction(), db.engine.pool.checkedout()))
        ok = real_verify(password_hash, password)
        if password_hash == first_hash:
            with db.engine.begin() as conn:
                conn.execute(sa.update(User).where(User.id == user_id).values(password_hash=same_password_again))
        return ok

    monkeypatch.setattr(security, "verify_password", verify_then_store_another_hash)
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD}, token_from="/login")
    assert response.status_code == 302
    assert seen == [(first_hash, False, 0), (same_password_again, False, 0)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 1
