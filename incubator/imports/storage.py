"""Uploaded spreadsheets, kept between the preview and the import where every application server reaches them:
in the uploads store (the database by default, incubator/uploads/stores.py), kind ``imports``, as
``<random token>-<n>`` for the files and ``<random token>-meta`` for whose they are, for a day at most. The
preview may be served by one server and the import by another."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from flask import current_app

from incubator import uploads
from incubator.imports import reading

# A token is ours when it has this shape; anything else is refused before it names a stored file.
TOKEN_RE = re.compile(r"^[0-9a-f]{32}\Z")
CSV_NAMES = tuple(f"{table}.csv" for table in reading.TABLES)
KEEP_SECONDS = 24 * 3600
KIND = "imports"


def upload_name(filename: str | None) -> str:
    """The name the file had on the person's computer, without any folder, and printable."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable()).strip()[:100]


def _token(token: str | None) -> str | None:
    return token if isinstance(token, str) and TOKEN_RE.fullmatch(token) else None


def _stored_names(token: str) -> list[str]:
    return [entry.name for entry in uploads.store().entries(KIND) if entry.name.startswith(f"{token}-")]


def purge_old() -> None:
    """Forget uploads older than a day (and the folders of earlier versions, which kept them on disk)."""
    limit = time.time() - KEEP_SECONDS
    store = uploads.store()
    old = [entry.name for entry in store.entries(KIND) if entry.written < limit]
    if old:
        store.delete(KIND, old)
    root = Path(current_app.instance_path) / "imports"
    if root.is_dir():
        for folder in root.iterdir():
            if _token(folder.name) and folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)


def save(files, user_id: int) -> str:
    """Keep the uploaded files (already checked by the form), in the request's transaction, and return the token
    naming them."""
    purge_old()
    token = secrets.token_hex(16)
    store = uploads.store()
    names = [upload_name(f.filename) for f in files]
    stored = []
    for i, (storage, name) in enumerate(zip(files, names, strict=True)):
        stored.append(reading.XLSX_NAME if name.lower().endswith(".xlsx") else name.lower())
        store.put(KIND, f"{token}-{i}", storage.read(), "application/octet-stream")
    meta = {"user_id": user_id, "name": ", ".join(names), "files": stored, "saved": time.time()}
    store.put(KIND, f"{token}-meta", json.dumps(meta).encode("utf-8"), "application/json")
    return token


def exists(token: str | None) -> bool:
    token = _token(token)
    return token is not None and uploads.store().exists(KIND, f"{token}-meta")


def load(token: str | None, user_id: int) -> reading.Upload | None:
    """The tables of an upload of this person's, or None when the token is unknown, another's or too old."""
    token = _token(token)
    if token is None:
        return None
    store = uploads.store()
    raw = store.get(KIND, f"{token}-meta")
    if raw is None:
        return None
    meta = json.loads(raw.decode("utf-8"))
    if meta.get("saved", 0) < time.time() - KEEP_SECONDS:
        discard(token)
        return None
    if meta.get("user_id") != user_id:
        return None
    contents = {name: store.get(KIND, f"{token}-{i}") for i, name in enumerate(meta["files"])}
    if any(data is None for data in contents.values()):
        return None
    if reading.XLSX_NAME in contents:
        return reading.read_xlsx(contents[reading.XLSX_NAME], meta["name"])
    with tempfile.TemporaryDirectory(prefix="incubator-import-") as folder:
        for name, data in contents.items():
            if name in CSV_NAMES:
                (Path(folder) / name).write_bytes(data)
        return reading.read_folder(Path(folder), meta["name"])


def discard(token: str | None) -> None:
    token = _token(token)
    if token is not None:
        names = _stored_names(token)
        if names:
            uploads.store().delete(KIND, names)
