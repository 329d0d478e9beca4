"""Uploaded spreadsheets, kept server-side between the preview and the import: under
``<instance>/imports/<random token>/``, for the person who uploaded them, for a day at most."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from flask import current_app

from incubator.imports import reading

# A token is ours when it has this shape; anything else is refused before it names a folder.
TOKEN_RE = re.compile(r"^[0-9a-f]{32}\Z")
CSV_NAMES = tuple(f"{table}.csv" for table in reading.TABLES)
KEEP_SECONDS = 24 * 3600
_META = "upload.json"


def upload_name(filename: str | None) -> str:
    """The name the file had on the person's computer, without any folder, and printable."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable()).strip()[:100]


def _root() -> Path:
    return Path(current_app.instance_path) / "imports"


def _folder(token: str | None) -> Path | None:
    """Only a token of our own shape names a folder: never a path a request could steer."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None
    return _root() / token


def purge_old() -> None:
    root = _root()
    if not root.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        if _folder(folder.name) is not None and folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def save(files, user_id: int) -> str:
    """Keep the uploaded files (already checked by the form) and return the token naming them."""
    purge_old()
    token = secrets.token_hex(16)
    folder = _folder(token)
    folder.mkdir(parents=True)
    names = [upload_name(f.filename) for f in files]
    for storage, name in zip(files, names, strict=True):
        stored = reading.XLSX_NAME if name.lower().endswith(".xlsx") else name.lower()
        storage.save(folder / stored)
    label = ", ".join(names)
    (folder / _META).write_text(json.dumps({"user_id": user_id, "name": label}), encoding="utf-8")
    return token


def load(token: str | None, user_id: int) -> reading.Upload | None:
    """The tables of an upload of this person's, or None when the token is unknown, another's or too old."""
    folder = _folder(token)
    if folder is None or not (folder / _META).is_file():
        return None
    if folder.stat().st_mtime < time.time() - KEEP_SECONDS:
        discard(token)
        return None
    meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    if meta.get("user_id") != user_id:
        return None
    workbook = folder / reading.XLSX_NAME
    if workbook.is_file():
        return reading.read_xlsx(workbook.read_bytes(), meta["name"])
    return reading.read_folder(folder, meta["name"])


def discard(token: str | None) -> None:
    folder = _folder(token)
    if folder is not None and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
