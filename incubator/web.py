"""Small helpers shared by the views."""

from __future__ import annotations

import builtins
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Request, g, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from incubator.db import INTEGER_RANGE


def digits_up_to(n: int) -> str:
    """A regular expression of the decimal numbers from 0 to ``n`` (ASCII digits; leading zeros allowed only
    below n's length): 2147483647 gives [0-9]{1,9}|[0-1][0-9]{9}|2[0-0][0-9]{8}|…|214748364[0-6]|2147483647."""
    text = str(n)
    alternatives = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            alternatives.append(text[:i] + f"[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    alternatives.append(text)
    return "(?:" + "|".join(alternatives) + ")"


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route (it replaces Werkzeug's): each is a row's id, an INTEGER column, so a number
    beyond INTEGER's range matches no route and answers 404 before any query sees it (PostgreSQL would fail
    on it with "integer out of range", SQLite beyond 64 bits). ``<int(min=…, max=…):…>`` narrows it further.

    The bound is in the pattern itself, not only in the conversion: Werkzeug compares the method before it
    converts, so a path whose GET and POST are two routes would otherwise answer 405 instead of 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False):
        low, high = INTEGER_RANGE
        super().__init__(map, fixed_digits, low if min is None else builtins.max(min, low),
                         high if max is None else builtins.min(max, high), signed)
        self.regex = ("-?" if signed else "") + digits_up_to(builtins.max(self.max, -self.min if signed else 0))


def bounded_int(value) -> int:
    """int(value) for a number read from the query string or a posted value: beyond INTEGER's range (see
    incubator.db) it is no number the database could hold, and raises ValueError as text that is no number
    does; MultiDict.get then gives the default, so a filter's nonsense is ignored (?year=abc, ?year=3000 and
    ?year=99999999999999999999 alike), as the same number in a path matches no route (404)."""
    number = int(value)
    if not INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]:
        raise ValueError(f"{value!r} is beyond INTEGER's range")
    return number


class Parameters(ImmutableMultiDict):
    """The query string's and the form's values (request.args, request.form): ``get(…, type=int)`` and
    ``getlist(…, type=int)`` read numbers with :func:`bounded_int`, so every view that reads a number from
    the request gets the same bounds without saying so: a number the database cannot hold is treated as
    no number (the default of get, left out by getlist), never passed on to a query."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, bounded_int if type is int else type)


class IncubatorRequest(Request):
    parameter_storage_class = Parameters


def configure(app) -> None:
    """Before any route is added: the request class and the bounded ``int`` converter."""
    app.request_class = IncubatorRequest
    app.url_map.converters["int"] = IdConverter


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



class RowsPagination(Pagination):
    """A page of rows its caller reads itself (plain columns, several per row):
    ``RowsPagination(rows=lambda offset, limit: …, total=lambda: …, page=…, per_page=…, error_out=False)``."""

    def _query_items(self) -> list:
        return list(self._query_args["rows"](self._query_offset, self.per_page))

    def _query_count(self) -> int:
        return self._query_args["total"]()


class CountedPagination(SelectPagination):
    """A page of a SELECT whose total its caller counts another way (a kept count instead of counting the
    whole list): ``CountedPagination(select=…, session=db.session, total=lambda: …, page=…, per_page=…,
    error_out=False)``."""

    def _query_count(self) -> int:
        return self._query_args["total"]()


class WindowedPagination(SelectPagination):
    """A page of a SELECT read with the list's total in the same query (``count(*) OVER ()``), so that a list
    costs one round trip to the database, not two: ``WindowedPagination(select=…, session=db.session, page=…,
    per_page=…, error_out=False)``. Its items are the objects of a SELECT of one entity, else the rows (tuples).
    Meant for lists bounded by what they belong to (a cohort's members, a partner's people, a stage's
    entries), whose whole is read to count it anyway; the total is counted apart only for a page past the end,
    which has no row to carry it."""

    def _query_items(self) -> list:
        total = sa.func.count().over().label("list_total")
        select = self._query_args["select"].add_columns(total).limit(self.per_page).offset(self._query_offset)
        rows = self._query_args["session"].execute(select).unique().all()
        self._window_total = rows[0][-1] if rows else None
        return [row[0] if len(row) == 2 else tuple(row[:-1]) for row in rows]

    def _query_count(self) -> int:
        if self._window_total is not None:
            return self._window_total
        return 0 if self._query_offset == 0 else super()._query_count()


def page_with_total(select, page: int, per_page: int):
    """``db.paginate`` for a bounded list, its page and total read in one query (WindowedPagination)."""
    from incubator.extensions import db

    return WindowedPagination(select=select, session=db.session, page=page, per_page=per_page, error_out=False)


class ListPagination(Pagination):
    """A page of a list already in memory (e.g. ranked in Python), for the same pagination macro as the
    database's pages: ``ListPagination(items=…, page=…, per_page=…, error_out=False)``."""

    def _query_items(self) -> list:
        return list(self._query_args["items"][self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["items"])
