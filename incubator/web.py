"""Small helpers shared by the views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import g, request
from flask_sqlalchemy.pagination import Pagination


def form_status(form) -> int:
    """200 for a form shown fresh, 400 for a submitted form that is re-shown with its errors."""
    return 400 if request.method == "POST" and form.errors else 200


def keep_changes_on_error() -> None:
    """The request's changes are committed even though it answers with an error (e.g. a failed login
    attempt, which the limit must count)."""
    g.commit_on_error = True


def safe_next_url(value: str | None) -> str | None:
    """Only a path on this site: never another host (open redirect)."""
    if not value or len(value) > 500:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    return value


def page_arg(name: str = "page") -> int:
    try:
        page = int(request.args.get(name, 1))
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), 100000)


def apply_form_error(form, exc) -> None:
    """Attach a service's DomainError to the field it names, or to the form as a whole."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*list(field.errors), exc.message]
    else:
        form.form_errors.append(exc.message)


def save_form(form, action, *, message, to):
    """The shape the form views share: on a valid post, call the service (``action``); a DomainError goes
    back onto the form, success flashes ``message`` and redirects to ``to`` (each a value, or a function of what
    the service returned). Returns the redirect, or None when the form is to be shown (again)."""
    from flask import flash, redirect

    from incubator.errors import DomainError

    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except DomainError as exc:
        apply_form_error(form, exc)
        return None
    flash(message(result) if callable(message) else message, "success")
    return redirect(to(result) if callable(to) else to)



class ListPagination(Pagination):
    """A page of a list already in memory (e.g. ranked in Python), for the same pagination macro as the
    database's pages: ``ListPagination(items=…, page=…, per_page=…, error_out=False)``."""

    def _query_items(self) -> list:
        return list(self._query_args["items"][self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items"])
