"""Uploaded files: checked to be what they claim, stored under a random name where every application server
reaches them, served only through views that check permission, as attachments, and deleted once no record
refers to them.

**Where they live.** In the store (``incubator/uploads/stores.py``): the database by default (table
``stored_files``, written in the request's own transaction), or an S3-compatible object store named by
``UPLOADS_URL``. A file is known by its kind and its stored name (``<32 hex digits>.pdf``); the record that
refers to it keeps that stored name in a column (and the name it was uploaded with in another, for display).
Earlier versions kept files under ``<instance>/uploads/<kind>/``: that folder is still read when the store
has no such file, until ``flask --app incubator uploads migrate`` moves them into the store.

**Registering a kind** (a domain does it once, at start-up, under its model)::

    from incubator import uploads
    uploads.register_references("evidence", GraduationOutcome.evidence_file)

A new kind needs nothing more (a company-registration certificate: one line under its model, the view
calling ``check_pdf(...).save("certificates")`` and ``send_upload("certificates", ...)``). From then on:

- a file whose column is given another name, emptied, or whose row is deleted through the ORM (a cascade
  included) is deleted when the transaction that dropped it commits, if no record names it then, and kept
  when it rolls back (session events below; a savepoint's rollback forgets only its own drops). In the
  database store the file's row is deleted in that same transaction; an object store's object and an old
  folder's file just after the commit;
- a file written during a transaction that then rolls back is gone too (the database store's row is rolled
  back with it; an object store's object is deleted);
- ``flask --app incubator uploads prune [--dry-run]`` removes the stored files that no registered reference
  names: those left by earlier versions, or by bulk SQL that bypasses the ORM.

A reference that is not a plain column (a name inside JSON, say) is registered as a function returning a
``select`` of the stored names (or an iterable of them). Prune reads it, but nothing follows it
automatically: the domain calls ``delete_after_commit(kind, stored_name)`` in the transaction that drops
the reference.

This module is plumbing: it imports no domain; the domains register with it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import click
import sqlalchemy as sa
from flask import abort, current_app, has_app_context, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import QueryableAttribute, Session, object_session

from incubator.errors import DomainError

MAX_PDF_BYTES = 10 * 1024 * 1024
# An image (an incubator's logo): at most 1 MB, at most 2000 pixels a side, PNG or JPEG.
MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGE_SIDE = 2000
IMAGE_TYPES = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}
STORED_SUFFIXES = (".pdf", ".png", ".jpg")
# The shape of the names check_pdf and check_image give; prune touches no other file.
STORED_NAME_RE = re.compile(r"[0-9a-f]{32}\.(?:pdf|png|jpg)")
KIND_RE = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# A file younger than this may belong to a record whose transaction has not committed yet: prune keeps it.
PRUNE_GRACE_SECONDS = 3600

log = logging.getLogger("incubator.uploads")


def _root() -> Path:
    """The folder earlier versions kept files in: read when the store has no such file, emptied by
    ``flask uploads migrate``, never written."""
    return Path(current_app.instance_path) / "uploads"


def _legacy_path(kind: str, stored_name: str) -> Path:
    return _root() / kind / stored_name


def _plain_name(stored_name: str | None) -> bool:
    return bool(stored_name) and stored_name.endswith(STORED_SUFFIXES) and "/" not in stored_name \
        and "\\" not in stored_name and ".." not in stored_name and "\x00" not in stored_name


def media_type(stored_name: str) -> str:
    if stored_name.endswith(".png"):
        return "image/png"
    if stored_name.endswith(".jpg"):
        return "image/jpeg"
    return "application/pdf"


_STORE = "incubator.uploads.store"


def store():
    """The store this application keeps files in (UPLOADS_URL: the database unless it names an S3 store)."""
    found = current_app.extensions.get(_STORE)
    if found is None:
        from incubator.uploads.stores import from_url

        found = current_app.extensions[_STORE] = from_url(current_app.config.get("UPLOADS_URL"))
    return found


@dataclass
class CheckedPdf:
    """A PDF (or image) that passed the checks, not yet stored: it is written only once the record that names
    it has been accepted, so a refused form leaves no file behind."""

    stored_name: str
    original_name: str
    data: bytes

    def save(self, kind: str) -> None:
        """Write the file into the store, in the current transaction (an object store: at once, deleted again
        if the transaction rolls back)."""
        if not KIND_RE.fullmatch(kind):
            raise ValueError(f"Not an upload kind: {kind!r}.")
        target = store()
        target.put(kind, self.stored_name, self.data, media_type(self.stored_name))
        if not target.transactional:
            _track(_CREATED, kind, self.stored_name)


def read(kind: str, stored_name: str | None) -> bytes | None:
    """A stored file's bytes: from the store, else from the folder of earlier versions; None when neither
    holds it (or the name is not a stored file's)."""
    if not stored_name or not _plain_name(stored_name) or not KIND_RE.fullmatch(kind):
        return None
    data = store().get(kind, stored_name)
    if data is not None:
        return data
    legacy = _legacy_path(kind, stored_name)
    return legacy.read_bytes() if legacy.is_file() and not legacy.is_symlink() else None


def exists(kind: str, stored_name: str | None) -> bool:
    """Whether the store (or the folder of earlier versions) holds this file."""
    if not stored_name or not _plain_name(stored_name) or not KIND_RE.fullmatch(kind):
        return False
    legacy = _legacy_path(kind, stored_name)
    return store().exists(kind, stored_name) or (legacy.is_file() and not legacy.is_symlink())


# ---- Checking and serving ---------------------------------------------------------------------------------

_EOF = b"%%EOF"


def _pdf_part(data: bytes) -> bytes:
    """The file up to its last ``%%EOF`` and that line's end. A PDF ends there (an incremental update adds a
    revision with its own ``%%EOF``, so the last one ends the file); anything after it is not part of the
    document (an HTML page appended to make the file two things at once, or harmless padding) and is not
    stored."""
    end = data.rfind(_EOF)
    if end < 0:
        return data  # no end marker: pypdf refuses it below
    end += len(_EOF)
    if data[end:end + 2] == b"\r\n":
        end += 2
    elif data[end:end + 1] in (b"\r", b"\n"):
        end += 1
    return data[:end]


# What a PDF's body is made of, from its header to its last %%EOF: streams inside objects, objects, cross-
# reference tables, trailers, startxref and %%EOF, comments, and white space. Anything else was put there by
# something other than a PDF writer (an HTML page given its own startxref and %%EOF, to ride along in a file
# that still opens as a PDF).
_STRUCTURE = [
    re.compile(rb"stream\r?\n.*?endstream", re.S),
    re.compile(rb"\d+\s+\d+\s+obj\b.*?\bendobj\b", re.S),
    re.compile(rb"xref\s.*?(?=trailer\b)", re.S),
    re.compile(rb"trailer\s*<<.*?>>(?=\s*startxref\b)", re.S),
    re.compile(rb"startxref\s+\d+\s+%%EOF"),
    re.compile(rb"%[^\r\n]*"),
]
_PDF_WHITE_SPACE = re.compile(rb"[\x00\t\n\x0c\r ]+")


def _only_pdf_structure(data: bytes) -> bool:
    rest = data
    for pattern in _STRUCTURE:
        rest = pattern.sub(b" ", rest)
    return not _PDF_WHITE_SPACE.sub(b"", rest)


def check_pdf(storage, field: str = "evidence_pdf") -> CheckedPdf:
    """Check that the upload is a real PDF of at most 10 MB (it must open with pypdf and have a page); what
    follows its last ``%%EOF`` is dropped, and what is kept is what pypdf opened."""

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = storage.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise DomainError(_l("The file is larger than 10 MB."), field=field)
    try:
        if not data.startswith(b"%PDF-"):
            raise PdfReadError("no PDF header")
        pdf = _pdf_part(data)
        if len(pdf) < len(data):
            log.info("upload: %d bytes after the PDF's last %%%%EOF dropped", len(data) - len(pdf))
        data = pdf
        if not _only_pdf_structure(data):
            raise PdfReadError("bytes that are not PDF syntax between its parts")
        reader = PdfReader(BytesIO(data))
        if len(reader.pages) < 1:
            raise PdfReadError("no page")
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise DomainError(_l("This file is not a readable PDF document."), field=field) from exc
    from incubator.text import clean_text

    original = clean_text((storage.filename or "").replace("/", "_").replace("\\", "_"), 1000) or "document.pdf"
    original = original[-200:]
    return CheckedPdf(f"{secrets.token_hex(16)}.pdf", original, data)


def check_image(storage, field: str = "logo") -> CheckedPdf:
    """Check that the upload is a PNG or JPEG image of at most 1 MB and 2000 pixels a side, by its content (its
    first bytes, then Pillow decoding every pixel), whatever its name says; what is kept is the image drawn
    again by Pillow (no metadata, nothing hidden after its end), under a random name with its type's ending."""

    from PIL import Image

    data = storage.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(_l("The image is larger than 1 MB."), field=field)
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise DomainError(_l("This file is not a PNG or JPEG image."), field=field)
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            if kind not in IMAGE_TYPES:
                raise ValueError(f"not PNG or JPEG: {kind}")
            if max(probe.size) > MAX_IMAGE_SIDE or min(probe.size) < 1:
                raise DomainError(_l("The image may be at most %(n)d pixels wide and high.", n=MAX_IMAGE_SIDE),
                                  field=field)
            probe.load()  # decodes every pixel: a truncated or broken file fails here
            image = probe.convert("RGBA" if kind == "PNG" else "RGB")
        out = BytesIO()
        image.save(out, format=kind, **({"optimize": True} if kind == "PNG" else {"quality": 90}))
    except DomainError:
        raise
    except Exception as exc:  # Pillow raises many kinds of errors on broken files
        raise DomainError(_l("This file is not a PNG or JPEG image."), field=field) from exc
    from incubator.text import clean_text

    ending, _mime = IMAGE_TYPES[kind]
    original = clean_text((storage.filename or "").replace("/", "_").replace("\\", "_"), 1000) or f"logo.{ending}"
    return CheckedPdf(f"{secrets.token_hex(16)}.{ending}", original[-200:], out.getvalue())


def read_image(kind: str, stored_name: str | None) -> tuple[bytes, str] | None:
    """A stored image's bytes and media type, or None when there is none (or the name is not a stored image's)."""
    if not stored_name or not stored_name.endswith((".png", ".jpg")):
        return None
    data = read(kind, stored_name)
    return None if data is None else (data, media_type(stored_name))


def path_of(kind: str, stored_name: str) -> Path | None:
    """The file in the folder of earlier versions (not yet moved by ``uploads migrate``), or None."""
    if not _plain_name(stored_name) or not KIND_RE.fullmatch(kind):
        return None
    path = _legacy_path(kind, stored_name)
    return path if path.is_file() and not path.is_symlink() else None


def download_name(original: str | None, fallback: str = "document.pdf") -> str:
    """The name a browser saves an upload under: the one it was uploaded with, readable (Vietnamese kept, in
    composed form), without folders or control characters, and always ending in ``.pdf`` (the file is a
    PDF, whatever it was called: ``trang.html`` is saved as ``trang.html.pdf``)."""
    name = unicodedata.normalize("NFC", original or "")
    name = "".join(c for c in name if c.isprintable() and c not in "/\\")
    name = name.strip().strip(".").strip()
    if not name:
        name = fallback
    if not name.lower().endswith(".pdf"):
        name = name[:196] + ".pdf"
    elif len(name) > 200:
        name = name[:196] + name[-4:]
    return name


def _ascii_name(name: str) -> str:
    """For browsers that do not read ``filename*``: the name without diacritics (đ -> d), in plain ASCII."""
    name = name.replace("đ", "d").replace("Đ", "D")
    name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    name = "".join(c for c in name.encode("ascii", "ignore").decode("ascii") if c.isprintable())
    return name if name.strip(" .") and name.lower() != ".pdf" else "document.pdf"


# A PDF shown inline (the reviewer's reading pane): framed by this site's pages only, running nothing of its own;
# object-src 'self' lets the browser's PDF viewer embed the document it is showing. (security.py sets every other
# response's policy; it keeps one already set, as this one.)
INLINE_PDF_POLICY = "; ".join([
    "default-src 'none'",
    "object-src 'self'",
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'none'",
])


def send_upload(kind: str, stored_name: str | None, original_name: str | None, fallback: str = "document.pdf",
                *, inline: bool = False):
    """The one way an upload leaves the server: as an attachment (never shown in the browser's own tab), as
    ``application/pdf``, under a name ending in ``.pdf``; 404 when the file is not there. The caller has
    checked the permission. ``inline``: shown in a frame of this site's own pages (a reviewer reads it beside
    the score form), and in no other site's (see INLINE_PDF_POLICY); never cached."""
    data = read(kind, stored_name)
    if data is None:
        abort(404)
    name = download_name(original_name, fallback)
    response = send_file(BytesIO(data), mimetype="application/pdf", as_attachment=not inline, download_name=name,
                         etag=hashlib.sha256(data).hexdigest()[:32])
    options = {"filename": _ascii_name(name)}
    if options["filename"] != name:
        from urllib.parse import quote

        options["filename*"] = "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    response.headers.set("Content-Disposition", "inline" if inline else "attachment", **options)
    if inline:
        response.headers["Content-Security-Policy"] = INLINE_PDF_POLICY
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- Which records refer to which files ------------------------------------------------------------------

Reference = QueryableAttribute | Callable[[], object]
_references: dict[str, list] = {}


def register_references(kind: str, reference: Reference) -> None:
    """Declare where the stored names of ``kind`` are kept: a mapped column (followed automatically, see the
    module's docstring), or a function returning a ``select`` of stored names or an iterable of them.
    Registering the same reference twice does nothing."""
    if not isinstance(kind, str) or not KIND_RE.fullmatch(kind):
        raise ValueError(f"An upload kind is a short lower-case name (a folder under uploads/), not {kind!r}.")
    known = _references.setdefault(kind, [])
    if any(r is reference for r in known):
        return
    if isinstance(reference, QueryableAttribute):
        _follow(kind, reference)
    elif not callable(reference):
        raise TypeError("A reference is a mapped column or a function returning the stored names.")
    known.append(reference)


def kinds() -> list[str]:
    return sorted(_references)


def referenced_names(kind: str, connection=None, among: set[str] | None = None) -> set[str]:
    """The stored names of ``kind`` that some record refers to (only those ``among`` these, when given)."""
    from incubator.extensions import db

    execute = connection.execute if connection is not None else db.session.execute
    names: set[str] = set()
    for reference in _references.get(kind, []):
        if isinstance(reference, QueryableAttribute):
            column = reference.property.columns[0]
            query = sa.select(column).where(column.is_not(None))
            if among is not None:
                query = query.where(column.in_(sorted(among)))
            found = execute(query).scalars()
        else:
            found = reference()
            if isinstance(found, sa.sql.Executable):
                found = execute(found).scalars()
        names.update(n for n in found if n)
    return names if among is None else names & among


def _follow(kind: str, attribute: QueryableAttribute) -> None:
    """Watch a column of stored names: the file named by what it held before an update, or when its row is
    deleted, is deleted with the commit."""
    key = attribute.key
    column = attribute.property.columns[0]

    def stored_value(mapper, connection, target):
        """What the row holds now (before the flush changes it), when the object does not know it."""
        identity = sa.inspect(target).identity
        if identity is None:
            return None
        where = [c == v for c, v in zip(mapper.primary_key, identity, strict=True)]
        return connection.execute(sa.select(column).where(*where)).scalar()

    def before_update(mapper, connection, target):
        history = sa.inspect(target).attrs[key].history
        if not history.added:
            return
        old = history.deleted if history.deleted else [stored_value(mapper, connection, target)]
        for name in old:
            delete_after_commit(kind, name, session=object_session(target))

    def before_delete(mapper, connection, target):
        history = sa.inspect(target).attrs[key].history
        old = [*history.deleted, *history.unchanged]
        if not history.deleted and not history.unchanged:
            old = [stored_value(mapper, connection, target)]
        for name in old:
            delete_after_commit(kind, name, session=object_session(target))

    event.listen(attribute.class_, "before_update", before_update, propagate=True)
    event.listen(attribute.class_, "before_delete", before_delete, propagate=True)


# ---- Deleting after the commit ----------------------------------------------------------------------------

_DROPPED = "incubator.uploads.dropped"  # files no record will refer to once this transaction commits
_CREATED = "incubator.uploads.created"  # files an object store holds since this transaction, for a record it adds
_UNREFERENCED = "incubator.uploads.unreferenced"  # decided before the commit: to delete outside the database


class _Pending(NamedTuple):
    kind: str
    name: str
    owner: object  # the savepoint (SessionTransaction) it happened in, None for the outer transaction


def delete_after_commit(kind: str, stored_name: str | None, session: Session | None = None) -> None:
    """Delete this stored file when the current transaction commits, if no record refers to it then; nothing
    happens if the transaction rolls back."""
    if not isinstance(kind, str) or not KIND_RE.fullmatch(kind):
        raise ValueError(f"Not an upload kind: {kind!r}.")
    if not stored_name or not _plain_name(stored_name) or not has_app_context():
        return
    _track(_DROPPED, kind, stored_name, session)


def _track(key: str, kind: str, name: str, session: Session | None = None) -> None:
    if session is None:
        from incubator.extensions import db

        session = db.session()
        if not session.in_transaction():
            return  # written outside a transaction: whatever names it is already committed
    session.info.setdefault(key, []).append(_Pending(kind, name, session.get_nested_transaction()))


def _within(owner, boundary) -> bool:
    while owner is not None:
        if owner is boundary:
            return True
        owner = owner.parent
    return False


def _remove_outside_the_database(by_kind: dict[str, set[str]], legacy: bool = True) -> None:
    """Delete files from an object store and from the folder of earlier versions (the database store's rows go
    with their transaction). A failure is logged: ``flask uploads prune`` removes them later."""
    if not by_kind or not has_app_context():
        return
    target = store()
    for kind, names in by_kind.items():
        if not target.transactional:
            try:
                target.delete(kind, names)
            except Exception as exc:  # an unreachable store: the objects stay, prune removes them
                log.warning("uploads %s/%s could not be deleted from %s: %s (flask uploads prune will try "
                            "again)", kind, sorted(names), target.label, exc)
        if legacy:
            for name in names:
                path = _legacy_path(kind, name)
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    log.warning("upload %s could not be deleted: %s (flask uploads prune will try again)",
                                path, exc)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Decide, in the transaction itself, which dropped files no record names any more (another record may
    name the same file; then it stays): the database store's rows are deleted now, with the commit; the rest
    once it has succeeded."""
    if session.in_nested_transaction() or not has_app_context():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush, early: its events record the last drops
    dropped = session.info.pop(_DROPPED, None)
    if not dropped:
        return
    by_kind: dict[str, set[str]] = {}
    for entry in dropped:
        by_kind.setdefault(entry.kind, set()).add(entry.name)
    connection = session.connection()  # Core: sees every incubator's rows, whatever the request is limited to
    unreferenced = {}
    for kind, names in by_kind.items():
        gone = names - referenced_names(kind, connection, names)
        if gone:
            unreferenced[kind] = gone
    target = store()
    if target.transactional:
        for kind, names in unreferenced.items():
            target.delete(kind, names, connection=connection)
    if unreferenced:
        session.info[_UNREFERENCED] = unreferenced


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the outer transaction may still roll back
    session.info.pop(_CREATED, None)
    session.info.pop(_DROPPED, None)
    _remove_outside_the_database(session.info.pop(_UNREFERENCED, None) or {})


@event.listens_for(Session, "after_soft_rollback")
def _after_soft_rollback(session: Session, previous_transaction) -> None:
    """Forget the drops the rollback undid, and delete the objects written for records it undid. The real
    rollback happened at the nearest savepoint or outer transaction enclosing ``previous_transaction``."""
    if _DROPPED not in session.info and _CREATED not in session.info and _UNREFERENCED not in session.info:
        return
    boundary = previous_transaction
    while boundary.parent is not None and not boundary.nested:
        boundary = boundary.parent

    def undone(entry: _Pending) -> bool:
        return boundary.parent is None or _within(entry.owner, boundary)

    if boundary.parent is None:
        session.info.pop(_UNREFERENCED, None)  # the commit failed: nothing was deleted after all
    _forget(session, undone)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    """The outer transaction ended without a commit (a rollback, or a close that rolls back)."""
    if transaction.parent is None and any(key in session.info for key in (_DROPPED, _CREATED, _UNREFERENCED)):
        session.info.pop(_UNREFERENCED, None)
        _forget(session, lambda entry: True)


def _forget(session: Session, undone: Callable[[_Pending], bool]) -> None:
    dropped = [e for e in session.info.pop(_DROPPED, []) if not undone(e)]
    created = session.info.pop(_CREATED, [])
    gone: dict[str, set[str]] = {}
    for entry in created:
        if undone(entry):
            gone.setdefault(entry.kind, set()).add(entry.name)
    _remove_outside_the_database(gone, legacy=False)
    created = [e for e in created if not undone(e)]
    if dropped:
        session.info[_DROPPED] = dropped
    if created:
        session.info[_CREATED] = created


# ---- flask uploads prune ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    """A file of a known kind: in the store, or (``path``) in the folder of earlier versions."""

    kind: str
    name: str
    size: int
    path: Path | None = None

    def __str__(self) -> str:
        return f"{self.kind}/{self.name}"


@dataclass
class PruneResult:
    orphans: list[Found] = field(default_factory=list)  # unreferenced, old enough
    recent: list[Found] = field(default_factory=list)  # unreferenced but too young to be sure
    referenced: int = 0
    missing: list[str] = field(default_factory=list)  # kind/name a record names, held neither by store nor folder
    left_alone: list[str] = field(default_factory=list)  # not a stored upload of a known kind


def _shown(path: Path) -> str:
    root = _root()
    return click.format_filename(path.relative_to(root) if path.is_relative_to(root) else path)


def find_orphans(now: float | None = None) -> PruneResult:
    """Every file of a registered kind with a stored name's shape that no record names, in the store and in
    the folder of earlier versions. The store's list is read before the references: a file and its record
    committed together are both seen, or neither. A file an object store or the folder holds is a candidate
    only once older than the grace period (written before its record's transaction committed); the database
    store's rows commit with their records. Nothing else is ever a candidate: other names, other folders,
    symbolic links are only reported."""
    now = time.time() if now is None else now
    result = PruneResult()
    target = store()
    root = _root()
    entries = sorted(root.iterdir()) if root.is_dir() else []
    for kind in kinds():
        found: list[tuple[Found, float]] = []
        for entry in target.entries(kind):
            if not STORED_NAME_RE.fullmatch(entry.name):
                result.left_alone.append(f"{kind}/{entry.name} in {target.label}")
                continue
            # The database store's rows commit with their records: no grace period for them.
            found.append((Found(kind, entry.name, entry.size), 0.0 if target.transactional else entry.written))
        folder = root / kind
        if folder.is_dir() and not folder.is_symlink():
            for path in sorted(folder.iterdir()):
                if path.is_symlink() or not path.is_file() or not STORED_NAME_RE.fullmatch(path.name):
                    result.left_alone.append(_shown(path))
                    continue
                stat = path.stat()
                found.append((Found(kind, path.name, stat.st_size, path), stat.st_mtime))
        names = referenced_names(kind)
        present = set()
        for item, written in found:
            present.add(item.name)
            if item.name in names:
                result.referenced += 1
            elif written > now - PRUNE_GRACE_SECONDS:
                result.recent.append(item)
            else:
                result.orphans.append(item)
        result.missing += [f"{kind}/{name}" for name in sorted(names - present)
                           if _plain_name(name) and not target.exists(kind, name)
                           and path_of(kind, name) is None]
    result.left_alone += [_shown(p) for p in entries
                          if p.name not in _references or p.is_symlink() or not p.is_dir()]
    result.left_alone.sort()
    return result


def _remove(found: Found) -> None:
    if found.path is not None:
        found.path.unlink()
        return
    target = store()
    if target.transactional:
        from incubator.extensions import db

        target.delete(found.kind, [found.name])
        db.session.commit()
    else:
        target.delete(found.kind, [found.name])


# ---- flask uploads migrate -------------------------------------------------------------------------------

@dataclass
class MigrateResult:
    moved: list[Found] = field(default_factory=list)
    already: list[Found] = field(default_factory=list)  # the store held the same bytes: the folder's copy removed
    conflicting: list[Found] = field(default_factory=list)  # the store holds other bytes under that name: left
    unmatched: list[Found] = field(default_factory=list)  # no record names it: left (prune removes it)
    left_alone: list[str] = field(default_factory=list)  # not a file of a known kind
    failed: list[tuple[Found, str]] = field(default_factory=list)


def migrate_folder(dry_run: bool = False, echo: Callable[[str], None] = lambda line: None) -> MigrateResult:
    """Move the files a record names from ``<instance>/uploads/<kind>/`` into the store, one at a time: written
    (and committed) in the store, then removed from the folder. Run twice, the second run finds nothing to do;
    interrupted, it goes on where it stopped. Files no record names, and anything that is not a stored file of
    a known kind, stay where they are."""
    from incubator.db import write_lock
    from incubator.extensions import db

    result = MigrateResult()
    target = store()
    root = _root()
    if not root.is_dir():
        return result
    for path in sorted(root.iterdir()):
        if path.name not in _references or path.is_symlink() or not path.is_dir():
            result.left_alone.append(_shown(path))
    for kind in kinds():
        folder = root / kind
        if not folder.is_dir() or folder.is_symlink():
            continue
        files = []
        for path in sorted(folder.iterdir()):
            if path.is_symlink() or not path.is_file() or not _plain_name(path.name) \
                    or len(path.name) > STORED_NAME_LIMIT:
                result.left_alone.append(_shown(path))
            else:
                files.append(path)
        names = referenced_names(kind, among={p.name for p in files})
        db.session.rollback()
        for path in files:
            item = Found(kind, path.name, path.stat().st_size, path)
            if path.name not in names:
                result.unmatched.append(item)
                continue
            data = path.read_bytes()
            try:
                held = target.get(kind, path.name)
                db.session.rollback()  # the write below begins a transaction of its own, with the write lock
                if held is not None:
                    (result.already if held == data else result.conflicting).append(item)
                    if held == data and not dry_run:
                        path.unlink()
                    continue
                if not dry_run:
                    with write_lock():
                        target.put(kind, path.name, data, media_type(path.name))
                        db.session.commit()
                    path.unlink()
                result.moved.append(item)
                echo(f"  {'would move' if dry_run else 'moved'} {item} ({item.size:,} bytes)")
            except Exception as exc:  # one file's failure leaves it in the folder; the others go on
                db.session.rollback()
                result.failed.append((item, str(exc)))
        if not dry_run and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return result


STORED_NAME_LIMIT = 100  # the width of stored_files.name


def register(app) -> None:
    @app.cli.group("uploads")
    def uploads_group() -> None:
        """Uploaded files: their store, and the folder of earlier versions."""

    @uploads_group.command("prune")
    @click.option("--dry-run", is_flag=True, help="List the orphaned files without removing them.")
    def prune_command(dry_run: bool) -> None:
        """Remove uploaded files that no record refers to (left by earlier versions)."""
        target = store()
        root = _root()
        result = find_orphans()
        verb = "would remove" if dry_run else "removed"
        removed, size = 0, 0
        for item in result.orphans:
            where = f"the folder {click.format_filename(root)}" if item.path is not None else target.label
            if not dry_run:
                try:
                    _remove(item)
                except Exception as exc:
                    click.echo(f"  could not remove {item} from {where}: {getattr(exc, 'strerror', None) or exc}",
                               err=True)
                    continue
            removed, size = removed + 1, size + item.size
            click.echo(f"  {verb} {item} ({item.size:,} bytes) from {where}")
        for item in result.recent:
            click.echo(f"  kept {item}: written less than {PRUNE_GRACE_SECONDS // 60} minutes ago, its "
                       "record may not be saved yet")
        for shown in result.left_alone:
            click.echo(f"  left alone {shown}: not a file this application stores")
        for name in result.missing:
            click.echo(f"  missing {name}: a record refers to it, but neither {target.label} nor {root} holds it")
        if not (removed or result.recent or result.referenced or result.left_alone or result.missing):
            click.echo(f"No uploaded files in {target.label} or {click.format_filename(root)}: nothing to prune.")
            return
        summary = f"{removed} orphaned file(s), {size:,} bytes"
        if dry_run:
            click.echo(f"Dry run: {summary} would be removed ({result.referenced} file(s) in use). "
                       "Run without --dry-run to remove them.")
        else:
            click.echo(f"{summary} removed ({result.referenced} file(s) in use).")

    @uploads_group.command("migrate")
    @click.option("--dry-run", is_flag=True, help="List the files that would be moved, moving nothing.")
    def migrate_command(dry_run: bool) -> None:
        """Move the files of an earlier version from the instance's uploads/ folder into the store."""
        target = store()
        root = _root()
        result = migrate_folder(dry_run, echo=click.echo)
        for item in result.already:
            click.echo(f"  {item}: already in {target.label}"
                       + ("" if dry_run else ", removed from the folder"))
        for item in result.conflicting:
            click.echo(f"  left {item}: {target.label} holds a different file under this name", err=True)
        for item in result.unmatched:
            click.echo(f"  left {item}: no record refers to it (flask uploads prune removes it)")
        for shown in result.left_alone:
            click.echo(f"  left alone {shown}: not a file this application stores")
        for item, why in result.failed:
            click.echo(f"  could not move {item}: {why}", err=True)
        size = sum(item.size for item in result.moved)
        verb = "would be moved" if dry_run else "moved"
        click.echo(f"{len(result.moved)} file(s), {size:,} bytes, {verb} from {click.format_filename(root)} "
                   f"into {target.label}; {len(result.unmatched) + len(result.conflicting) + len(result.failed)} "
                   "left in the folder.")
        if result.failed:
            raise SystemExit(1)
