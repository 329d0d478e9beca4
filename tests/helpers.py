"""Helpers the tests import: the test password, browser-like form posts, login, a query counter."""

from __future__ import annotations

import re
import socket
from contextlib import contextmanager

from sqlalchemy import event

from incubator.extensions import db as _db

PASSWORD = "Rung-tre-Ba-Vi-2025"

# ---- HTTP helpers -----------------------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str = "/password/forgot") -> str:
    html = client.get(url).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict | None = None, *, token_from: str | None = None, **kw):
    """POST like a browser: with the CSRF token the page carries."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, token_from or "/password/forgot")
    return client.post(url, data=payload, **kw)


def login(client, user, password: str = PASSWORD):
    response = post_form(client, "/login", {"email": user.email, "password": password}, token_from="/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


# ---- Query counting ---------------------------------------------------------------------------------------

class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine=None):
    """Count the SQL statements run on the engine inside the block (all connections)."""
    engine = engine or _db.engine
    counter = QueryCounter()

    def _before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _before)


# ---- Nothing written --------------------------------------------------------------------------------------

#: What a refused request may still write: its server-side session, and the login attempts the limits count.
WRITTEN_EVEN_WHEN_REFUSED = frozenset({"web_sessions", "login_attempts"})


def table_state(ignore=WRITTEN_EVEN_WHEN_REFUSED) -> dict[str, int]:
    """Every table's row count, its highest id and, where its rows carry a version, the sum of their versions
    (so a changed row shows as well as an added or removed one), read in one query."""
    import sqlalchemy as sa

    columns = []
    for table in _db.metadata.sorted_tables:
        if table.name in ignore:
            continue
        columns.append(sa.select(sa.func.count()).select_from(table).scalar_subquery().label(table.name))
        if "id" in table.c:
            columns.append(sa.select(sa.func.max(table.c.id)).scalar_subquery().label(f"{table.name}.max_id"))
        if "version_id" in table.c:
            columns.append(sa.select(sa.func.sum(table.c.version_id)).scalar_subquery()
                           .label(f"{table.name}.versions"))
    return dict(_db.session.execute(sa.select(*columns)).one()._mapping)


def written(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """What changed between two ``table_state``s, as "table: before → after"."""
    return [f"{name}: {before[name]} → {after[name]}" for name in before if before[name] != after[name]]


@contextmanager
def nothing_written(what: str = "the request", ignore=WRITTEN_EVEN_WHEN_REFUSED):
    """Asserts that the block adds, removes and changes no row of any table (but those of ``ignore``)."""
    before = table_state(ignore)
    yield
    changed = written(before, table_state(ignore))
    assert not changed, f"{what} wrote: {', '.join(changed)}"




def tax_code(n: int) -> str:
    """A distinct invented tax code for every n < 10**7 that passes the check digit."""
    from incubator.companies.taxcode import invented

    return invented(n)


def blank_pdf() -> bytes:
    """A small real PDF (one blank page), as a founder or staff member would upload."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
