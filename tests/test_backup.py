"""Backup and restore: safe while the application writes, and a round trip loses no row."""

import sqlite3
import threading

import sqlalchemy as sa

from incubator.companies.models import Company
from incubator.extensions import db as _db
from tests.helpers import tax_code


def _names(db):
    return sorted(db.session.scalars(sa.select(Company.name)))


def test_backup_then_restore_brings_every_row_back(runner, make, db, tmp_path):
    for i in range(5):
        make.company(name=f"Công ty Sao Lưu {i}")
    before = _names(db)
    target = tmp_path / "incubator.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    db.session.execute(sa.delete(Company))
    db.session.commit()
    assert _names(db) == []
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert _names(db) == before


def test_restore_asks_before_replacing_and_refuses_a_missing_file(runner, tmp_path):
    assert runner.invoke(args=["restore", str(tmp_path / "missing.backup"), "--yes"]).exit_code != 0
    assert runner.invoke(args=["restore", str(tmp_path / "x.backup")], input="n\n").exit_code != 0


def test_a_backup_taken_while_the_application_writes_misses_no_committed_row(app, runner, db, tmp_path):
    stop = threading.Event()
    committed = []

    def writer():
        with app.app_context():
            i = 0
            while not stop.is_set():
                _db.session.add(Company(tax_code=tax_code(90000 + i), name=f"Ghi đồng thời {i}", is_it=True))
                _db.session.commit()
                committed.append(f"Ghi đồng thời {i}")
                i += 1
            _db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 20:
            threading.Event().wait(0.01)
        before_backup = list(committed)
        target = tmp_path / "live.backup"
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join(timeout=30)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        copy = sqlite3.connect(str(target))
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            copy.close()
    assert runner.invoke(args=["restore", str(target), "--yes"]).exit_code == 0
    restored = set(_names(db))
    assert set(before_backup) <= restored
    assert restored <= set(committed)  # a consistent snapshot: nothing that was never committed
