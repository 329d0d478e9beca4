"""Uploaded files: checked to be what they claim, stored outside static/ under a random name, served only
through views that check permission, as attachments."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from incubator.errors import DomainError

MAX_PDF_BYTES = 10 * 1024 * 1024


def _folder(kind: str) -> Path:
    folder = Path(current_app.instance_path) / "uploads" / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class CheckedPdf:
    """A PDF that passed the checks, not yet on disk: it is written only once the record that names it has
    been accepted, so a refused form leaves no file behind."""

    stored_name: str
    original_name: str
    data: bytes

    def save(self, kind: str) -> None:
        (_folder(kind) / self.stored_name).write_bytes(self.data)


def check_pdf(storage, field: str = "evidence_pdf") -> CheckedPdf:
    """Check that the upload is a real PDF of at most 10 MB (it must open with pypdf and have a page)."""
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = storage.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise DomainError(_l("The file is larger than 10 MB."), field=field)
    try:
        if not data.startswith(b"%PDF-"):
            raise PdfReadError("no PDF header")
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
    if not stored_name or not stored_name.endswith(".pdf") or "/" in stored_name or ".." in stored_name:
        return None
    path = _folder(kind) / stored_name
    return path if path.is_file() else None
