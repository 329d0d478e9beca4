"""Each incubator's periodic report carries its own names, number series and logo (issue 20): the dated names of
the bodies belong to an incubator (a new one gets copies of the first's, its operator as the issuing body), its
reports are numbered in its own series each year, and its record (names, address, suffix, logo) is edited on
its page under /admin/incubators."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.reports import services
from incubator.reports.enums import NameKind, ReportStatus
from incubator.reports.models import BodyName, PeriodicReport
from incubator.reports.queries import names_in_force, next_number
from incubator.reports.render import document_html, render_pdf
from tests.conftest import require_or_skip
from tests.helpers import csrf_token, login, post_form, table_state, written

OPERATOR_VI = "Trung tâm Ươm tạo Doanh nghiệp Công nghệ cao Hòa Lạc"
OPERATOR_EN = "Hòa Lạc High-Tech Business Incubation Centre"
VUHN_ISSUER_VI = "Trung tâm Đào tạo, tư vấn CNTT và Truyền thông Hà Nội"
VUHN_ISSUER_PART = "Đào tạo, tư vấn CNTT"  # as the heading prints it (keeps "Hà Nội" on one line)


def _vuhn(db) -> Incubator:
    return db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))


@pytest.fixture
def network(db):
    """VUHN with the seeded names (the governing body renamed in the 2025 merger), and HL created after them,
    run by its own operator."""
    vuhn = _vuhn(db)
    services.ensure_default_names(vuhn.id)
    db.session.commit()
    hl = organisation.create("HL", "Vườn ươm CNTT Hòa Lạc", "Hòa Lạc ICT incubator", actor=None,
                             operator_vi=OPERATOR_VI, operator_en=OPERATOR_EN)
    db.session.commit()
    return vuhn, hl


def _names(incubator_id) -> list[BodyName]:
    from incubator.extensions import db

    return list(db.session.scalars(sa.select(BodyName).where(BodyName.incubator_id == incubator_id)
                                   .order_by(BodyName.id)))


# ---- The names: copied to a new incubator, each report printing its own ----------------------------------

def test_a_new_incubator_gets_the_first_incubators_names_in_force_with_its_operator_as_issuing_body(network, db):
    vuhn, hl = network
    theirs = _names(hl.id)
    today = date.today()
    in_force = [n for n in _names(vuhn.id) if n.in_force(today)]
    assert len(theirs) == len(in_force) == 6  # the old Department's names ended in February 2025: not copied
    assert sorted((n.kind, n.valid_from, n.valid_until, n.position) for n in theirs) == \
        sorted((n.kind, n.valid_from, n.valid_until, n.position) for n in in_force)
    issuer = [n for n in theirs if n.kind is NameKind.ISSUING_BODY]
    assert [(n.name_vi, n.name_en) for n in issuer] == [(OPERATOR_VI, OPERATOR_EN)]
    governing = [n.name_vi for n in theirs if n.kind is NameKind.GOVERNING_BODY]
    assert governing == ["Sở Khoa học và Công nghệ Hà Nội"]
    # VUHN's own are untouched, and each copy is audited as added, saying for which incubator.
    assert [n.name_vi for n in _names(vuhn.id) if n.kind is NameKind.ISSUING_BODY] == [VUHN_ISSUER_VI]
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "report_name.create")).all()
    assert sorted(e.object_id for e in entries) == sorted(str(n.id) for n in theirs)
    assert all("HL" in e.reason for e in entries)


def test_the_command_names_the_operator_or_the_incubator_issues_its_reports(network, runner, db):
    result = runner.invoke(args=["incubators", "create", "HN3", "--name", "Vườn ươm Hà Nội 3", "--name-en",
                                 "Hà Nội incubator 3", "--operator", "Công ty Cổ phần Ươm tạo Tây Hồ",
                                 "--operator-en", "Tây Hồ Incubation JSC"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["incubators", "create", "HN4", "--name", "Vườn ươm Hà Nội 4"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    codes = {i.code: i.id for i in db.session.scalars(sa.select(Incubator))}
    with use_incubator(codes["HN3"]):
        assert names_in_force(date(2026, 1, 1))["vi"]["issuing_body"] == "Công ty Cổ phần Ươm tạo Tây Hồ"
        assert names_in_force(date(2026, 1, 1))["en"]["issuing_body"] == "Tây Hồ Incubation JSC"
    # No operator given: the incubator itself, in both languages (its Vietnamese name where it has no English).
    hn4 = names_in_force(date(2026, 1, 1), codes["HN4"])
    assert hn4["vi"]["issuing_body"] == hn4["en"]["issuing_body"] == "Vườn ươm Hà Nội 4"
    assert hn4["vi"]["governing_body"] == "Sở Khoa học và Công nghệ Hà Nội"


def _report(make, incubator, **fields) -> PeriodicReport:
    with use_incubator(incubator):
        staff = make.user(Role.STAFF, incubator=incubator)
        values = {"issued_on": date(2025, 7, 10), "signer_name": "Nguyễn Văn Minh", **fields}
        return services.create(actor=staff, period_label="2025-Q2", start=date(2025, 4, 1), end=date(2025, 6, 30),
                               **values)


def _html(report, lang: str = "vi") -> str:
    from incubator.reports.figures import compute

    return document_html(report, compute(report.period_start, report.period_end, report.incubator_id), lang)


def _pdf(report, lang: str = "vi") -> bytes:
    from incubator.reports.figures import compute

    return render_pdf(report, compute(report.period_start, report.period_end, report.incubator_id), lang)


def _pdf_text(pdf: bytes, tmp_path, name: str) -> str:
    require_or_skip(shutil.which("pdftotext") is not None, "poppler-utils is not installed")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


def test_each_incubators_report_prints_its_own_names_whoever_renders_it(network, make, db, client_factory,
                                                                        tmp_path):
    vuhn, hl = network
    theirs, ours = _report(make, hl), _report(make, vuhn)
    db.session.commit()
    html = _html(theirs)
    assert OPERATOR_VI in html and VUHN_ISSUER_PART not in html
    assert VUHN_ISSUER_PART in _html(ours) and OPERATOR_VI not in _html(ours)
    assert OPERATOR_EN in _html(theirs, "en")
    assert "Results of Hòa Lạc ICT incubator in quarter II of 2025" in _html(theirs, "en")  # its title too

    # An administrator working in VUHN opens HL's draft as a PDF: HL's names, not the ones of where they work.
    admin = make.user(Role.ADMIN)
    client = client_factory()
    login(client, admin)
    response = client.get(f"/reports/{theirs.id}.vi.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.data, tmp_path, "hl")
    assert "ƯƠM TẠO DOANH NGHIỆP" in text and "ĐÀO TẠO, TƯ VẤN" not in text
    assert "ĐÀO TẠO, TƯ VẤN" in _pdf_text(client.get(f"/reports/{ours.id}.vi.pdf").data, tmp_path, "vuhn")


def test_the_finalised_report_keeps_its_incubator_and_its_names(network, make, db):
    _, hl = network
    report = _report(make, hl)
    services.finalise(report, actor=make.user(Role.ADMIN))
    db.session.commit()
    assert report.names["incubator"] == {"code": "HL", "name_vi": "Vườn ươm CNTT Hòa Lạc",
                                         "name_en": "Hòa Lạc ICT incubator"}
    assert report.names["vi"]["issuing_body"] == OPERATOR_VI
    # Renamed afterwards, the finalised report still prints what it was issued with.
    issuer = next(n for n in _names(hl.id) if n.kind is NameKind.ISSUING_BODY)
    issuer.name_vi = "Tên mới của đơn vị vận hành"
    db.session.commit()
    assert OPERATOR_VI in document_html(report, report.snapshot, "vi")


def test_the_names_page_keeps_the_names_of_the_incubator_one_works_in(network, make, db, client_factory):
    vuhn, hl = network
    staff_hl = make.user(Role.STAFF, incubator=hl)
    client = client_factory()
    login(client, staff_hl)
    page = client.get("/reports/names").get_data(as_text=True)
    table = page[page.index('id="names"'):page.index("</table>")]
    assert OPERATOR_VI in table and VUHN_ISSUER_VI not in table
    assert "Vườn ươm CNTT Hòa Lạc" in page  # which incubator's names they are
    vuhn_name = next(n for n in _names(vuhn.id) if n.kind is NameKind.ISSUING_BODY)
    assert client.get(f"/reports/names/{vuhn_name.id}").status_code == 404
    # A name added there is HL's: a second place may not overlap HL's own, whatever VUHN keeps.
    response = post_form(client, "/reports/names", {"kind": "place", "name_vi": "Hòa Lạc", "name_en": "Hòa Lạc",
                                                    "valid_from": "01/01/2026", "position": "0"})
    assert response.status_code == 400  # HL's copy of "Hà Nội" is in force with no last day
    response = post_form(client, "/reports/names", {"kind": "addressee", "name_vi": "UBND xã Hòa Lạc",
                                                    "name_en": "Hòa Lạc Commune", "valid_from": "01/01/2026",
                                                    "position": "2"})
    assert response.status_code == 302
    added = db.session.scalar(sa.select(BodyName).where(BodyName.name_vi == "UBND xã Hòa Lạc"))
    assert added.incubator_id == hl.id
    assert "UBND xã Hòa Lạc" in names_in_force(date(2026, 6, 30), hl.id)["vi"]["addressees"]
    assert "UBND xã Hòa Lạc" not in names_in_force(date(2026, 6, 30), vuhn.id)["vi"]["addressees"]


# ---- Numbers: each incubator's series, each year ----------------------------------------------------------

def test_a_new_report_is_proposed_the_next_number_of_its_incubators_series_that_year(network, make, db):
    vuhn, hl = network
    assert vuhn.number_suffix == "BC-VƯTT" and hl.number_suffix == "BC-HL"
    first = _report(make, vuhn)
    second = _report(make, vuhn)
    assert (first.number, second.number) == ("01/BC-VƯTT", "02/BC-VƯTT")
    # HL's series is its own; its suffix, once set, ends its numbers.
    assert _report(make, hl).number == "01/BC-HL"
    hl.report_number_suffix = "BC-VƯHL"
    assert _report(make, hl).number == "02/BC-VƯHL"
    # The highest leading number counts, as staff typed it; another year starts again at 01.
    _report(make, vuhn, number="9/BC-VƯTT")
    assert next_number(vuhn, 2025) == "10/BC-VƯTT"
    _report(make, vuhn, number="15/BC-VƯTT", issued_on=date(2024, 12, 20))
    assert next_number(vuhn, 2025) == "10/BC-VƯTT" and next_number(vuhn, 2024) == "16/BC-VƯTT"
    assert next_number(vuhn, 2023) == "01/BC-VƯTT"
    # Staff may change the proposal.
    services.update(first, actor=make.user(Role.STAFF), number="07/BC-VƯTT")
    assert first.number == "07/BC-VƯTT"


def _final(make, incubator, number, start, end, label) -> PeriodicReport:
    with use_incubator(incubator):
        staff = make.user(Role.STAFF, incubator=incubator)
        report = services.create(actor=staff, period_label=label, start=start, end=end, number=number,
                                 issued_on=date(2025, 10, 5))
        return services.finalise(report, actor=staff)


def test_finalising_refuses_a_number_another_period_carries_in_the_same_incubator_only(network, make, db):
    vuhn, hl = network
    q2 = _final(make, vuhn, "03/BC-VƯTT", date(2025, 4, 1), date(2025, 6, 30), "2025-Q2")
    with use_incubator(vuhn):
        q3 = services.create(actor=make.user(Role.STAFF, incubator=vuhn), period_label="2025-Q3",
                             start=date(2025, 7, 1), end=date(2025, 9, 30), number="3/BC-VƯTT")
    with pytest.raises(DomainError) as refused:
        services.finalise(q3, actor=make.user(Role.STAFF, incubator=vuhn))
    assert refused.value.field == "number"
    db.session.rollback()
    q3 = db.session.get(PeriodicReport, q3.id)
    assert q3.status is ReportStatus.DRAFT
    # Another incubator may carry the same number.
    assert _final(make, hl, "03/BC-VƯTT", date(2025, 7, 1), date(2025, 9, 30), "2025-Q3").is_final
    # A new version of the same report keeps its number and is finalised.
    copy = services.new_version(q2, actor=make.user(Role.STAFF, incubator=vuhn))
    assert copy.number == "03/BC-VƯTT"
    assert services.finalise(copy, actor=make.user(Role.STAFF, incubator=vuhn)).is_final


# ---- The incubator's record: its page, its logo on the reports -------------------------------------------

def _png(width=60, height=30, colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def _upload(client, incubator, data: bytes, filename="logo.png", **fields):
    page = f"/admin/incubators/{incubator.id}"
    values = {"csrf_token": csrf_token(client), "version": str(incubator.version_id), "name_vi": incubator.name_vi,
              "name_en": incubator.name_en or "", "address": incubator.address or "",
              "report_number_suffix": incubator.report_number_suffix or "",
              "logo": (io.BytesIO(data), filename), **fields}
    return client.post(page, data=values, content_type="multipart/form-data")


def test_an_administrator_uploads_the_logo_and_the_report_prints_it(network, make, db, client_factory, app,
                                                                     tmp_path):
    vuhn, hl = network
    client = client_factory()
    login(client, make.user(Role.ADMIN))
    assert hl.code in client.get("/admin/incubators").get_data(as_text=True)
    response = _upload(client, hl, _png(), report_number_suffix="BC-VƯHL", address="Thạch Thất, Hà Nội")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    hl = db.session.get(Incubator, hl.id)
    assert hl.logo and hl.logo.endswith(".png") and hl.report_number_suffix == "BC-VƯHL"
    assert hl.version_id == 2
    from incubator import uploads

    assert uploads.read_image("logos", hl.logo)[1] == "image/png"
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "incubator.update"))
    assert audit.object_id == str(hl.id) and "logo" in audit.details["changed"]
    served = client.get(f"/admin/incubators/{hl.id}/logo")
    assert served.status_code == 200 and served.mimetype == "image/png"

    report = _report(make, hl)
    html = _html(report)
    assert '<img class="logo" id="logo" src="data:image/png;base64,' in html
    assert "<img" not in _html(_report(make, vuhn))  # VUHN has no logo
    require_or_skip(shutil.which("pdfimages") is not None, "poppler-utils is not installed")
    path = tmp_path / "hl.pdf"
    path.write_bytes(_pdf(report))
    images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True,
                            text=True).stdout.splitlines()[2:]
    assert len(images) >= 1 and images[0].split()[0] == "1"  # on the first page


def test_a_file_that_is_not_a_png_or_jpeg_is_refused_and_nothing_is_written(network, make, db, client_factory):
    _, hl = network
    client = client_factory()
    login(client, make.user(Role.ADMIN))
    for data, name in ((b"%PDF-1.4 not an image", "logo.png"), (b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                                              "logo.png"),
                       (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "logo.png"), (_png(3000, 10), "wide.png")):
        before = table_state()
        response = _upload(client, hl, data, filename=name)
        assert response.status_code == 400, name
        assert not written(before, table_state())
    # An edit made on an older version is refused.
    response = _upload(client, hl, _png(), version="99")
    assert response.status_code in (400, 409)
    assert db.session.get(Incubator, hl.id).logo is None


def test_staff_edit_the_record_of_the_incubator_they_work_in_only(network, make, db, client_factory):
    vuhn, hl = network
    client = client_factory()
    login(client, make.user(Role.STAFF, incubator=hl))
    assert client.get(f"/admin/incubators/{hl.id}").status_code == 200
    assert client.get(f"/admin/incubators/{vuhn.id}").status_code == 404
    assert client.get(f"/admin/incubators/{vuhn.id}/logo").status_code == 404
    listing = client.get("/admin/incubators").get_data(as_text=True)
    assert "Vườn ươm CNTT Hòa Lạc" in listing and f"/admin/incubators/{vuhn.id}" not in listing
    response = _upload(client, hl, _png(), report_number_suffix="BC VƯ HL")  # spaces: refused
    assert response.status_code == 400
    reviewer = client_factory()
    login(reviewer, make.user(Role.REVIEWER, incubator=hl))
    assert reviewer.get(f"/admin/incubators/{hl.id}").status_code == 403


# ---- The migration --------------------------------------------------------------------------------------

def test_the_upgrade_gives_todays_names_to_vuhn_and_copies_to_an_incubator_already_there(app, tmp_path):
    from flask_migrate import downgrade, upgrade

    from tests.test_migrations import _app_on_fresh_database

    other = _app_on_fresh_database(tmp_path, "names_per_incubator")
    with other.app_context():
        upgrade(revision="7e2c3f4a5b62")
        engine = other.extensions["migrate"].db.engine
        with engine.begin() as conn:
            seeded = conn.exec_driver_sql("SELECT kind, name_vi, valid_from FROM report_names ORDER BY id").all()
            conn.exec_driver_sql("INSERT INTO incubators (code, name_vi, name_en, created_at) "
                                 "VALUES ('HN2', 'Vườn ươm Hà Nội 2', NULL, '2026-01-01 00:00:00')")
        upgrade(revision="8f3d4a5b6c73")
        with engine.connect() as conn:
            ids = dict(conn.exec_driver_sql("SELECT code, id FROM incubators").all())
            rows = conn.exec_driver_sql("SELECT incubator_id, kind, name_vi, name_en, valid_from FROM report_names "
                                        "ORDER BY id").all()
            suffixes = dict(conn.exec_driver_sql("SELECT code, report_number_suffix FROM incubators").all())
        vuhn_rows = [(r[1], r[2], r[4]) for r in rows if r[0] == ids["VUHN"]]
        assert vuhn_rows == [tuple(r) for r in seeded] and len(seeded) == 8
        hn2_rows = [r for r in rows if r[0] == ids["HN2"]]
        assert len(hn2_rows) == 8
        assert [(r[2], r[3]) for r in hn2_rows if r[1] == "issuing_body"] == [("Vườn ươm Hà Nội 2",
                                                                                 "Vườn ươm Hà Nội 2")]
        assert suffixes == {"VUHN": "BC-VƯTT", "HN2": None}
        downgrade(revision="7e2c3f4a5b62")
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT kind, name_vi, valid_from FROM report_names ORDER BY id").all() \
                == seeded
        engine.dispose()
