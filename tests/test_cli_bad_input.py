"""Command-line arguments that once gave a traceback (found by tests/test_fuzz_cli.py), and ``restore`` with
what is not a backup: each ends with exit code 1 or 2 and a message, writes nothing, and loses no row."""

from __future__ import annotations

import os
import sqlite3

import pytest
import sqlalchemy as sa

from tests.helpers import PASSWORD


def assert_clean(result, args) -> None:
    """Exit code 0, or 1 or 2 with a message; never an exception other than SystemExit (a traceback)."""
    shown = [a[:40] for a in args]
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}: {result.exception!r}\n{result.output[-2000:]}")
    assert result.exit_code in (0, 1, 2), f"{shown}: exit code {result.exit_code}\n{result.output[-2000:]}"
    if result.exit_code:
        assert result.output.strip(), f"{shown}: exit code {result.exit_code} without a message"


def prepare(tmp) -> None:
    """Files and folders the generated paths point at."""
    from tests.helpers import tax_code

    for folder in ("thu-muc", "csv-hong", "hop-le"):
        os.makedirs(os.path.join(tmp, folder), exist_ok=True)
    for name, content in {"tep-rong.xlsx": b"", "rac.xlsx": b"PK\x03\x04 not a workbook", "rac.csv": b"\xff\xfe\x00",
                          "csv-hong/companies.csv": b"tax_code,name\n\x00,\xff\n",
                          "csv-hong/residencies.csv": b"tax_code,kind,starts_on\n0101234567,?,9999-99-99\n",
                          "csv-hong/outcomes.csv": b'"unclosed\n',
                          "hop-le/companies.csv": f"tax_code,name,is_it\n{tax_code(4321)},Công ty Nhập Từ Lệnh,yes\n"
                                                  .encode()}.items():
        with open(os.path.join(tmp, name), "wb") as handle:
            handle.write(content)


@pytest.mark.parametrize("args", [
    ["report", "--from", "0001-01-01", "--to", "9999-12-31", "--output", "ra.pdf"],
    ["report", "--from", "1999-12-01", "--to", "2000-01-31", "--output", "ra.pdf"],
    ["report", "--from", "2025-06-30", "--to", "2025-01-01", "--output", "ra.pdf"],
    ["report", "--period", "2025-Q5", "--output", "ra.pdf"],
    ["report", "--period", "2025", "--output", "a\x00b.pdf"],
    ["report", "--period", "2025", "--output", "x" * 300],
    ["report", "--period", "2025", "--output", "khong-co/ra.pdf"],
    ["report", "--period", "2025", "--output", ""],
    ["report", "--period", "2025", "--output", "thu-muc"],
    ["backup", "a\x00b"], ["backup", "x" * 300], ["backup", ""], ["backup", "thu-muc"], ["backup", "/dev/full"],
    ["import-register", "a\x00b"], ["import-register", "x" * 5000], ["import-register", "rac.xlsx"],
    ["import-register", "csv-hong"],
    ["create-admin", "quan.tri@vuonuom.example", "--name", "\x00", "--password", PASSWORD],
    ["create-admin", "a" * 5000 + "@vuonuom.example", "--name", "A", "--password", PASSWORD],
    ["create-admin", "khong-phai-email", "--name", "Nguyễn Quản Trị", "--password", PASSWORD],
    ["create-admin", "quan.tri@vuonuom.example", "--name", "x" * 201, "--password", PASSWORD],
    ["create-admin", "quan.tri@vuonuom.example", "--name", "Nguyễn Quản Trị", "--password", PASSWORD + "\x00"],
    ["cohorts", "remind", "--today", "\x00"], ["targets", "--as-of", "9999-12-31"],
    ["mail", "deliver", "--limit", "9" * 40],
], ids=lambda args: " ".join(a[:12].replace("\x00", "NUL") for a in args))
def test_known_bad_arguments_end_cleanly_and_write_nothing(args, runner, db, tmp_path, monkeypatch):
    from incubator.auth.models import User

    prepare(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=args, input="")
    assert_clean(result, args)
    assert result.exit_code != 0 or args[0] in ("targets",)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert not (tmp_path / "ra.pdf").exists()


def test_a_backup_to_a_name_that_is_not_utf8_says_where_it_went(runner, tmp_path):
    """A shell passes such a name as it is; printing it raised UnicodeEncodeError after the backup was written."""
    target = os.path.join(str(tmp_path), b"sao-luu-\xff.backup".decode("utf-8", "surrogateescape"))
    result = runner.invoke(args=["backup", target])
    assert result.exit_code == 0, result.output
    assert "sao-luu-" in result.output and os.path.isfile(target)


def test_a_backup_into_a_thousand_new_folders_makes_them_without_a_traceback(runner, tmp_path):
    """The folders were made recursively, and a thousand of them overflowed Python's stack. (SQLite then
    refuses a path that long, with a message; pg_dump writes there.)"""
    target = tmp_path.joinpath(*["a"] * 1000, "ra.backup")
    try:
        result = runner.invoke(args=["backup", str(target)])
        assert_clean(result, ["backup", str(target)])
        assert target.parent.is_dir()
        assert result.exit_code == 0 or "unable to open database file" in result.output
    finally:  # one by one: pytest's own clean-up of old temporary folders is recursive too
        target.unlink(missing_ok=True)
        for folder in [target.parent, *target.parent.parents]:
            if folder == tmp_path:
                break
            if folder.is_dir():
                folder.rmdir()


# ---- restore, with what is not a backup ---------------------------------------------------------------------

def test_restore_refuses_what_is_not_a_backup_and_keeps_every_row(runner, make, db, tmp_path):
    from incubator.companies.models import Company

    make.company(name="Công ty Còn Nguyên")
    (tmp_path / "rong.backup").write_bytes(b"")
    (tmp_path / "rac.backup").write_bytes(b"\x00\xff" * 500)
    (tmp_path / "gan-dung.backup").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    (tmp_path / "PGDMP.backup").write_bytes(b"PGDMP" + b"\xff" * 200)
    (tmp_path / "thu-muc").mkdir()
    other = tmp_path / "khac.sqlite"  # a SQLite database, but not one of this application
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    for path in ["rong.backup", "rac.backup", "gan-dung.backup", "PGDMP.backup", "thu-muc", "khac.sqlite",
                 "khong-co.backup", "a\x00b", "", "x" * 300, "\udcff.backup"]:
        args = ["restore", os.path.join(str(tmp_path), path) if path else "", "--yes"]
        result = runner.invoke(args=args)
        assert_clean(result, args)
        assert result.exit_code in (1, 2), (path, result.output)
        names = db.session.scalars(sa.select(Company.name)).all()
        assert names == ["Công ty Còn Nguyên"], (path, names)


def test_create_admin_with_good_arguments_still_creates_the_administrator(runner, db):
    from incubator.auth.models import User

    result = runner.invoke(args=["create-admin", " Quan.Tri@vuonuom.example ", "--name", " Nguyễn Quản Trị ",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.full_name, user.roles) == ("quan.tri@vuonuom.example", "Nguyễn Quản Trị", {"admin"})
