"""Command-line arguments that once gave a traceback (found by tests/test_fuzz_cli.py): each ends with exit
code 1 or 2 and a message, and writes nothing."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa


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
