"""Importing the register from staff's spreadsheets: all or nothing, idempotent, the same from CSV and .xlsx.

Through the real doors: the ``import-register`` command, the staff page, and the services. Every tax code
is invented (``demo_tax_code``) and passes the check digit; every name is made up.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import Workbook

from incubator import uploads
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.demo.data import demo_tax_code
from incubator.extensions import db
from incubator.imports import reading, services, storage
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from tests.helpers import post_form

HONG_HA, LAC_LONG, TAY_HO, DONG_DO = (demo_tax_code(n) for n in (7001, 7002, 7003, 7004))
D = date

COMPANIES = [
    ["tax_code", "name", "is_it", "founded_on", "sector"],
    [HONG_HA, "Công ty TNHH Giải pháp Số Hồng Hà", "yes", "15/03/2021", "Phần mềm"],
    [LAC_LONG, "Công ty Cổ phần Công nghệ Lạc Long Quân", "Có", "2022-07-01", "Trí tuệ nhân tạo"],
    [TAY_HO, "Công ty TNHH Dịch vụ Văn phòng Tây Hồ", "không", "", "Dịch vụ văn phòng"],
]
RESIDENCIES = [
    ["Tax_Code ", " Kind", "start_date", "END_DATE", "note", "ghi chú thêm"],
    [HONG_HA, "incubated", "01/01/2024", "31/12/2024", "Khóa ươm tạo 2024", "cột thừa"],
    [HONG_HA, "alumnus", "2025-01-01", "", "", ""],
    [LAC_LONG, "incubated", "2024-06-01", "", "", ""],
    [TAY_HO, "service_tenant", "01/02/2024", "31/01/2025", "Thuê văn phòng tầng 3", ""],
]
OUTCOMES = [
    ["tax_code", "decision", "decided_on", "product", "market_evidence", "pillars", "cohort"],
    [HONG_HA, "graduated", "20/12/2024", "Nền tảng hồ sơ số một cửa", "https://hongha.example/hop-dong",
     "government; economy", "Khóa 2024"],
    [LAC_LONG, "extended", "2025-05-30", "Trợ lý ảo tiếng Việt", "Hợp đồng với UBND phường Dịch Vọng",
     "society", "Khóa 2024"],
]
SHEETS = {"companies": COMPANIES, "residencies": RESIDENCIES, "outcomes": OUTCOMES}

EXPECTED = (
    [(HONG_HA, "Công ty TNHH Giải pháp Số Hồng Hà", True, D(2021, 3, 15), "Phần mềm"),
     (LAC_LONG, "Công ty Cổ phần Công nghệ Lạc Long Quân", True, D(2022, 7, 1), "Trí tuệ nhân tạo"),
     (TAY_HO, "Công ty TNHH Dịch vụ Văn phòng Tây Hồ", False, None, "Dịch vụ văn phòng")],
    [(HONG_HA, "alumnus", D(2025, 1, 1), None, None),
     (HONG_HA, "incubated", D(2024, 1, 1), D(2024, 12, 31), "Khóa ươm tạo 2024"),
     (LAC_LONG, "incubated", D(2024, 6, 1), None, None),
     (TAY_HO, "service_tenant", D(2024, 2, 1), D(2025, 1, 31), "Thuê văn phòng tầng 3")],
    [(HONG_HA, "graduated", D(2024, 12, 20), "Nền tảng hồ sơ số một cửa", None, "https://hongha.example/hop-dong",
      ("economy", "government"), "Khóa 2024"),
     (LAC_LONG, "extended", D(2025, 5, 30), "Trợ lý ảo tiếng Việt", "Hợp đồng với UBND phường Dịch Vọng", None,
      ("society",), "Khóa 2024")],
)


# ---- Helpers -----------------------------------------------------------------------------------------------

def csv_bytes(rows, bom: bool = True, delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def write_folder(folder: Path, sheets=None, **kw) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (SHEETS if sheets is None else sheets).items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(rows, **kw))
    return folder


def xlsx_bytes(sheets) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def as_workbook_cells(sheets):
    """The same register as a person would type it into Excel: real dates, booleans, a tax code that Excel
    took for a number (its leading zero lost), a sheet name in capitals."""
    companies = [COMPANIES[0],
                 [int(HONG_HA), COMPANIES[1][1], True, D(2021, 3, 15), "Phần mềm"],
                 [LAC_LONG, COMPANIES[2][1], "có", datetime(2022, 7, 1), "Trí tuệ nhân tạo"],
                 [TAY_HO, COMPANIES[3][1], False, None, "Dịch vụ văn phòng"]]
    residencies = [RESIDENCIES[0],
                   [HONG_HA, "incubated", D(2024, 1, 1), D(2024, 12, 31), "Khóa ươm tạo 2024", "cột thừa"],
                   [HONG_HA, "alumnus", D(2025, 1, 1), None, None, None],
                   [LAC_LONG, "Incubated", "01/06/2024", None, None, None],
                   [TAY_HO, "service_tenant", D(2024, 2, 1), D(2025, 1, 31), "Thuê văn phòng tầng 3", None]]
    outcomes = [OUTCOMES[0], [*OUTCOMES[1][:2], D(2024, 12, 20), *OUTCOMES[1][3:]], OUTCOMES[2]]
    assert int(HONG_HA) < 10 ** 9  # the code really starts with 0, so the number really lost a digit
    return {"Companies": companies, "residencies": residencies, "outcomes": outcomes}


def register_state():
    companies = db.session.execute(sa.select(Company.tax_code, Company.name, Company.is_it, Company.founded_on,
                                             Company.sector).order_by(Company.tax_code)).all()
    residencies = db.session.execute(
        sa.select(Company.tax_code, Residency.kind, Residency.starts_on, Residency.ends_on, Residency.note)
        .join(Residency.company).order_by(Company.tax_code, Residency.kind, Residency.starts_on)).all()
    outcomes = db.session.scalars(sa.select(GraduationOutcome).join(GraduationOutcome.company)
                                  .order_by(Company.tax_code, GraduationOutcome.decided_on)).all()
    return (
        [tuple(r) for r in companies],
        [(code, kind.value, start, end, note) for code, kind, start, end, note in residencies],
        [(o.company.tax_code, o.decision.value, o.decided_on, o.product, o.evidence_text, o.evidence_url,
          tuple(sorted(p.value for p in o.pillars)), o.cohort_name) for o in outcomes],
    )


def row_counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (Company, Residency, GraduationOutcome))


def imports_audited():
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "register.import")
                              .order_by(AuditEntry.id)).all()


def wipe_register():
    for model in (GraduationOutcome, Residency, Company):
        db.session.execute(sa.delete(model))
    db.session.commit()


@pytest.fixture
def cli(runner):
    """Run ``flask import-register``; messages in English, whatever the default language."""

    def _cli(*args):
        with force_locale("en"):
            result = runner.invoke(args=["import-register", *map(str, args)])
        db.session.expire_all()
        return result

    return _cli


# ---- 1. The same register from CSV files and from a workbook -----------------------------------------------

def test_a_folder_of_csv_files_and_a_workbook_with_the_same_rows_give_the_same_register(cli, tmp_path):
    result = cli(write_folder(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    from_csv = register_state()
    assert from_csv == EXPECTED

    wipe_register()
    workbook = tmp_path / "so-dang-ky.xlsx"
    workbook.write_bytes(xlsx_bytes(as_workbook_cells(SHEETS)))
    result = cli(workbook)
    assert result.exit_code == 0, result.output
    assert register_state() == from_csv


def test_both_readers_produce_the_same_rows(tmp_path):
    from_csv = reading.read_folder(write_folder(tmp_path / "csv"))
    from_xlsx = reading.read_xlsx(xlsx_bytes(SHEETS), "so-dang-ky.xlsx")
    assert not from_csv.problems and not from_xlsx.problems
    assert set(from_csv.tables) == set(from_xlsx.tables) == set(SHEETS)
    for name in SHEETS:
        a, b = from_csv.tables[name], from_xlsx.tables[name]
        assert a.columns == b.columns
        assert rows_of(a) == rows_of(b)


def rows_of(table):
    """A CSV cell is text, empty when blank; a workbook's blank cell is None."""
    return [(r.line, {k: v or "" for k, v in r.cells.items()}) for r in table.rows]


# ---- 2. Idempotent ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["csv", "xlsx"])
def test_a_second_import_of_the_same_files_changes_nothing(cli, tmp_path, source):
    if source == "csv":
        path = write_folder(tmp_path / "csv")
    else:
        path = tmp_path / "so-dang-ky.xlsx"
        path.write_bytes(xlsx_bytes(as_workbook_cells(SHEETS)))
    assert cli(path).exit_code == 0
    state, counts = register_state(), row_counts()
    audit_rows = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))

    again = cli(path)
    assert again.exit_code == 0, again.output
    assert "0 row(s) created, 0 updated" in again.output
    assert "3 unchanged" in again.output
    assert register_state() == state
    assert row_counts() == counts == (3, 4, 2)
    # Only the import itself is logged the second time: no row changed.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_rows + 1


def test_rows_already_in_the_register_are_updated_where_they_differ(cli, tmp_path, make):
    hong_ha = make.company(tax_code=HONG_HA, name="Cty Hồng Hà (tên cũ)", is_it=False, founded_on=D(2021, 3, 15),
                           sector="Phần mềm")
    make.residency(company=hong_ha, kind=ResidencyKind.INCUBATED, starts_on=D(2024, 1, 1), ends_on=None,
                   note="Khóa ươm tạo 2024")
    result = cli(write_folder(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    assert "companies (companies.csv): 2 created, 1 updated, 0 unchanged" in result.output
    assert "residencies (residencies.csv): 3 created, 1 updated, 0 unchanged" in result.output
    assert register_state() == EXPECTED
    assert row_counts() == (3, 4, 2)


def test_an_empty_optional_cell_keeps_what_the_register_holds(cli, tmp_path, make):
    make.company(tax_code=TAY_HO, name=COMPANIES[3][1], is_it=False, founded_on=D(2019, 9, 9),
                 sector="Dịch vụ văn phòng")
    result = cli(write_folder(tmp_path / "csv", {"companies": [COMPANIES[0], COMPANIES[3]]}))
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 1 unchanged" in result.output
    assert db.session.scalar(sa.select(Company.founded_on)) == D(2019, 9, 9)


# ---- 3. All or nothing, every problem reported ------------------------------------------------------------

def test_one_bad_row_writes_nothing_and_names_the_file_line_and_reason(cli, tmp_path):
    residencies = [*RESIDENCIES[:3], [LAC_LONG, "incubated", "31/06/2024", "", "", ""], RESIDENCIES[4]]
    result = cli(write_folder(tmp_path / "csv", {**SHEETS, "residencies": residencies}))
    assert result.exit_code == 1
    assert "residencies.csv:4: start_date “31/06/2024” is not a date: write DD/MM/YYYY or YYYY-MM-DD." \
        in result.output
    assert "1 problem(s): nothing was imported" in result.output
    assert row_counts() == (0, 0, 0)
    assert imports_audited() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_several_bad_rows_are_all_reported(cli, tmp_path):
    bad_code = HONG_HA[:9] + str((int(HONG_HA[9]) + 1) % 10)
    companies = [COMPANIES[0],
                 [bad_code, "Công ty TNHH Sai Mã Số", "yes", "", ""],          # line 2: check digit
                 [LAC_LONG, "Công ty Cổ phần Công nghệ Lạc Long Quân", "có lẽ", "", ""],  # line 3: is_it
                 [TAY_HO, "", "no", "", ""],                                    # line 4: no name
                 [DONG_DO, "Công ty TNHH Phần mềm Đông Đô", "1", "2020-13-01", ""]]  # line 5: bad date
    residencies = [RESIDENCIES[0],
                   [LAC_LONG, "incubator", "01/01/2024", "", "", ""],           # line 2: kind
                   [DONG_DO, "incubated", "01/06/2024", "31/05/2024", "", ""],  # line 3: end before start
                   [DONG_DO, "partner_office", "", "", "", ""]]                 # line 4: missing date
    outcomes = [["tax_code", "decision", "decided_on", "pillars"],
                [DONG_DO, "passed", "01/01/2025", ""],                          # line 2: decision
                [DONG_DO, "graduated", "01/01/2025", "economy;culture"]]        # line 3: pillar
    result = cli(write_folder(tmp_path / "csv", {"companies": companies, "residencies": residencies,
                                                  "outcomes": outcomes}))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if re.match(r"^\w+\.csv:\d+: ", line)]
    assert [line.split(": ", 1)[0] for line in lines] == [
        "companies.csv:2", "companies.csv:3", "companies.csv:4", "companies.csv:5",
        "residencies.csv:2", "residencies.csv:3", "residencies.csv:4", "outcomes.csv:2", "outcomes.csv:3"]
    assert "fails the check digit" in lines[0]
    assert "is_it “có lẽ” is not yes or no" in lines[1]
    assert "The company's name is missing." in lines[2]
    assert "founded_on “2020-13-01” is not a date" in lines[3]
    assert "Unknown kind “incubator”" in lines[4]
    assert "The last day cannot be before the first day." in lines[5]
    assert "start_date is missing" in lines[6]
    assert "Unknown decision “passed”" in lines[7]
    assert "Unknown pillar “culture”" in lines[8]
    assert row_counts() == (0, 0, 0)


def test_a_missing_required_column_is_reported_on_the_header_line(cli, tmp_path):
    companies = [["tax_code", "name"], [HONG_HA, "Công ty TNHH Giải pháp Số Hồng Hà"]]
    result = cli(write_folder(tmp_path / "csv", {"companies": companies}))
    assert result.exit_code == 1
    assert "companies.csv:1: Missing column: is_it." in result.output
    assert row_counts() == (0, 0, 0)


def test_problems_in_a_workbook_name_the_sheet_and_the_row_as_excel_numbers_it(cli, tmp_path):
    sheets = as_workbook_cells(SHEETS)
    sheets["outcomes"] = [*sheets["outcomes"], [TAY_HO, "graduated", 45000.0, "", "", "", ""]]
    path = tmp_path / "so-dang-ky.xlsx"
    path.write_bytes(xlsx_bytes(sheets))
    result = cli(path)
    assert result.exit_code == 1
    assert "outcomes:4: decided_on “45000” is not a date" in result.output
    assert row_counts() == (0, 0, 0)


def test_a_domain_error_raised_while_applying_is_reported_and_nothing_is_written(tmp_path, monkeypatch):
    from incubator.errors import DomainError
    from incubator.outcomes import services as outcome_services

    def refuse(*args, **kwargs):
        raise DomainError("refused by the service")

    monkeypatch.setattr(outcome_services, "record_outcome", refuse)
    result = services.import_register(reading.read_folder(write_folder(tmp_path / "csv")))
    assert not result.applied
    assert [(p.source, p.line, str(p.reason)) for p in result.problems] == [
        ("outcomes.csv", 2, "refused by the service"), ("outcomes.csv", 3, "refused by the service")]
    db.session.commit()
    assert row_counts() == (0, 0, 0)
    assert imports_audited() == []


# ---- 4. Encodings, diacritics, dates, yes/no ---------------------------------------------------------------

def test_bom_diacritics_both_date_forms_and_co_khong(cli, tmp_path):
    decomposed = "Công ty TNHH Phần mềm Đông Đô"
    companies = [["\ufefftax_code", "name", "is_it", "founded_on"],  # a BOM written twice by some tool
                 [DONG_DO, unicodedata.normalize("NFD", decomposed), "CÓ", "05/09/2020"],
                 [TAY_HO, "Hợp tác xã Dịch vụ Quảng Bá", "Không", "2018-11-30"]]
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "companies.csv").write_bytes(csv_bytes(companies, bom=True))
    result = cli(folder)
    assert result.exit_code == 0, result.output
    assert sorted(register_state()[0]) == sorted([
        (DONG_DO, decomposed, True, D(2020, 9, 5), None),
        (TAY_HO, "Hợp tác xã Dịch vụ Quảng Bá", False, D(2018, 11, 30), None),
    ])


def test_csv_without_bom_and_with_semicolons_as_excel_writes_them_in_vietnamese(cli, tmp_path):
    result = cli(write_folder(tmp_path / "csv", bom=False, delimiter=";"))
    assert result.exit_code == 0, result.output
    assert register_state() == EXPECTED


def test_a_file_that_is_not_utf8_is_refused(cli, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "companies.csv").write_bytes(f"tax_code,name,is_it\n{TAY_HO},Công ty Tây Hồ,yes\n"
                                           .encode("cp1258", errors="replace"))
    result = cli(folder)
    assert result.exit_code == 1
    assert "companies.csv: This file is not in UTF-8" in result.output


# ---- 5. Overlaps and unknown companies --------------------------------------------------------------------

def test_two_rows_of_the_same_file_that_overlap_are_refused(cli, tmp_path):
    residencies = [RESIDENCIES[0],
                   [HONG_HA, "incubated", "01/01/2024", "30/06/2024", "", ""],
                   [HONG_HA, "partner_office", "01/03/2024", "", "", ""],     # another kind: fine
                   [HONG_HA, "incubated", "30/06/2024", "31/12/2024", "", ""]]  # shares 30/06/2024
    result = cli(write_folder(tmp_path / "csv", {"companies": COMPANIES, "residencies": residencies}))
    assert result.exit_code == 1
    assert ("residencies.csv:4: This period overlaps another residency of the same kind on line 2."
            in result.output)
    assert row_counts() == (0, 0, 0)


def test_a_row_overlapping_a_residency_of_the_register_is_refused(cli, tmp_path, make):
    company = make.company(tax_code=HONG_HA, name=COMPANIES[1][1])
    make.residency(company=company, kind=ResidencyKind.INCUBATED, starts_on=D(2023, 1, 1), ends_on=None)
    residencies = [RESIDENCIES[0], [HONG_HA, "incubated", "01/01/2024", "31/12/2024", "", ""]]
    result = cli(write_folder(tmp_path / "csv", {"residencies": residencies}))
    assert result.exit_code == 1
    assert "residencies.csv:2: This period overlaps another residency of the same kind" in result.output
    assert row_counts() == (1, 1, 0)


def test_ending_a_running_residency_and_starting_the_next_in_one_import_is_accepted(cli, tmp_path, make):
    company = make.company(tax_code=HONG_HA, name=COMPANIES[1][1])
    make.residency(company=company, kind=ResidencyKind.INCUBATED, starts_on=D(2023, 1, 1), ends_on=None)
    residencies = [RESIDENCIES[0],
                   [HONG_HA, "incubated", "01/01/2024", "", "", ""],              # the next one, new
                   [HONG_HA, "incubated", "01/01/2023", "31/12/2023", "", ""]]  # ends the running one
    result = cli(write_folder(tmp_path / "csv", {"residencies": residencies}))
    assert result.exit_code == 0, result.output
    assert [(r[2], r[3]) for r in register_state()[1]] == [(D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), None)]


def test_a_row_of_an_unknown_company_is_refused(cli, tmp_path):
    outcomes = [OUTCOMES[0], [DONG_DO, "graduated", "01/12/2024", "", "", "", ""]]
    result = cli(write_folder(tmp_path / "csv", {"companies": COMPANIES, "outcomes": outcomes}))
    assert result.exit_code == 1
    assert "outcomes.csv:2: Unknown company" in result.output
    assert row_counts() == (0, 0, 0)


def test_a_row_may_refer_to_a_company_already_in_the_register(cli, tmp_path, make):
    make.company(tax_code=DONG_DO, name="Công ty TNHH Phần mềm Đông Đô")
    outcomes = [OUTCOMES[0], [DONG_DO, "graduated", "01/12/2024", "", "", "", ""]]
    result = cli(write_folder(tmp_path / "csv", {"outcomes": outcomes}))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(GraduationOutcome.decision)) is Decision.GRADUATED


# ---- 6. Dry run -------------------------------------------------------------------------------------------

def test_the_dry_run_writes_nothing_and_reports_what_would_be_created(cli, tmp_path):
    result = cli(write_folder(tmp_path / "csv"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "companies (companies.csv): 3 created, 0 updated, 0 unchanged" in result.output
    assert "residencies (residencies.csv): 4 created, 0 updated, 0 unchanged" in result.output
    assert "outcomes (outcomes.csv): 2 created, 0 updated, 0 unchanged" in result.output
    assert f"+ create companies.csv:2 {HONG_HA} Công ty TNHH Giải pháp Số Hồng Hà" in result.output
    assert "Dry run: nothing was written. 9 row(s) would be created and 0 updated." in result.output
    assert row_counts() == (0, 0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0


def test_the_dry_run_lists_what_would_be_updated(cli, tmp_path, make):
    make.company(tax_code=TAY_HO, name="Cty Tây Hồ", is_it=True)
    result = cli(write_folder(tmp_path / "csv", {"companies": COMPANIES}), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"~ update companies.csv:4 {TAY_HO} Công ty TNHH Dịch vụ Văn phòng Tây Hồ (name, is_it, sector)" \
        in result.output
    assert db.session.scalar(sa.select(Company.name)) == "Cty Tây Hồ"


# ---- 7. The staff page ------------------------------------------------------------------------------------

URL = "/register/import/"
TOKEN = re.compile(r'name="token" type="hidden" value="([0-9a-f]{32})"')


def upload(client, files, url=URL + "preview"):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return post_form(client, url, data, token_from=URL, content_type="multipart/form-data")


def csv_files(sheets=None):
    return [(f"{name}.csv", csv_bytes(rows)) for name, rows in (sheets or SHEETS).items()]


def test_the_page_explains_the_columns(login_as):
    client, _user = login_as(Role.STAFF, locale="en")
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for column in ("tax_code", "is_it", "start_date", "end_date", "market_evidence", "pillars", "cohort"):
        assert f"<code>{column}</code>" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_preview_writes_nothing_and_the_apply_writes(login_as, app):
    client, _staff = login_as(Role.STAFF, locale="en")
    audit_rows = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))  # the log-in
    response = upload(client, csv_files())
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    html = response.get_data(as_text=True)
    assert "Nothing has been written yet" in html
    assert "Công ty TNHH Giải pháp Số Hồng Hà" in html
    assert row_counts() == (0, 0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == audit_rows
    token = TOKEN.search(html).group(1)
    assert storage.exists(token)  # in the store every server reaches, not on this server's disk
    assert not (Path(app.instance_path) / "imports").exists()

    response = post_form(client, URL + "apply", {"token": token}, token_from=URL)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL)
    assert register_state() == EXPECTED
    assert not storage.exists(token)
    page = client.get(URL).get_data(as_text=True)
    assert "9 row(s) created, 0 updated" in page

    # The same token again: the files are gone, nothing happens twice.
    response = post_form(client, URL + "apply", {"token": token}, token_from=URL)
    assert response.status_code == 302
    assert row_counts() == (3, 4, 2)
    assert len(imports_audited()) == 1


def test_the_import_may_be_applied_by_another_server_than_the_one_that_previewed_it(login_as, app, tmp_path,
                                                                                     monkeypatch):
    """Behind a load balancer the preview and the import may reach two servers, each with its own instance
    folder: the files wait in the store (the database), not on the first server's disk."""
    client, _staff = login_as(Role.STAFF, locale="en")
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "server-a"))
    response = upload(client, csv_files())
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    token = TOKEN.search(response.get_data(as_text=True)).group(1)
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "server-b"))
    assert post_form(client, URL + "apply", {"token": token}, token_from=URL).status_code == 302
    assert register_state() == EXPECTED
    assert not (tmp_path / "server-a" / "imports").exists() and stored_uploads(app) == set()


def test_a_workbook_can_be_uploaded_on_the_page(login_as):
    client, _staff = login_as(Role.STAFF, locale="en")
    response = upload(client, [("Sổ đăng ký 2025.xlsx", xlsx_bytes(as_workbook_cells(SHEETS)))])
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    token = TOKEN.search(response.get_data(as_text=True)).group(1)
    assert post_form(client, URL + "apply", {"token": token}, token_from=URL).status_code == 302
    assert register_state() == EXPECTED
    assert imports_audited()[0].object_label == "Sổ đăng ký 2025.xlsx"


def test_the_page_shows_every_refused_row_and_keeps_no_file(login_as, app):
    client, _staff = login_as(Role.STAFF, locale="en")
    kept = stored_uploads(app)
    outcomes = [OUTCOMES[0], [DONG_DO, "graduated", "01/12/2024", "", "", "", ""],
                [HONG_HA, "graduated", "32/12/2024", "", "", "", ""]]
    response = upload(client, csv_files({"companies": COMPANIES, "outcomes": outcomes}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported: 2 problem(s)" in html
    assert "<td>2</td><td>Unknown company" in html.replace("\n", "")
    assert 'name="token"' not in html
    assert row_counts() == (0, 0, 0)
    assert stored_uploads(app) == kept


def stored_uploads(app):
    db.session.commit()
    return {entry.name for entry in uploads.store().entries(storage.KIND)}


@pytest.mark.parametrize("files", [
    [],
    [("so-dang-ky.xlsx", b"x"), ("companies.csv", b"x")],
    [("congty.csv", b"x")],
    [("companies.txt", b"x")],
])
def test_the_upload_form_refuses_what_it_cannot_import(login_as, files):
    client, _staff = login_as(Role.STAFF, locale="en")
    response = upload(client, files)
    assert response.status_code == 400
    assert row_counts() == (0, 0, 0)


def test_a_broken_workbook_is_reported(login_as):
    client, _staff = login_as(Role.STAFF, locale="en")
    response = upload(client, [("so-dang-ky.xlsx", b"PK\x03\x04 not really a workbook")])
    assert response.status_code == 400
    assert "This file is not a readable .xlsx workbook." in response.get_data(as_text=True)


@pytest.mark.parametrize("token", ["", "../../etc", "A" * 32, "0" * 31, "0" * 33, "0" * 32 + "\n"])
def test_apply_refuses_tokens_that_are_not_of_our_shape(login_as, token):
    client, _staff = login_as(Role.STAFF)
    assert post_form(client, URL + "apply", {"token": token}, token_from=URL).status_code == 400


def test_apply_refuses_another_persons_upload(login_as, client_factory, make):
    from tests.helpers import login

    client, _staff = login_as(Role.STAFF)
    token = TOKEN.search(upload(client, csv_files()).get_data(as_text=True)).group(1)
    other = client_factory()
    login(other, make.user(Role.STAFF))
    response = post_form(other, URL + "apply", {"token": token}, token_from=URL)
    assert response.status_code == 302
    assert row_counts() == (0, 0, 0)


@pytest.mark.parametrize("role", [Role.FOUNDER, Role.REVIEWER, Role.MENTOR, Role.OFFICIAL])
def test_people_who_are_not_staff_get_403(login_as, role):
    client, _user = login_as(role)
    assert client.get(URL).status_code == 403
    token_page = "/password/forgot"
    files = {"files": [(io.BytesIO(csv_bytes(COMPANIES)), "companies.csv")]}
    assert post_form(client, URL + "preview", files, token_from=token_page,
                     content_type="multipart/form-data").status_code == 403
    assert post_form(client, URL + "apply", {"token": "0" * 32}, token_from=token_page).status_code == 403
    assert row_counts() == (0, 0, 0)


def test_an_administrator_may_import(login_as):
    client, _admin = login_as(Role.ADMIN)
    assert client.get(URL).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (client.get(URL), post_form(client, URL + "preview", {}),
                     post_form(client, URL + "apply", {"token": "0" * 32})):
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


# ---- 8. One audit entry per applied import ----------------------------------------------------------------

def test_each_applied_import_is_one_register_import_entry(cli, tmp_path, login_as):
    folder = write_folder(tmp_path / "csv")
    cli(folder, "--dry-run")
    assert imports_audited() == []
    assert cli(folder).exit_code == 0
    entries = imports_audited()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.object_type, entry.object_label, entry.to_state) == ("register", "csv", "imported")
    assert entry.details["counts"]["companies"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert entry.details["counts"]["residencies"]["created"] == 4
    assert entry.details["counts"]["outcomes"]["created"] == 2
    assert entry.actor_id is None  # the command line

    cli(folder)
    assert len(imports_audited()) == 2

    client, staff = login_as(Role.STAFF)
    token = TOKEN.search(upload(client, csv_files()).get_data(as_text=True)).group(1)
    assert len(imports_audited()) == 2  # the preview is not an import
    post_form(client, URL + "apply", {"token": token}, token_from=URL)
    entries = imports_audited()
    assert len(entries) == 3
    assert entries[-1].actor_id == staff.id
    assert entries[-1].object_label == "companies.csv, residencies.csv, outcomes.csv"


def test_what_the_permission_matrix_expects_of_staff_and_administrators(login_as):
    """GET 200; an empty POST carrying a valid CSRF token is a refused form: 400 on both steps."""
    for role in (Role.STAFF, Role.ADMIN):
        client, _user = login_as(role)
        assert client.get(URL).status_code == 200
        assert post_form(client, URL + "preview", {}).status_code == 400
        assert post_form(client, URL + "apply", {}).status_code == 400
    assert row_counts() == (0, 0, 0)
