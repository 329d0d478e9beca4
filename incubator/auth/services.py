"""Accounts: registration, invitations, login, passwords, roles. Services flush; the request commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from incubator import security
from incubator.audit import services as audit
from incubator.auth.enums import INVITABLE_ROLES, ROLES_IN_AN_INCUBATOR, Role, TokenPurpose
from incubator.auth.models import AccountToken, LoginAttempt, User, UserRole, WebSession
from incubator.db import utcnow
from incubator.errors import Conflict, DomainError, expect_version
from incubator.extensions import db
from incubator.mail import services as mail
from incubator.organisation.current import current_incubator_id, several_incubators
from incubator.organisation.models import Incubator
from incubator.urls import external_url


class LoginRefused(DomainError):
    status_code = 401


class TooManyAttempts(DomainError):
    status_code = 429


class InvalidToken(DomainError):
    status_code = 400


class TokenAlreadyUsed(InvalidToken):
    pass


def _request_ip() -> str:
    from flask import has_request_context, request

    return ((request.remote_addr if has_request_context() else None) or "?")[:45]


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _check_password(password: str, email: str, name: str) -> None:
    problems = security.password_problems(password, email=email, name=name)
    if problems:
        raise DomainError(problems[0], field="password")


def _issue_token(purpose: TokenPurpose, email: str, lifetime: timedelta, *, user: User | None = None,
                 payload: dict | None = None, created_by: User | None = None) -> tuple[str, AccountToken]:
    token = security.new_token()
    row = AccountToken(purpose=purpose, token_hash=security.token_hash(token), email=email,
                       user=user, payload=payload or {}, created_by=created_by,
                       expires_at=utcnow() + lifetime)
    db.session.add(row)
    db.session.flush()
    return token, row


def find_token(token: str | None, purpose: TokenPurpose) -> AccountToken:
    """The usable token row, or InvalidToken with the reason."""
    row = None
    if token and len(token) < 100:
        row = db.session.scalar(sa.select(AccountToken).where(
            AccountToken.token_hash == security.token_hash(token), AccountToken.purpose == purpose))
    if row is None:
        raise InvalidToken(_l("This link is not valid. Check that you copied the whole address."))
    if row.used_at is not None:
        raise TokenAlreadyUsed(_l("This link has already been used."))
    if row.revoked_at is not None:
        raise InvalidToken(_l("This link was withdrawn."))
    if row.expires_at <= utcnow():
        raise InvalidToken(_l("This link has expired. Ask for a new one."))
    return row


# ---- Login and logout -----------------------------------------------------------------------------------

def _recent_failures(column, value):
    """Failures within the window, and since the last success (a login, or a password reset): a statement."""
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    last_success = sa.select(sa.func.max(LoginAttempt.attempted_at)).where(
        column == value, LoginAttempt.succeeded.is_(True)).scalar_subquery()
    return sa.select(sa.func.count()).select_from(LoginAttempt).where(
        column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since,
        sa.or_(last_success.is_(None), LoginAttempt.attempted_at > last_success))


def _check_limits(scalar, email: str, ip_address: str) -> None:
    config = current_app.config
    if ((scalar(_recent_failures(LoginAttempt.email, email)) or 0) >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
            or (scalar(_recent_failures(LoginAttempt.ip_address, ip_address)) or 0)
            >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        raise TooManyAttempts(_l("Too many failed attempts. Wait %(minutes)d minutes, or reset your password.",
                                 minutes=int(config["LOGIN_FAILURE_WINDOW"].total_seconds() // 60)))


def authenticate(email: str, password: str, ip_address: str) -> User:
    """Check the credentials under per-account and per-address limits. Every attempt is recorded (the
    view keeps that record even when the request answers with an error).

    argon2 takes a good part of a second by design, so the password is checked before the request's own
    transaction begins: on SQLite a writing request holds the only write lock from its first query, and
    fifty people logging in at nine o'clock would otherwise queue one behind the other, and every other
    writer behind them. The limits are read first (a blocked attempt costs no hashing), then checked again
    with the write lock held, just before the attempt is recorded, so that they hold exactly: on PostgreSQL,
    whose transactions do not queue on one write lock, attempts on the same account or from the same address
    queue on advisory locks from the second check until their request ends (a burst sent at once would
    otherwise all pass the check before any is recorded). A password changed while it was checked (a reset,
    another login's new hash) is checked again, once the transaction that noticed it has ended.

    A hash made with other parameters than today's (security._hasher) is made again from the password just
    proven, also before the transaction, and stored with the attempt's record (audited): a failed login never
    changes it. argon2 runs at most PASSWORD_HASHING_CONCURRENCY at once per process: a login waiting too long
    for its turn raises security.HashingBusy (503), recording nothing."""
    from incubator.db import outside_transaction, reading_only, serialise_on

    email = normalise_email(email)
    account, ip_address = email[:254], (ip_address or "?")[:45]  # as the attempt is recorded
    ok, new_hash, user = False, None, None
    for _round in range(3):
        with outside_transaction(db.session):  # nothing written yet: a transaction left by a round below ends
            with reading_only(), db.engine.connect() as conn:
                _check_limits(conn.scalar, account, ip_address)
                checked_hash = conn.scalar(sa.select(User.password_hash).where(User.email == email))
            # An unknown address costs what a wrong password costs: the same verification, against a hash made
            # with the same parameters (ready before the first login, see security.dummy_hash): timing tells
            # nothing.
            ok = security.verify_password(checked_hash or security.dummy_hash(), password) \
                and checked_hash is not None
            new_hash = _new_hash_if_due(checked_hash, password) if ok else None

        serialise_on(db.session, f"login-account:{account}", f"login-address:{ip_address}")
        _check_limits(db.session.scalar, account, ip_address)
        user = find_user(email)
        if user is None or user.password_hash == checked_hash:
            break
    else:  # changed at every round: refused, as a wrong password would be
        ok = False
    if user is None:
        ok = False
    db.session.add(LoginAttempt(email=account, ip_address=ip_address, succeeded=ok))
    db.session.flush()
    if not ok:
        raise LoginRefused(_l("Wrong e-mail address or password."))
    if not user.active:
        raise LoginRefused(_l("This account has been deactivated. Contact the incubator staff."))
    if new_hash is not None:
        before = security.hash_parameters(user.password_hash)
        user.password_hash = new_hash
        audit.record("user.password_rehash", user, actor=user,
                     details={"from": before, "to": security.hash_parameters(new_hash)})
    return user


def _new_hash_if_due(checked_hash: str, password: str) -> str | None:
    """A hash of the password with today's parameters when ``checked_hash`` was made with others; None when it
    is current, or when no argon2 slot is free (the login goes on; the next one will try again)."""
    if not security.password_needs_rehash(checked_hash):
        return None
    try:
        return security.hash_password(password)
    except security.HashingBusy:
        return None


def log_in(user: User, session) -> None:
    chosen = session.get("locale")
    if user.locale is None and chosen in current_app.config["LANGUAGES"]:
        user.locale = chosen
    session.regenerate()
    login_user(user)
    user.last_login_at = utcnow()
    audit.record("user.login", user, actor=user)


def log_out(user: User, session) -> None:
    audit.record("user.logout", user, actor=user)
    locale = user.locale or session.get("locale")
    logout_user()
    session.clear()
    session.regenerate()
    if locale:
        session["locale"] = locale  # the login page stays in the language the person chose


# ---- Founders register themselves -----------------------------------------------------------------------

def register_founder(email: str, full_name: str, password: str, locale: str) -> User:
    email = normalise_email(email)
    full_name = full_name.strip()
    _refuse_known_address(email)
    _check_password(password, email, full_name)
    password_hash = _hash_outside_transaction(password)
    _refuse_known_address(email)  # registered meanwhile
    user = User(email=email, full_name=full_name, password_hash=password_hash,
                locale=locale, password_changed_at=utcnow())
    user.role_rows.append(UserRole(role=Role.FOUNDER))
    db.session.add(user)
    db.session.flush()
    audit.record("user.register", user, to_state="founder", actor=user)
    send_email_verification(user)
    return user


def _refuse_known_address(email: str) -> None:
    if find_user(email) is not None:
        raise DomainError(_l("An account with this e-mail address already exists. Log in, or reset the "
                             "password."), field="email")


def _hash_outside_transaction(password: str) -> str:
    """argon2 for a new password, with no transaction open (see db.outside_transaction): the caller has only
    read so far, and reads again after (what it loaded is loaded afresh)."""
    from incubator.db import outside_transaction

    with outside_transaction(db.session):
        return security.hash_password(password)


def _verify_outside_transaction(password_hash: str | None, password: str) -> bool:
    from incubator.db import outside_transaction

    with outside_transaction(db.session):
        return security.verify_password(password_hash, password)


def send_email_verification(user: User) -> None:
    """A new link to confirm the address; the links sent before stop working."""
    _revoke_tokens(user, TokenPurpose.EMAIL_VERIFICATION)
    token, _row = _issue_token(TokenPurpose.EMAIL_VERIFICATION, user.email,
                               current_app.config["EMAIL_VERIFICATION_LIFETIME"], user=user)
    mail.send_to(user, "verify_email", _l("Confirm your e-mail address"),
                 link=external_url("auth.verify_email", token=token))


def change_unconfirmed_email(user: User, new_email: str, password: str) -> User:
    """An account whose address is not confirmed yet corrects it: the links sent to the old address stop
    working and a new one goes to the new address. (A confirmed address is not changed here.)"""
    if user.email_verified_at is not None:
        raise DomainError(_l("Your e-mail address is already confirmed."))
    checked_hash = user.password_hash
    if not _verify_outside_transaction(checked_hash, password):
        raise DomainError(_l("The password is wrong."), field="password")
    if user.password_hash != checked_hash:  # changed meanwhile (read afresh after the check)
        raise Conflict()
    if user.email_verified_at is not None:
        raise DomainError(_l("Your e-mail address is already confirmed."))
    email = normalise_email(new_email)
    if email == user.email:
        raise DomainError(_l("This is already your address."), field="email")
    if find_user(email) is not None:
        raise DomainError(_l("Another account uses this address."), field="email")
    _revoke_tokens(user, TokenPurpose.EMAIL_VERIFICATION, TokenPurpose.PASSWORD_RESET)
    before = user.email
    user.email = email
    user.updated_at = utcnow()
    db.session.flush()
    audit.record("user.change_email", user, from_state=before, to_state=email, actor=user)
    send_email_verification(user)
    return user


def _revoke_tokens(user: User, *purposes: TokenPurpose) -> None:
    """Unused links of these kinds sent to the person stop working (a newer one replaces them)."""
    for row in db.session.scalars(sa.select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose.in_(purposes),
            AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None))):
        row.revoked_at = utcnow()


def verify_email(token: str) -> User:
    row = find_token(token, TokenPurpose.EMAIL_VERIFICATION)
    user = row.user
    if user is None or user.email != row.email:
        raise InvalidToken(_l("This link is not valid. Check that you copied the whole address."))
    row.used_at = utcnow()
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("user.verify_email", user, from_state="unverified", to_state="verified", actor=user)
    return user


# ---- Invitations -----------------------------------------------------------------------------------------

class PartnerRow(Protocol):
    """A partner organisation's row (the partners package's model): auth takes it as given and imports no
    partner."""

    id: int
    name: str


# What a role asks of the partner chosen beyond being there (a fund manager belongs to a fund-management
# partner) is the partners' rule: the partners package registers it at start-up. A rule gets the roles and
# the chosen partner's id (or None) and raises DomainError to refuse.
PartnerRule = Callable[[set[Role], int | None], None]
_partner_rules: list[PartnerRule] = []


def add_partner_rule(rule: PartnerRule) -> None:
    """Check every choice of roles and partner with `rule` too (once, however often called)."""
    if rule not in _partner_rules:
        _partner_rules.append(rule)


def _check_roles(roles: Iterable[Role], partner_id: int | None, *, invitable_only: bool) -> set[Role]:
    roles = {Role(r) for r in roles}
    if not roles:
        raise DomainError(_l("Choose at least one role."), field="roles")
    if invitable_only and not roles.issubset(INVITABLE_ROLES):
        raise DomainError(_l("Founders register themselves; they cannot be invited."), field="roles")
    if partner_id is not None and not roles & {Role.MENTOR, Role.FUND_MANAGER, Role.REVIEWER}:
        raise DomainError(_l("Only mentors, fund managers and reviewers belong to a partner: choose no partner."),
                          field="partner_id")
    if Role.MENTOR in roles and partner_id is None:
        raise DomainError(_l("A mentor belongs to a partner: choose the partner."), field="partner_id")
    for rule in _partner_rules:
        rule(roles, partner_id)
    return roles


def invite(inviter: User, email: str, full_name: str, roles: Iterable[Role], partner: PartnerRow | None,
           locale: str, *, incubator_id: int | None = None) -> AccountToken:
    """Invite someone: the roles of ROLES_IN_AN_INCUBATOR will be held in ``incubator_id`` (default: the current
    incubator), the others across the network. The invitation remembers the incubator."""
    email = normalise_email(email)
    roles = _check_roles(roles, partner.id if partner else None, invitable_only=True)
    incubator_id = _incubator_for(roles, incubator_id)
    if find_user(email) is not None:
        raise DomainError(_l("This person already has an account: change their roles on their page."),
                          field="email")
    # A new invitation replaces any unused one to the same address.
    for old in db.session.scalars(sa.select(AccountToken).where(
            AccountToken.email == email, AccountToken.purpose == TokenPurpose.INVITATION,
            AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None))):
        old.revoked_at = utcnow()
    payload = {"full_name": full_name.strip(), "roles": sorted(r.value for r in roles),
               "partner_id": partner.id if partner else None, "locale": locale, "incubator_id": incubator_id}
    token, row = _issue_token(TokenPurpose.INVITATION, email, current_app.config["INVITATION_LIFETIME"],
                              payload=payload, created_by=inviter)
    audit.record("invitation.create", row, label=email, to_state="pending", actor=inviter,
                 details={"roles": payload["roles"], "partner_id": payload["partner_id"],
                          "incubator_id": incubator_id})
    mail.send(email, locale, "invitation", _l("You are invited to the Hà Nội ICT incubator system"),
          full_name=payload["full_name"], inviter=inviter, roles=payload["roles"],
          partner=partner, link=external_url("auth.accept_invitation", token=token),
          expires_at=row.expires_at)
    return row


def revoke_invitation(admin: User, row: AccountToken) -> None:
    if row.purpose != TokenPurpose.INVITATION or row.used_at or row.revoked_at:
        raise DomainError(_l("This invitation can no longer be withdrawn."))
    row.revoked_at = utcnow()
    audit.record("invitation.revoke", row, label=row.email, from_state="pending", to_state="revoked",
                 actor=admin)


def _open_invitation(token: str) -> AccountToken:
    row = find_token(token, TokenPurpose.INVITATION)
    if find_user(row.email) is not None:
        raise InvalidToken(_l("An account with this e-mail address already exists. Log in instead."))
    return row


def _incubator_for(roles: set[Role], incubator_id: int | None) -> int | None:
    """The incubator roles of ROLES_IN_AN_INCUBATOR among ``roles`` are held in: the one given, which must
    exist, else the current one; None when no such role is among them."""
    if not roles & ROLES_IN_AN_INCUBATOR:
        return None
    if incubator_id is None:
        return current_incubator_id()
    if db.session.get(Incubator, incubator_id) is None:
        raise DomainError(_l("Choose the incubator"), field="incubator_id")
    return incubator_id


def _invited_incubator(payload: dict, roles: set[Role]) -> int | None:
    """The incubator an invitation's roles are held in. One sent before the network existed names none: its
    roles are held in the first incubator, into which everything from then was moved."""
    if not roles & ROLES_IN_AN_INCUBATOR:
        return None
    incubator_id = payload.get("incubator_id")
    if incubator_id is not None and db.session.get(Incubator, incubator_id) is not None:
        return incubator_id
    if incubator_id is not None:  # removed since: the invitation can no longer be honoured
        raise InvalidToken(_l("This link was withdrawn."))
    return db.session.scalar(sa.select(sa.func.min(Incubator.id)))


def accept_invitation(token: str, full_name: str, password: str) -> User:
    row = _open_invitation(token)
    full_name = full_name.strip() or row.payload.get("full_name", "")
    _check_password(password, row.email, full_name)
    partner_id = row.payload.get("partner_id") or None
    _check_roles(row.payload.get("roles", []), partner_id, invitable_only=True)
    password_hash = _hash_outside_transaction(password)
    row = _open_invitation(token)  # still open once the password is hashed: read again
    partner_id = row.payload.get("partner_id") or None
    roles = _check_roles(row.payload.get("roles", []), partner_id, invitable_only=True)
    user = User(email=row.email, full_name=full_name, password_hash=password_hash,
                locale=row.payload.get("locale"), partner_id=partner_id, email_verified_at=utcnow(),
                password_changed_at=utcnow())
    incubator_id = _invited_incubator(row.payload, roles)
    user.role_rows.extend(UserRole(role=r, incubator_id=incubator_id if r in ROLES_IN_AN_INCUBATOR else None)
                          for r in sorted(roles))
    db.session.add(user)
    row.used_at = utcnow()
    row.user = user
    db.session.flush()
    audit.record("invitation.accept", row, label=row.email, from_state="pending", to_state="accepted",
                 actor=user)
    audit.record("user.create", user, to_state=",".join(sorted(r.value for r in roles)), actor=user,
                 details={"invited_by": row.created_by_id})
    return user


# ---- Passwords -------------------------------------------------------------------------------------------

def request_password_reset(email: str) -> None:
    """Sends a link when an active account has this address; says nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    _revoke_tokens(user, TokenPurpose.PASSWORD_RESET)  # one reset link at a time: the newest
    token, _row = _issue_token(TokenPurpose.PASSWORD_RESET, user.email,
                               current_app.config["PASSWORD_RESET_LIFETIME"], user=user)
    mail.send_to(user, "password_reset", _l("Reset your password"),
                 link=external_url("auth.reset_password", token=token))
    audit.record("user.password_reset_request", user, actor=user)


def reset_password(token: str, password: str) -> User:
    row, user = _reset_link(token)
    _check_password(password, user.email, user.full_name)
    password_hash = _hash_outside_transaction(password)
    row, user = _reset_link(token)  # still usable once the password is hashed: read again
    row.used_at = utcnow()
    _set_password(user, password_hash, keep_sid=None)
    # Proving the mailbox unlocks the account: the failures before this no longer count.
    db.session.add(LoginAttempt(email=user.email, ip_address=_request_ip(), succeeded=True))
    if user.email_verified_at is None:  # the link reached the mailbox: the address is proven
        user.email_verified_at = utcnow()
    audit.record("user.password_reset", user, actor=user)
    return user


def _reset_link(token: str) -> tuple[AccountToken, User]:
    row = find_token(token, TokenPurpose.PASSWORD_RESET)
    user = row.user
    if user is None or not user.active or user.email != row.email:
        raise InvalidToken(_l("This link is not valid. Check that you copied the whole address."))
    return row, user


def change_password(user: User, current: str, new: str, keep_sid: str | None) -> None:
    """Both argon2 runs (the current password checked, the new one hashed) happen with no transaction open;
    the person's row is read afresh after them, and a password changed meanwhile refuses this change (409)."""
    from incubator.db import outside_transaction

    checked_hash, email, name = user.password_hash, user.email, user.full_name
    with outside_transaction(db.session):
        if not security.verify_password(checked_hash, current):
            raise DomainError(_l("The current password is wrong."), field="current_password")
        _check_password(new, email, name)
        password_hash = security.hash_password(new)
    if user.password_hash != checked_hash:
        raise Conflict()
    _set_password(user, password_hash, keep_sid=keep_sid)
    audit.record("user.password_change", user, actor=user)


def _set_password(user: User, password_hash: str, keep_sid: str | None) -> None:
    user.password_hash = password_hash
    user.password_changed_at = utcnow()
    # Every other session of this person ends; so do unused reset links.
    end_other_sessions(user.id, keep_sid=keep_sid)
    _revoke_tokens(user, TokenPurpose.PASSWORD_RESET)


def end_other_sessions(user_id: int, keep_sid: str | None = None) -> int:
    """Delete every stored session of the user but the one kept (password change, deactivation)."""
    stmt = sa.delete(WebSession).where(WebSession.user_id == user_id)
    if keep_sid:
        stmt = stmt.where(WebSession.sid_hash != security.token_hash(keep_sid))
    return db.session.execute(stmt).rowcount


# ---- Administration --------------------------------------------------------------------------------------

def set_roles(admin: User, user: User, roles: Iterable[Role], partner: PartnerRow | None,
              version: int | str | None = None, *, incubator_id: int | None = None) -> None:
    """The person's roles across the network (administrator, official, founder) and in one incubator (staff,
    reviewer, mentor, fund manager: ROLES_IN_AN_INCUBATOR), ``incubator_id`` or else the current one. Their
    roles in other incubators stay as they are."""
    roles = {Role(r) for r in roles}
    here = incubator_id if incubator_id is not None else current_incubator_id()
    set_roles_by_incubator(admin, user, {None: roles - ROLES_IN_AN_INCUBATOR, here: roles & ROLES_IN_AN_INCUBATOR},
                           partner, version)


def set_roles_by_incubator(admin: User, user: User, grants: Mapping[int | None, Iterable[Role]],
                           partner: PartnerRow | None, version: int | str | None = None) -> None:
    """The person's roles in each incubator named in ``grants`` (its id: the roles of ROLES_IN_AN_INCUBATOR held
    there; None: those held across the network). Incubators not named keep their roles. What the person holds
    in all passes the same checks as one set of roles (at least one, the partner a role asks for)."""
    expect_version(user, version)
    grants = {key: {Role(r) for r in roles} for key, roles in grants.items()}
    for key, roles in grants.items():
        if key is None and roles & ROLES_IN_AN_INCUBATOR:
            raise DomainError(_l("Staff, reviewers, mentors and fund managers act in an incubator: choose it."),
                              field="roles")
        if key is not None and roles - ROLES_IN_AN_INCUBATOR:
            raise DomainError(_l("Administrators, the Department's officials and founders are not held in one "
                                 "incubator."), field="roles")
        if key is not None and roles and db.session.get(Incubator, key) is None:
            raise DomainError(_l("Choose the incubator"), field="roles")
    held_before = {(r.role, r.incubator_id) for r in user.role_rows}
    held_after = {(role, where) for role, where in held_before if where not in grants} | {
        (role, key) for key, roles in grants.items() for role in roles}
    roles = _check_roles({role for role, _where in held_after}, partner.id if partner else None,
                         invitable_only=False)
    if user.id == admin.id and Role.ADMIN not in roles:
        raise DomainError(_l("You cannot remove your own administrator role."), field="roles")
    for row in list(user.role_rows):
        if (row.role, row.incubator_id) not in held_after:
            user.role_rows.remove(row)
    for role, where in sorted(held_after - held_before, key=lambda pair: (pair[0].value, pair[1] or 0)):
        user.role_rows.append(UserRole(role=role, incubator_id=where))
    partner_before = user.partner_id
    user.partner = partner
    db.session.flush()
    before, after = _roles_text(held_before), _roles_text(held_after)
    if before != after or partner_before != user.partner_id:
        user.updated_at = utcnow()  # the person's row changes too, so its version moves on
        audit.record("user.roles", user, from_state=before, to_state=after, actor=admin,
                     details={"partner_from": partner_before, "partner_to": user.partner_id})


def _roles_text(held: set[tuple[Role, int | None]]) -> str:
    """Roles as the audit log keeps them: "reviewer,staff"; with several incubators, a role held in one is
    followed by its code: "admin,reviewer (HN2),staff (HN1)"."""
    if not several_incubators():
        return ",".join(sorted({role.value for role, _where in held}))
    codes = dict(db.session.execute(sa.select(Incubator.id, Incubator.code)).all())
    return ",".join(sorted(role.value if where is None else f"{role.value} ({codes.get(where, where)})"
                           for role, where in held))


def deactivate(admin: User, user: User, reason: str) -> None:
    if user.id == admin.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if not user.active:
        raise DomainError(_l("This account is already deactivated."))
    user.active = False
    user.updated_at = utcnow()
    end_other_sessions(user.id)
    audit.record("user.deactivate", user, from_state="active", to_state="inactive", reason=reason, actor=admin)


def reactivate(admin: User, user: User, reason: str | None = None) -> None:
    if user.active:
        raise DomainError(_l("This account is already active."))
    user.active = True
    user.updated_at = utcnow()
    audit.record("user.reactivate", user, from_state="inactive", to_state="active", reason=reason, actor=admin)


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise DomainError(_l("This language is not available."))
    user.locale = locale
