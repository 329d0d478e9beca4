"""Where the bytes of uploaded files are kept: somewhere every application server reaches.

- **The database** (the default): the table ``stored_files``, one row a file. A file is written in the
  transaction of the request that saves its record, so a rollback drops both, and one backup holds the data
  and its files (``flask restore`` brings both back).
- **An S3-compatible object store**, for large installations: ``UPLOADS_URL`` (``INCUBATOR_UPLOADS_URL``)
  set to ``s3://bucket/prefix?endpoint_url=https://...&region=...``, the keys taken from the usual AWS
  variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, or a profile). It needs boto3
  (``pip install -e '.[s3]'``), imported only when so configured. An object is written at once, deleted again
  if the transaction rolls back, and deleted after the commit that drops its last record (``uploads``).

Installations of earlier versions kept files under ``<instance>/uploads/<kind>/``: that folder is still read
when the store has no such file, until ``flask --app incubator uploads migrate`` has moved them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db import UTCDateTime, utcnow
from incubator.extensions import db


class StoredFile(db.Model):
    """An uploaded file's bytes (the database store), named as the record that refers to it names it."""

    __tablename__ = "stored_files"
    __table_args__ = (sa.UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(100))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary(), deferred=True)  # read only by name, never listed
    size: Mapped[int] = mapped_column(sa.Integer())
    media_type: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass(frozen=True)
class Entry:
    """A file a store holds: its kind, stored name, size and when it was written (a POSIX timestamp)."""

    kind: str
    name: str
    size: int
    written: float


class DatabaseStore:
    """Files in the table ``stored_files``, written and deleted in the session's own transaction."""

    transactional = True
    label = "the database"

    def put(self, kind: str, name: str, data: bytes, media_type: str) -> None:
        db.session.execute(sa.insert(StoredFile).values(kind=kind, name=name, content=data, size=len(data),
                                                        media_type=media_type, created_at=utcnow()))

    def get(self, kind: str, name: str) -> bytes | None:
        found = db.session.execute(sa.select(StoredFile.content).where(StoredFile.kind == kind,
                                                                      StoredFile.name == name)).scalar()
        return None if found is None else bytes(found)

    def exists(self, kind: str, name: str) -> bool:
        return db.session.execute(sa.select(StoredFile.id).where(StoredFile.kind == kind,
                                                                 StoredFile.name == name)).first() is not None

    def delete(self, kind: str, names: Iterable[str], connection=None) -> None:
        names = sorted(set(names))
        if not names:
            return
        statement = sa.delete(StoredFile).where(StoredFile.kind == kind, StoredFile.name.in_(names))
        (connection or db.session).execute(statement)

    def entries(self, kind: str) -> Iterator[Entry]:
        rows = db.session.execute(sa.select(StoredFile.name, StoredFile.size, StoredFile.created_at)
                                  .where(StoredFile.kind == kind).order_by(StoredFile.name))
        for name, size, created in rows:
            yield Entry(kind, name, size, created.timestamp())


class S3Store:
    """Files as objects ``<prefix>/<kind>/<name>`` of one bucket of an S3-compatible store."""

    transactional = False

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"UPLOADS_URL must be s3://bucket/prefix, not {url!r}")
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        self.options = {"endpoint_url": query.get("endpoint_url"), "region_name": query.get("region")}
        self.label = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        self._client = None

    @property
    def client(self):
        if self._client is None:
            try:
                import boto3
            except ImportError as exc:
                raise RuntimeError("UPLOADS_URL names an S3 store, but boto3 is not installed "
                                   "(pip install -e '.[s3]').") from exc
            self._client = boto3.client("s3", **{k: v for k, v in self.options.items() if v})
        return self._client

    def key(self, kind: str, name: str) -> str:
        return "/".join(part for part in (self.prefix, kind, name) if part)

    def put(self, kind: str, name: str, data: bytes, media_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.key(kind, name), Body=data, ContentType=media_type)

    def get(self, kind: str, name: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(kind, name))
        except self.client.exceptions.NoSuchKey:
            return None
        return answer["Body"].read()

    def exists(self, kind: str, name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(kind, name))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, kind: str, names: Iterable[str], connection=None) -> None:
        names = sorted(set(names))
        for start in range(0, len(names), 1000):  # at most 1000 keys a request
            objects = [{"Key": self.key(kind, name)} for name in names[start:start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})

    def entries(self, kind: str) -> Iterator[Entry]:
        folder = self.key(kind, "") + "/"
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=folder):
            for item in page.get("Contents", []):
                name = item["Key"][len(folder):]
                yield Entry(kind, name, item["Size"], item["LastModified"].timestamp())


def from_url(url: str | None):
    """The store UPLOADS_URL names: none (or ``database``) the database, ``s3://...`` an object store."""
    if not url or url == "database":
        return DatabaseStore()
    if url.startswith("s3://"):
        return S3Store(url)
    raise ValueError(f"UPLOADS_URL is 'database' or s3://bucket/prefix?endpoint_url=..., not {url!r}")
