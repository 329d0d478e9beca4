from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required

from incubator import security
from incubator.auth import services
from incubator.auth.enums import TokenPurpose
from incubator.auth.forms import (
    AcceptInvitationForm,
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from incubator.errors import DomainError
from incubator.web import apply_form_error, form_status, keep_changes_on_error, safe_next_url, save_form

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr or "?")
        except security.HashingBusy as exc:  # nothing was checked or recorded: the same form, to send again
            form.form_errors.append(_("Many people are logging in at the same time. Wait a few seconds, then "
                                      "log in again."))
            return render_template("auth/login.html", form=form), 503, {"Retry-After": str(exc.retry_after)}
        except DomainError as exc:
            keep_changes_on_error()  # the failed attempt must count towards the limit
            form.form_errors.append(exc.message)
            return render_template("auth/login.html", form=form), exc.status_code
        services.log_in(user, session)
        return redirect(next_url or url_for("home.index"))
    return render_template("auth/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        services.log_out(current_user._get_current_object(), session)
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_founder(form.email.data, form.full_name.data, form.password.data,
                                             locale=_current_locale())
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            services.log_in(user, session)
            flash(_("Welcome! We have sent a link to %(email)s: open it to confirm your address.",
                    email=user.email), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form), form_status(form)


@bp.route("/verify/<token>")
def verify_email(token):
    try:
        services.verify_email(token)
    except DomainError as exc:
        if isinstance(exc, services.TokenAlreadyUsed) and current_user.is_authenticated \
                and current_user.email_verified_at is not None:
            flash(_("Your e-mail address is already confirmed."), "info")
            return redirect(url_for("home.index"))
        return render_template("auth/token_problem.html", message=exc.message), exc.status_code
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(url_for("home.index") if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/verify/resend", methods=["POST"])
@login_required
def resend_verification():
    if ConfirmForm().validate_on_submit() and current_user.email_verified_at is None:
        services.send_email_verification(current_user)
        flash(_("We have sent a new link to %(email)s.", email=current_user.email), "info")
    return redirect(url_for("home.index"))


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def confirm_email():
    """Where an account with an address not yet confirmed lands: what it may do until it confirms (ask for the
    link again, correct the address, log out), and why nothing else is open."""
    if current_user.email_verified_at is not None:
        return redirect(url_for("home.index"))
    form = ChangeEmailForm()
    done = save_form(form, lambda: services.change_unconfirmed_email(current_user, form.email.data,
                                                                     form.password.data),
                     message=lambda user: _("Your address is now %(email)s: open the link we have sent there to "
                                            "confirm it.", email=user.email),
                     to=url_for("auth.confirm_email"))
    return done or (render_template("auth/confirm_email.html", form=form), form_status(form))


# What an account with an address not yet confirmed may still open: confirming, the link again, correcting
# the address, logging out, the language, and the pages anyone may read without an account.
OPEN_BEFORE_CONFIRMATION = frozenset({
    "static", "bootstrap.static", "auth.login", "auth.register", "auth.logout", "auth.set_language",
    "auth.verify_email", "auth.resend_verification", "auth.confirm_email", "auth.forgot_password",
    "auth.reset_password", "auth.accept_invitation", "rounds.public", "rounds.detail",
    "requests.answers", "requests.feed", "dialogue.published_index", "dialogue.published",
    "dialogue.published_minutes", "catalogue.index", "catalogue.product", "catalogue.contact", "site.sitemap",
    "site.robots",
})


# Paths whose requests never act for the session's person (the API acts for its token's owner, who is
# checked there), registered by the factory: the session's confirmation is not theirs to ask.
_NOT_FOR_SESSIONS: list[str] = []


def answer_without_the_session(prefix: str) -> None:
    if prefix not in _NOT_FOR_SESSIONS:
        _NOT_FOR_SESSIONS.append(prefix)


@bp.before_app_request
def _identity_before_access():
    """Every other door of the application tells an unconfirmed account why it is closed (403). The rules
    themselves refuse such an account too (auth.permissions.is_confirmed), so a door forgotten here stays shut."""
    if any(request.path == p or request.path.startswith(p + "/") for p in _NOT_FOR_SESSIONS):
        return None
    if not current_user.is_authenticated or current_user.email_verified_at is not None:
        return None
    if request.endpoint is None or request.endpoint in OPEN_BEFORE_CONFIRMATION:
        return None
    if request.endpoint == "home.index":
        return redirect(url_for("auth.confirm_email"))
    return render_template("auth/confirm_email.html", form=ChangeEmailForm(formdata=None), refused=True), 403


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account uses this address, a link to reset its password is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.find_token(token, TokenPurpose.PASSWORD_RESET)
    except DomainError as exc:
        return render_template("auth/token_problem.html", message=exc.message), exc.status_code
    form = ResetPasswordForm()
    done = save_form(form, lambda: services.reset_password(token, form.password.data),
                     message=_("Your password has been changed. Log in with the new one."), to=url_for("auth.login"))
    return done or (render_template("auth/reset_password.html", form=form), form_status(form))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        row = services.find_token(token, TokenPurpose.INVITATION)
    except DomainError as exc:
        return render_template("auth/token_problem.html", message=exc.message), exc.status_code
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.full_name.data = row.payload.get("full_name")
        if "locale" not in session and row.payload.get("locale") in current_app.config["LANGUAGES"]:
            session["locale"] = row.payload["locale"]
            refresh()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.full_name.data, form.password.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            if current_user.is_authenticated:
                services.log_out(current_user._get_current_object(), session)
            services.log_in(user, session)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/accept_invitation.html", form=form, invitation=row), form_status(form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    done = save_form(form, lambda: services.change_password(current_user, form.current_password.data,
                                                            form.password.data, keep_sid=session.sid),
                     message=_("Your password has been changed; your other sessions have ended."),
                     to=url_for("auth.account"))
    return done or (render_template("auth/account.html", form=form), form_status(form))


def _without_lang(path: str, query: str) -> str:
    """The address without its ``lang`` argument (the public pages' language alternates, ``?lang=en``): that
    argument would overrule the language the person has just chosen. Other addresses are kept as they are."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(key == "lang" for key, _value in pairs):
        return path + (f"?{query}" if query else "")
    kept = [(key, value) for key, value in pairs if key != "lang"]
    return path + (f"?{urlencode(kept)}" if kept else "")


def language_next() -> str:
    """Where the language form brings the person back: the page shown, if it can be asked for again (a GET);
    after a form was sent (a refused form is drawn at a POST-only address), the page the form came from when it
    is on this site, else the home. A page's ``?lang=`` is left out, so that the choice shows."""
    if request.method in ("GET", "HEAD"):
        if "lang" not in request.args:
            return request.full_path.rstrip("?")
        return _without_lang(request.path, urlencode(list(request.args.items(multi=True))))
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.scheme in ("http", "https"):
        came_from = safe_next_url(_without_lang(referrer.path, referrer.query))
        if came_from:
            return came_from
    return url_for("home.index")


@bp.app_context_processor
def _language_next():
    return {"language_next": language_next}


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
    return redirect(safe_next_url(request.form.get("next")) or url_for("home.index"))


def _current_locale() -> str:
    chosen = session.get("locale")
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
