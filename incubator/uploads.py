"""Uploaded files: checked to be what they claim, stored outside static/ under a random name, served only
through views that check permission, as attachments named ``.pdf``.

A file is stored as ``<instance>/uploads/<kind>/<32 hex digits>.pdf``; the record that refers to it keeps that
stored name in a column (and the name it was uploaded with in another, for display). This module is plumbing:
it imports no domain.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import lazy_gettext as _l

from incubator.errors import DomainError

MAX_PDF_BYTES = 10 * 1024 * 1024

log = logging.getLogger("incubator.uploads")


def _root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _folder(kind: str) -> Path:
    folder = _root() / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _plain_name(stored_name: str | None) -> bool:
    return bool(stored_name) and stored_name.endswith(".pdf") and "/" not in stored_name \
        and "\\" not in stored_name and ".." not in stored_name and "\x00" not in stored_name


@dataclass
class CheckedPdf:
    """A PDF that passed the checks, not yet on disk: it is written only once the record that names it has
    been accepted, so a refused form leaves no file behind."""

    stored_name: str
    original_name: str
    data: bytes

    def save(self, kind: str) -> None:
        path = _folder(kind) / self.stored_name
        try:
            path.write_bytes(self.data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise


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


def check_pdf(storage, field: str = "evidence_pdf") -> CheckedPdf:
    """Check that the upload is a real PDF of at most 10 MB (it must open with pypdf and have a page); what
    follows its last ``%%EOF`` is dropped, and what is kept is what pypdf opened."""
    from io import BytesIO

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
        reader = PdfReader(BytesIO(data))
        if len(reader.pages) < 1:
            raise PdfReadError("no page")
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise DomainError(_l("This file is not a readable PDF document."), field=field) from exc
    from incubator.text import clean_text

    original = clean_text((storage.filename or "").replace("/", "_").replace("\\", "_"), 1000) or "document.pdf"
    original = original[-200:]
    return CheckedPdf(f"{secrets.token_hex(16)}.pdf", original, data)


def path_of(kind: str, stored_name: str) -> Path | None:
    if not _plain_name(stored_name):
        return None
    path = _folder(kind) / stored_name
    return path if path.is_file() else None


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


def send_upload(kind: str, stored_name: str | None, original_name: str | None, fallback: str = "document.pdf"):
    """The one way an upload leaves the server: as an attachment (never shown in the browser's own tab), as
    ``application/pdf``, under a name ending in ``.pdf``; 404 when the file is not there. The caller has
    checked the permission."""
    path = path_of(kind, stored_name) if stored_name else None
    if path is None:
        abort(404)
    name = download_name(original_name, fallback)
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)
    options = {"filename": _ascii_name(name)}
    if options["filename"] != name:
        from urllib.parse import quote

        options["filename*"] = "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    response.headers.set("Content-Disposition", "attachment", **options)
    return response
