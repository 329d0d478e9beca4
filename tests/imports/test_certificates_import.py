"""``import-register`` reads a fourth file, certificates.csv (or the sheet ``certificates``): issue 22, acceptance 2.

Through the real doors: the command, the services and the staff's page. The rules of a certificate are the
register's own (certificates.services.check_fields), a certificate is found again by the register's own rule
(same_certificate), and a standard not in the list is added to it as not recognised, with a warning, never
refused. Every tax code is invented and passes the check digit; every name is made up.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.certificates import services as certificate_services
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate, CertificateStandard
from incubator.companies.models import Company, Residency
from incubator.demo.data import demo_tax_code
from incubator.extensions import db
from incubator.imports import reading, services
from tests.helpers import WRITTEN_EVEN_WHEN_REFUSED, nothing_written, post_form
from tests.imports.test_import import csv_bytes, xlsx_bytes

HONG_HA, LAC_LONG, TAY_HO, DONG_DO = (demo_tax_code(n) for n in (7101, 7102, 7103, 7104))
D = date

COMPANIES = [
    ["tax_code", "name", "is_it"],
    [HONG_HA, "Công ty TNHH Giải pháp Số Hồng Hà", "yes"],
    [TAY_HO, "Công ty Cổ phần Phần mềm Tây Hồ", "có"],
]
RESIDENCIES = [
    ["tax_code", "kind", "start_date", "end_date"],
    [HONG_HA, "incubated", "01/01/2024", ""],
]
HEADER = ["tax_code", "standard", "level", "issued_on", "expires_on", "issuer", "number", "revoked_on"]
CERTIFICATES = [
    HEADER,
    # A new company of the same import; CMMI, dates written dd/mm/yyyy.
    [HONG_HA, "CMMI", "3", "15/03/2024", "14/03/2027", "CMMI Institute", "CMMI-HH-01", ""],
    # A company already on the register; the standard written in another case and without its spaces; ISO dates.
    [LAC_LONG, "iso/iec27001", "", "2024-06-01", "2027-05-31", "Vinacontrol CE", "", ""],
    # A standard not in the list: added as not recognised, with a warning, never refused.
    [TAY_HO, "ISO 14001", "", "2023-09-10", "", "", "EMS-7", ""],
]
SHEETS = {"companies": COMPANIES, "residencies": RESIDENCIES, "certificates": CERTIFICATES}

EXPECTED = [
    (HONG_HA, "CMMI", 3, D(2024, 3, 15), D(2027, 3, 14), "CMMI Institute", "CMMI-HH-01", None),
    (LAC_LONG, "ISO/IEC 27001", None, D(2024, 6, 1), D(2027, 5, 31), "Vinacontrol CE", None, None),
    (TAY_HO, "ISO 14001", None, D(2023, 9, 10), None, None, "EMS-7", None),
]


# ---- Helpers -----------------------------------------------------------------------------------------------

def write_folder(folder: Path, sheets=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (SHEETS if sheets is None else sheets).items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(rows))
    return folder


def certificates_state():
    rows = db.session.execute(
        sa.select(Company.tax_code, CertificateStandard.code, Certificate.level, Certificate.issued_on,
                  Certificate.expires_on, Certificate.issuer, Certificate.number, Certificate.revoked_on)
        .join(Certificate.company).join(Certificate.standard).order_by(Company.tax_code)).all()
    return [tuple(r) for r in rows]


def counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (Company, Residency, Certificate, CertificateStandard))


def audited(action: str):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


@pytest.fixture
def lac_long(make):
    """The company already on the register that a row of certificates.csv names."""
    return make.company(tax_code=LAC_LONG, name="Công ty Cổ phần Công nghệ Lạc Long Quân")


@pytest.fixture
def cli(runner):
    """Run ``flask import-register``; messages in English, whatever the default language."""

    def _cli(*args):
        with force_locale("en"):
            result = runner.invoke(args=["import-register", *map(str, args)])
        db.session.expire_all()
        return result

    return _cli


# ---- 1. Dry run -------------------------------------------------------------------------------------------

def test_the_dry_run_counts_warns_of_the_new_standard_and_writes_nothing(cli, tmp_path, lac_long):
    db.session.commit()
    before = counts()
    with nothing_written("the dry run"):
        result = cli(write_folder(tmp_path / "csv"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "certificates (certificates.csv): 3 created, 0 updated, 0 unchanged" in result.output
    assert "companies (companies.csv): 2 created, 0 updated, 0 unchanged" in result.output
    assert f"+ create certificates.csv:2 {HONG_HA} CMMI 3 CMMI-HH-01 15/03/2024" in result.output
    assert f"+ create certificates.csv:3 {LAC_LONG} ISO/IEC 27001 01/06/2024" in result.output
    assert ("Warning: certificates.csv:4: Standard “ISO 14001” is not in the list: it will be added as not "
            "recognised, and its certificates will not count for the target.") in result.output
    assert "Dry run: nothing was written. 6 row(s) would be created and 0 updated." in result.output
    # Not even the new standard, nor an entry of the audit log.
    assert counts() == before == (1, 0, 0, 4)
    assert certificate_services.standard_by_code("ISO 14001") is None
    assert audited("standard.create") == [] and audited("certificate.create") == []


def test_the_services_dry_run_gives_the_counts_and_the_warning(tmp_path, lac_long):
    result = services.import_register(reading.read_folder(write_folder(tmp_path / "csv")), dry_run=True)
    assert result.ok and not result.applied
    assert result.counts["certificates"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert [(w.source, w.line) for w in result.warnings] == [("certificates.csv", 4)]
    assert [c.line for c in result.changes_of("certificates")] == [2, 3, 4]
    db.session.commit()
    assert counts() == (1, 0, 0, 4)


# ---- 2. Applied: ISO and dd/mm/yyyy dates, the standard compared without case and spaces, a new one added --

def test_the_import_records_verified_certificates_and_adds_the_unknown_standard_as_not_recognised(cli, tmp_path,
                                                                                                   lac_long):
    result = cli(write_folder(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    assert "Warning: certificates.csv:4: Standard “ISO 14001” is not in the list" in result.output
    assert "Imported csv: 6 row(s) created, 0 updated." in result.output
    assert certificates_state() == EXPECTED
    assert counts() == (3, 1, 3, 5)
    assert {c.status for c in db.session.scalars(sa.select(Certificate))} == {CertificateStatus.VERIFIED}
    iso_27001 = certificate_services.standard_by_code("ISO/IEC 27001")
    assert db.session.scalar(sa.select(Certificate.standard_id).where(Certificate.company_id == lac_long.id)) \
        == iso_27001.id  # the standard of the list, not a new one
    added = certificate_services.standard_by_code("iso14001")
    assert (added.code, added.recognised, added.has_levels) == ("ISO 14001", False, False)
    assert [e.object_label for e in audited("standard.create")] == ["ISO 14001"]
    assert len(audited("certificate.create")) == 3
    entry = audited("register.import")[-1]
    assert entry.details["counts"]["certificates"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert "certificates.csv" in entry.details["files"]


# ---- 3. Idempotent ----------------------------------------------------------------------------------------

def test_a_second_import_changes_nothing_and_a_changed_row_updates_its_certificate(cli, tmp_path, lac_long):
    folder = write_folder(tmp_path / "csv")
    assert cli(folder).exit_code == 0
    state, rows = certificates_state(), counts()
    entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    again = cli(folder)
    assert again.exit_code == 0, again.output
    assert "certificates (certificates.csv): 0 created, 0 updated, 3 unchanged" in again.output
    assert "Warning" not in again.output  # the standard is in the list now
    assert certificates_state() == state and counts() == rows
    # Only the import itself is logged the second time; each certificate was created once.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries + 1
    assert len(audited("certificate.create")) == 3 and len(audited("standard.create")) == 1

    # The same certificates, found by number (its case aside) or, without one, by the day of issue: a new expiry,
    # certifying body, level and revocation update them, audited; an empty issuer keeps the register's.
    changed = [HEADER,
               [HONG_HA, "cmmi", 4, "2024-03-15", "2027-03-14", "CMMI Institute", "cmmi-hh-01", ""],
               [LAC_LONG, "ISO/IEC 27001", "", "01/06/2024", "31/05/2028", "", "", "01/12/2025"]]
    result = cli(write_folder(tmp_path / "changed", {"certificates": changed}))
    assert result.exit_code == 0, result.output
    assert "certificates (certificates.csv): 0 created, 2 updated, 0 unchanged" in result.output
    assert f"~ update certificates.csv:2 {HONG_HA} CMMI 4 cmmi-hh-01 15/03/2024 (level)" in result.output
    assert "~ update certificates.csv:3" in result.output and "(expires_on, revoked_on)" in result.output
    assert certificates_state() == [
        (HONG_HA, "CMMI", 4, D(2024, 3, 15), D(2027, 3, 14), "CMMI Institute", "CMMI-HH-01", None),
        (LAC_LONG, "ISO/IEC 27001", None, D(2024, 6, 1), D(2028, 5, 31), "Vinacontrol CE", None, D(2025, 12, 1)),
        EXPECTED[2]]
    assert counts() == rows
    updates = audited("certificate.update")
    assert [e.details["changed"] for e in updates] == [
        {"level": [3, 4]},
        {"expires_on": ["2027-05-31", "2028-05-31"], "revoked_on": [None, "2025-12-01"]}]
    assert "certificates (certificates.csv): 0 created, 0 updated, 2 unchanged" in cli(tmp_path / "changed").output
    assert len(audited("certificate.update")) == 2


def test_a_certificate_staff_recorded_is_found_again_not_doubled(cli, tmp_path, lac_long):
    standard = certificate_services.standard_by_code("ISO/IEC 27001")
    certificate_services.record_certificate(lac_long, standard_id=standard.id, issued_on=D(2024, 6, 1),
                                            expires_on=D(2027, 5, 31), issuer="Vinacontrol CE")
    db.session.commit()
    rows = [HEADER, CERTIFICATES[2]]
    result = cli(write_folder(tmp_path / "csv", {"certificates": rows}))
    assert result.exit_code == 0, result.output
    assert "certificates (certificates.csv): 0 created, 0 updated, 1 unchanged" in result.output
    assert counts()[2] == 1


def test_a_founders_submission_waiting_for_staff_is_left_to_them_with_a_warning(cli, tmp_path, lac_long):
    standard = certificate_services.standard_by_code("ISO/IEC 27001")
    submitted = Certificate(company_id=lac_long.id, standard_id=standard.id, issued_on=D(2024, 6, 1),
                            expires_on=D(2026, 5, 31), status=CertificateStatus.SUBMITTED)
    db.session.add(submitted)
    db.session.commit()
    result = cli(write_folder(tmp_path / "csv", {"certificates": [HEADER, CERTIFICATES[2]]}))
    assert result.exit_code == 0, result.output
    assert ("Warning: certificates.csv:2: This certificate is on the business's file with the status “Waiting for "
            "verification”: the import leaves it as it is; decide on it on the business's file.") in result.output
    assert "0 created, 0 updated, 1 unchanged" in result.output
    db.session.refresh(submitted)
    assert (submitted.status, submitted.expires_on, counts()[2]) == (CertificateStatus.SUBMITTED, D(2026, 5, 31), 1)


# ---- 4. All or nothing: every refused row named with its file, line and reason ----------------------------

def test_bad_rows_are_each_named_and_nothing_is_written_not_even_the_other_files_rows(cli, tmp_path, lac_long):
    rows = [HEADER,
            [DONG_DO, "ISO 9001", "", "01/02/2024", "", "", "", ""],              # 2: unknown company
            [HONG_HA, "ISO 9001", "", "31/02/2024", "", "", "", ""],              # 3: not a date
            [HONG_HA, "ISO 9001", "", "01/02/2024", "31/01/2024", "", "", ""],    # 4: expiry before issue
            [HONG_HA, "CMMI", "6", "01/02/2024", "", "", "A-1", ""],              # 5: level out of 1-5
            [HONG_HA, "CMMI", "", "01/02/2024", "", "", "A-2", ""],               # 6: CMMI without level
            [LAC_LONG, "ISO 9001", "2", "01/02/2024", "", "", "", ""],            # 7: level without levels
            [LAC_LONG, "CMMI", "ba", "01/02/2024", "", "", "A-3", ""],            # 8: not a whole number
            [LAC_LONG, "", "", "01/02/2024", "", "", "", ""],                     # 9: no standard
            [TAY_HO, "ISO 9001", "", "2024-03-01", "", "", "Q-1", ""],            # 10: fine
            [TAY_HO, "iso 9001", "", "2024-04-01", "", "", "q-1", ""],            # 11: the same certificate
            [TAY_HO, "ISO 9001", "", "2024-03-01", "", "", "", "2024-02-01"],     # 12: revoked before issue
            [TAY_HO, "ISO 9001", "", "01/03/2099", "", "", "Q-2", ""]]            # 13: issued in the future
    db.session.commit()
    with nothing_written("the refused import"):
        result = cli(write_folder(tmp_path / "csv", {**SHEETS, "certificates": rows}))
    assert result.exit_code == 1
    lines = {line.split(": ", 1)[0]: line.split(": ", 1)[1]
             for line in result.output.splitlines() if re.match(r"^certificates\.csv:\d+: ", line)}
    assert sorted(lines, key=lambda k: int(k.split(":")[1])) == [
        f"certificates.csv:{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13)]
    assert lines["certificates.csv:2"].startswith("Unknown company")
    assert lines["certificates.csv:3"] == "issued_on “31/02/2024” is not a date: write DD/MM/YYYY or YYYY-MM-DD."
    assert lines["certificates.csv:4"] == "expires_on: A certificate cannot expire before it was issued."
    assert lines["certificates.csv:5"] == "level: A maturity level is 1 to 5."
    assert lines["certificates.csv:6"] == "level: Give the maturity level (1 to 5)."
    assert lines["certificates.csv:7"] == "level: This standard has no maturity levels."
    assert lines["certificates.csv:8"] == "level “ba” is not a whole number."
    assert lines["certificates.csv:9"] == "The certificate's standard is missing."
    assert lines["certificates.csv:11"] == "The same certificate is already on line 10."
    assert lines["certificates.csv:12"] == "revoked_on: A certificate cannot be revoked before it was issued."
    assert lines["certificates.csv:13"] == "issued_on: The date cannot be in the future."
    assert "11 problem(s): nothing was imported" in result.output
    # Neither the certificates nor the companies and residency of the other files of the same import.
    assert counts() == (1, 0, 0, 4)
    assert audited("register.import") == []


def test_a_missing_column_is_reported_on_the_header_line(cli, tmp_path, lac_long):
    rows = [["tax_code", "standard", "issued_on"], [LAC_LONG, "ISO 9001", "01/02/2024"]]
    result = cli(write_folder(tmp_path / "csv", {"certificates": rows}))
    assert result.exit_code == 1
    assert "certificates.csv:1: Missing column: level, expires_on, issuer, number." in result.output
    assert counts()[2] == 0


def test_a_new_standard_of_a_refused_import_is_not_added(cli, tmp_path, lac_long):
    rows = [HEADER, [LAC_LONG, "ISO 22301", "", "01/02/2024", "", "", "", ""],
            [LAC_LONG, "ISO 9001", "", "01/02/2024", "01/01/2024", "", "", ""]]
    result = cli(write_folder(tmp_path / "csv", {"certificates": rows}))
    assert result.exit_code == 1
    assert "Standard “ISO 22301” is not in the list" in result.output  # warned, but the import is refused anyway
    assert "certificates.csv:3: expires_on: A certificate cannot expire before it was issued." in result.output
    assert certificate_services.standard_by_code("ISO 22301") is None
    assert counts()[2:] == (0, 4)


# ---- 5. The workbook's sheet -----------------------------------------------------------------------------

def test_the_certificates_sheet_of_a_workbook_gives_the_same_register(cli, tmp_path, lac_long):
    """As a person types it into Excel: date cells, a level as a number, a code in capitals as the sheet's
    name, a tax code that lost its leading zero."""
    rows = [HEADER,
            [int(HONG_HA), "CMMI", 3, D(2024, 3, 15), D(2027, 3, 14), "CMMI Institute", "CMMI-HH-01", None],
            [LAC_LONG, "ISO/IEC 27001", None, "2024-06-01", D(2027, 5, 31), "Vinacontrol CE", None, None],
            [TAY_HO, "ISO 14001", None, "10/09/2023", None, None, "EMS-7", None]]
    assert int(HONG_HA) < 10 ** 9
    path = tmp_path / "so-dang-ky.xlsx"
    path.write_bytes(xlsx_bytes({"companies": COMPANIES, "residencies": RESIDENCIES, "Certificates": rows}))
    result = cli(path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "certificates (Certificates): 3 created, 0 updated, 0 unchanged" in result.output
    assert "Warning: Certificates:4: Standard “ISO 14001” is not in the list" in result.output
    assert counts() == (1, 0, 0, 4)
    result = cli(path)
    assert result.exit_code == 0, result.output
    assert certificates_state() == EXPECTED
    assert "0 updated, 3 unchanged" in cli(path).output


def test_a_bad_row_of_the_sheet_is_named_as_excel_numbers_it(cli, tmp_path, lac_long):
    rows = [HEADER, [LAC_LONG, "CMMI", 2.5, D(2024, 3, 15), None, None, "X", None]]
    path = tmp_path / "so-dang-ky.xlsx"
    path.write_bytes(xlsx_bytes({"certificates": rows}))
    result = cli(path)
    assert result.exit_code == 1
    assert "certificates:2: level “2.5” is not a whole number." in result.output
    assert counts()[2] == 0


# ---- 6. The staff's page ----------------------------------------------------------------------------------

URL = "/register/import/"
TOKEN = re.compile(r'name="token" type="hidden" value="([0-9a-f]{32})"')


def upload(client, files):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return post_form(client, URL + "preview", data, token_from=URL, content_type="multipart/form-data")


def test_the_page_explains_the_certificates_columns(login_as):
    client, _staff = login_as(Role.STAFF, locale="en")
    html = client.get(URL).get_data(as_text=True)
    for column in ("certificates", "standard", "level", "issued_on", "expires_on", "issuer", "number",
                   "revoked_on"):
        assert f"<code>{column}</code>" in html
    assert "<code>certificates.csv</code>" in html


def test_the_page_previews_the_certificates_with_the_warning_then_imports_them(login_as, lac_long):
    client, staff = login_as(Role.STAFF, locale="en")
    files = [(f"{name}.csv", csv_bytes(rows)) for name, rows in SHEETS.items()]
    # The preview keeps the files for the import (in the uploads store, kind "imports"), and writes nothing else.
    with nothing_written("the preview", ignore=WRITTEN_EVEN_WHEN_REFUSED | {"stored_files"}):
        response = upload(client, files)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    html = response.get_data(as_text=True)
    assert "Nothing has been written yet" in html
    warnings = html[html.index('id="import-warnings"'):]
    warnings = warnings[:warnings.index("</div>")]
    assert "certificates.csv, line 4" in warnings and "Standard “ISO 14001” is not in the list" in warnings
    assert re.search(r"<td>certificates\.csv</td><td class=\"text-end\">3</td>", html)
    assert f"{HONG_HA} CMMI 3 CMMI-HH-01 15/03/2024" in html

    token = TOKEN.search(html).group(1)
    assert post_form(client, URL + "apply", {"token": token}, token_from=URL).status_code == 302
    assert certificates_state() == EXPECTED
    assert {c.verified_by_id for c in db.session.scalars(sa.select(Certificate))} == {staff.id}
    assert audited("standard.create")[0].actor_id == staff.id


def test_the_page_names_a_refused_certificate_row(login_as, lac_long):
    client, _staff = login_as(Role.STAFF, locale="en")
    rows = [HEADER, [LAC_LONG, "CMMI", "7", "01/02/2024", "", "", "A-1", ""]]
    response = upload(client, [("certificates.csv", csv_bytes(rows))])
    assert response.status_code == 400
    html = response.get_data(as_text=True).replace("\n", "")
    assert "<td>2</td><td>level: A maturity level is 1 to 5.</td>" in html
    assert 'name="token"' not in html
    assert counts()[2] == 0


def test_four_csv_files_may_be_uploaded_but_not_a_fifth_name(login_as):
    client, _staff = login_as(Role.STAFF, locale="en")
    response = upload(client, [("certificate.csv", b"x")])
    assert response.status_code == 400
    assert "certificates.csv" in response.get_data(as_text=True)


def test_a_workbook_with_the_certificates_sheet_imported_twice_on_the_page(login_as, lac_long):
    client, _staff = login_as(Role.STAFF, locale="en")
    workbook = [("Sổ đăng ký 2025.xlsx", xlsx_bytes(SHEETS))]
    html = upload(client, workbook).get_data(as_text=True)
    assert re.search(r"<td>certificates</td><td class=\"text-end\">3</td>", html)
    assert "certificates, line 4" in html
    assert post_form(client, URL + "apply", {"token": TOKEN.search(html).group(1)}, token_from=URL).status_code == 302
    assert certificates_state() == EXPECTED

    response = upload(client, workbook)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "importing them would change nothing" in html
    assert 'id="import-warnings"' not in html
    assert re.search(r"<td>certificates</td><td class=\"text-end\">0</td><td class=\"text-end\">0</td>"
                     r"<td class=\"text-end\">3</td>", html)
    assert len(audited("certificate.create")) == 3
