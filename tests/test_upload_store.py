"""Where uploaded files are kept (issue 23): in the database by default, so that every application server reaches
them and one backup holds them; in an S3-compatible store when UPLOADS_URL names one; the folder of earlier
versions is still read, and `flask uploads migrate` moves its files into the store."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator import uploads
from incubator.auth.enums import Role
from incubator.outcomes.models import GraduationOutcome
from incubator.uploads.stores import S3Store, StoredFile, from_url
from tests.helpers import post_form


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)[0]


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own (the folder earlier versions kept files in)."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    return Path(app.instance_path)


def _new_outcome(staff, company, content: bytes, name: str = "hop-dong.pdf"):
    url = f"/register/{company.id}/outcomes/new"
    return post_form(staff, url, {"decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
                                  "evidence_pdf": (io.BytesIO(content), name)},
                     token_from=url, content_type="multipart/form-data")


def _replace_evidence(staff, outcome, content: bytes):
    url = f"/register/outcomes/{outcome.id}/edit"
    return post_form(staff, url, {"decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
                                  "version": outcome.version_id, "evidence_pdf": (io.BytesIO(content), "moi.pdf")},
                     token_from=url, content_type="multipart/form-data")


def _outcome(db) -> GraduationOutcome:
    db.session.expire_all()
    return db.session.query(GraduationOutcome).one()


def _rows(db) -> list[tuple[str, str, int, str]]:
    db.session.commit()
    return db.session.execute(sa.select(StoredFile.kind, StoredFile.name, StoredFile.size, StoredFile.media_type)
                              .order_by(StoredFile.id)).all()


def _pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ---- The database store ------------------------------------------------------------------------------------

def test_an_upload_is_a_row_of_the_database_and_nothing_on_the_servers_disk(staff, make, db, instance):
    pdf = _pdf("Hợp đồng")
    assert _new_outcome(staff, make.company(), pdf).status_code == 302
    outcome = _outcome(db)
    assert _rows(db) == [("evidence", outcome.evidence_file, len(pdf), "application/pdf")]
    assert not (instance / "uploads").exists()
    download = staff.get(f"/register/outcomes/{outcome.id}/evidence")
    assert download.status_code == 200 and download.data == pdf


def test_a_failed_request_leaves_no_row_and_a_replaced_file_goes_with_the_commit(staff, make, db, monkeypatch):
    assert _new_outcome(staff, make.company(), _pdf("Bản 1")).status_code == 302
    first = _outcome(db).evidence_file

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    with monkeypatch.context() as patched:
        patched.setattr("incubator.outcomes.services.audit.record", broken)
        assert _replace_evidence(staff, _outcome(db), _pdf("Bản 2")).status_code == 500
    assert [row.name for row in _rows(db)] == [first]  # the new file's row rolled back with its record
    assert _replace_evidence(staff, _outcome(db), _pdf("Bản 3")).status_code == 302
    assert [row.name for row in _rows(db)] == [_outcome(db).evidence_file] != [first]


def test_a_file_another_record_still_names_is_kept(staff, make, db):
    assert _new_outcome(staff, make.company(), _pdf("Chung")).status_code == 302
    outcome = _outcome(db)
    twin = make.outcome(company=make.company(), evidence_file=outcome.evidence_file, evidence_filename="chung.pdf")
    outcome.evidence_file = None
    db.session.commit()
    assert uploads.exists("evidence", twin.evidence_file)
    db.session.delete(twin)
    db.session.commit()
    assert not uploads.exists("evidence", twin.evidence_file)


def test_backup_and_restore_bring_back_the_files_with_the_data(runner, staff, make, db, tmp_path):
    original = _pdf("Bản gốc")
    assert _new_outcome(staff, make.company(), original).status_code == 302
    outcome_id = _outcome(db).id
    target = tmp_path / "incubator.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert _replace_evidence(staff, _outcome(db), _pdf("Bản thay thế")).status_code == 302
    assert staff.get(f"/register/outcomes/{outcome_id}/evidence").data != original
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    download = staff.get(f"/register/outcomes/{outcome_id}/evidence")
    assert download.status_code == 200 and download.data == original
    assert len(_rows(db)) == 1


def test_uploads_url_names_the_store():
    assert isinstance(from_url(None), uploads.stores.DatabaseStore)
    assert isinstance(from_url("database"), uploads.stores.DatabaseStore)
    store = from_url("s3://ho-so/vuon-uom/tep?endpoint_url=http://127.0.0.1:9000&region=ap-southeast-1")
    assert isinstance(store, S3Store)
    assert (store.bucket, store.key("evidence", "a.pdf")) == ("ho-so", "vuon-uom/tep/evidence/a.pdf")
    assert store.options == {"endpoint_url": "http://127.0.0.1:9000", "region_name": "ap-southeast-1"}
    with pytest.raises(ValueError):
        from_url("/var/lib/incubator/uploads")


# ---- The folder of earlier versions, and `flask uploads migrate` -----------------------------------------

def _old_file(instance: Path, kind: str, name: str, content: bytes) -> Path:
    path = instance / "uploads" / kind / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))
    return path


@pytest.fixture
def upgraded(instance, make, db):
    """An installation of an earlier version: two outcomes whose evidence is in the instance folder, a file no
    record names, and files that are not stored uploads."""
    files = {}
    for i, title in enumerate(["Hợp đồng A", "Hợp đồng B"]):
        name = f"{i}" * 32 + ".pdf"
        content = _pdf(title)
        outcome = make.outcome(company=make.company(), evidence_file=name, evidence_filename=f"hop-dong-{i}.pdf")
        files[name] = (_old_file(instance, "evidence", name, content), content, outcome.id)
    orphan = _old_file(instance, "evidence", "a" * 32 + ".pdf", _pdf("Mồ côi"))
    notes = _old_file(instance, "evidence", "ghi-chu.txt", b"notes")
    other = _old_file(instance, "khac", "b" * 32 + ".pdf", _pdf("Khác"))
    return {"files": files, "orphan": orphan, "notes": notes, "other": other}


def test_an_upgraded_installation_serves_its_old_files_until_they_are_moved(upgraded, staff, db):
    for _path, content, outcome_id in upgraded["files"].values():
        download = staff.get(f"/register/outcomes/{outcome_id}/evidence")
        assert download.status_code == 200 and download.data == content
    assert _rows(db) == []


def test_a_dropped_old_file_is_deleted_from_the_folder_after_the_commit(upgraded, staff, db):
    _name, (path, _content, outcome_id) = next(iter(upgraded["files"].items()))
    outcome = db.session.get(GraduationOutcome, outcome_id)
    assert _replace_evidence(staff, outcome, _pdf("Bản mới")).status_code == 302
    assert not path.exists()
    assert [row.name for row in _rows(db)] == [_outcome_of(db, outcome_id).evidence_file]


def _outcome_of(db, outcome_id) -> GraduationOutcome:
    db.session.expire_all()
    return db.session.get(GraduationOutcome, outcome_id)


def test_uploads_migrate_dry_run_moves_nothing(runner, upgraded, db):
    result = runner.invoke(args=["uploads", "migrate", "--dry-run"])
    assert result.exit_code == 0, result.output
    for name, (path, _content, _id) in upgraded["files"].items():
        assert f"would move evidence/{name}" in result.output
        assert path.is_file()
    assert "2 file(s)" in result.output and "would be moved" in result.output
    assert _rows(db) == []


def test_uploads_migrate_moves_the_files_records_name_into_the_database_and_is_idempotent(runner, upgraded, staff,
                                                                                         db):
    result = runner.invoke(args=["uploads", "migrate"])
    assert result.exit_code == 0, result.output
    for name, (path, content, outcome_id) in upgraded["files"].items():
        assert f"moved evidence/{name} ({len(content):,} bytes)" in result.output
        assert not path.exists()
        download = staff.get(f"/register/outcomes/{outcome_id}/evidence")
        assert download.status_code == 200 and download.data == content
    assert sorted(row.name for row in _rows(db)) == sorted(upgraded["files"])
    assert "2 file(s)" in result.output and "moved from" in result.output and "into the database" in result.output
    # What no record names, and what is not a stored upload, stays where it was.
    assert f"left evidence/{upgraded['orphan'].name}: no record refers to it" in result.output
    assert "left alone evidence/ghi-chu.txt" in result.output and "left alone khac" in result.output
    for path in (upgraded["orphan"], upgraded["notes"], upgraded["other"]):
        assert path.is_file()
    again = runner.invoke(args=["uploads", "migrate"])
    assert again.exit_code == 0, again.output
    assert "0 file(s), 0 bytes, moved" in again.output
    assert len(_rows(db)) == 2


def test_uploads_migrate_finishes_an_interrupted_run_and_leaves_a_different_file(runner, upgraded, db):
    (name_a, (path_a, content_a, _)), (name_b, (path_b, _content_b, _)) = upgraded["files"].items()
    uploads.CheckedPdf(name_a, "x.pdf", content_a).save("evidence")  # copied before an interruption
    uploads.CheckedPdf(name_b, "x.pdf", _pdf("Khác hẳn")).save("evidence")  # same name, other bytes
    db.session.commit()
    result = runner.invoke(args=["uploads", "migrate"])
    assert result.exit_code == 0, result.output
    assert f"evidence/{name_a}: already in the database, removed from the folder" in result.output
    assert not path_a.exists()
    assert f"left evidence/{name_b}: the database holds a different file under this name" in result.output
    assert path_b.is_file()


def test_uploads_migrate_without_a_folder_moves_nothing(runner, instance):
    result = runner.invoke(args=["uploads", "migrate"])
    assert result.exit_code == 0, result.output
    assert "0 file(s), 0 bytes, moved" in result.output


# ---- An S3-compatible store ------------------------------------------------------------------------------

@pytest.fixture
def s3(app, monkeypatch):
    """The application with UPLOADS_URL naming a bucket of a fake S3 (moto, in the process)."""
    pytest.importorskip("boto3", reason="boto3 is not installed (pip install -e '.[s3]'): the S3 store is optional")
    moto = pytest.importorskip("moto", reason="moto is not installed (pip install moto): it stands in for S3")
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "ap-southeast-1"}.items():
        monkeypatch.setenv(key, value)
    with moto.mock_aws():
        store = S3Store("s3://ho-so-vuon-uom/tep?region=ap-southeast-1")
        store.client.create_bucket(Bucket="ho-so-vuon-uom",
                                   CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        monkeypatch.setitem(app.config, "UPLOADS_URL", "s3://ho-so-vuon-uom/tep?region=ap-southeast-1")
        monkeypatch.setitem(app.extensions, uploads._STORE, store)
        yield store


def _objects(store: S3Store) -> list[str]:
    answer = store.client.list_objects_v2(Bucket=store.bucket)
    return sorted(item["Key"] for item in answer.get("Contents", []))


def test_with_an_s3_store_files_are_objects_written_deleted_and_served(s3, staff, make, db, monkeypatch, runner):
    pdf = _pdf("Trên S3")
    assert _new_outcome(staff, make.company(), pdf).status_code == 302
    first = _outcome(db).evidence_file
    assert _objects(s3) == [f"tep/evidence/{first}"] and _rows(db) == []
    assert staff.get(f"/register/outcomes/{_outcome(db).id}/evidence").data == pdf

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    with monkeypatch.context() as patched:
        patched.setattr("incubator.outcomes.services.audit.record", broken)
        assert _replace_evidence(staff, _outcome(db), _pdf("Hỏng")).status_code == 500
    assert _objects(s3) == [f"tep/evidence/{first}"]  # the object written for the rolled-back record is gone
    assert _replace_evidence(staff, _outcome(db), _pdf("Bản 2")).status_code == 302
    second = _outcome(db).evidence_file
    assert _objects(s3) == [f"tep/evidence/{second}"]  # the replaced one deleted after the commit

    s3.client.put_object(Bucket=s3.bucket, Key="tep/evidence/" + "c" * 32 + ".pdf", Body=b"%PDF-1.4 cu")
    result = runner.invoke(args=["uploads", "prune", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"kept evidence/{'c' * 32}.pdf: written less than" in result.output  # just written: its record may come
