"""The incubator record: the default one every installation starts with, adding others (audited, refused
with a reason), which one a new row or a command works in, and the ``incubators`` commands."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.errors import DomainError
from incubator.organisation import current, services
from incubator.organisation.models import Incubator
from incubator.organisation.queries import all_incubators, by_code
from tests.helpers import nothing_written


def _vuhn(db) -> Incubator:
    return db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))


def test_every_test_starts_with_the_default_incubator_named_as_today(db):
    [only] = all_incubators()
    assert (only.code, only.name_vi, only.name_en) == (
        "VUHN", "Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội",
        "Hà Nội innovation ICT business incubator")
    assert services.ensure_default() is None  # there is one already
    assert current.current_incubator_id() == only.id


def test_the_name_follows_the_language(app, db):
    vuhn = _vuhn(db)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        with force_locale("en"):
            assert vuhn.name == "Hà Nội innovation ICT business incubator"
        with force_locale("vi"):
            assert vuhn.name == "Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội"


def test_with_one_incubator_new_rows_go_to_it(db, make):
    company = make.company()
    residency = make.residency(company=company, starts_on=date(2025, 1, 1))
    assert residency.incubator_id == _vuhn(db).id
    assert residency.incubator.code == "VUHN"


def test_create_audits_and_upper_cases_the_code(db, make):
    admin = make.user()
    incubator = services.create(" hn1 ", " Vườn ươm Hà Nội 1 ", "Hà Nội Incubator 1", "Số 1 Hà Nội", actor=admin)
    db.session.commit()
    assert (incubator.code, incubator.name_vi, incubator.name_en, incubator.address) == (
        "HN1", "Vườn ươm Hà Nội 1", "Hà Nội Incubator 1", "Số 1 Hà Nội")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "incubator.create"))
    assert (entry.object_type, entry.object_id, entry.object_label, entry.actor_id) == (
        "incubators", str(incubator.id), "HN1", admin.id)
    assert by_code("hn1") == incubator


@pytest.mark.parametrize("code", ["", "H", "1HN", "HN-1", "HÀ1", "ABCDEFGHIJK", "HN 1"])
def test_a_bad_code_is_refused_and_writes_nothing(db, code):
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.create(code, "Vườn ươm")
    assert refused.value.field == "code"


def test_a_taken_code_or_a_missing_name_is_refused(db):
    with nothing_written():
        with pytest.raises(services.CodeTaken):
            services.create("vuhn", "Một vườn ươm khác")
        with pytest.raises(DomainError) as refused:
            services.create("HN2", "   ")
        assert refused.value.field == "name_vi"


def test_with_several_incubators_a_new_row_needs_one_chosen(db, make):
    vuhn = _vuhn(db)
    company = make.company()
    hn1 = services.create("HN1", "Vườn ươm Hà Nội 1")
    db.session.commit()
    assert current.only_incubator_id() is None
    with pytest.raises(DomainError) as refused:
        current.current_incubator_id()
    assert str(refused.value.message) in {"Choose the incubator", "Chọn vườn ươm"}
    with pytest.raises(DomainError):
        make.residency(company=company, starts_on=date(2025, 1, 1))
    db.session.rollback()
    with current.use_incubator(hn1):
        assert current.current_incubator_id() == hn1.id
        assert current.current_incubator() == hn1
        in_hn1 = make.residency(company=company, starts_on=date(2025, 1, 1))
        with current.use_incubator(vuhn.id):
            in_vuhn = make.residency(company=company, starts_on=date(2024, 1, 1), ends_on=date(2024, 6, 30))
        assert current.chosen_incubator_id() == hn1.id
    assert current.chosen_incubator_id() is None
    assert (in_hn1.incubator_id, in_vuhn.incubator_id) == (hn1.id, vuhn.id)
    # A row given its incubator needs no choice.
    given = make.residency(company=company, starts_on=date(2023, 1, 1), ends_on=date(2023, 6, 30), incubator=hn1)
    assert given.incubator_id == hn1.id


def test_the_choice_belongs_to_its_thread(db):
    hn1 = services.create("HN1", "Vườn ươm Hà Nội 1")
    db.session.commit()
    seen = []
    with current.use_incubator(hn1):
        worker = threading.Thread(target=lambda: seen.append(current.chosen_incubator_id()))
        worker.start()
        worker.join()
    assert seen == [None]


# ---- The commands -----------------------------------------------------------------------------------------

def test_incubators_create_and_list(runner, db):
    result = runner.invoke(args=["incubators", "create", "HN1", "--name", "Vườn ươm Hà Nội 1",
                                 "--name-en", "Hà Nội Incubator 1", "--address", "Số 1 Hà Nội"])
    assert result.exit_code == 0, result.output
    assert "HN1" in result.output
    result = runner.invoke(args=["incubators", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"code": "HN1", "name_vi": "Vườn ươm Hà Nội 1", "name_en": "Hà Nội Incubator 1", "address": "Số 1 Hà Nội"},
        {"code": "VUHN", "name_vi": "Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội",
         "name_en": "Hà Nội innovation ICT business incubator", "address": None},
    ]
    result = runner.invoke(args=["incubators", "list"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == ["HN1", "VUHN"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_label == "HN1")) == \
        "incubator.create"


@pytest.mark.parametrize(("args", "says"), [
    (["VUHN", "--name", "Khác"], "VUHN"),
    (["H-1", "--name", "Khác"], "capital letters"),
    (["HN2", "--name", "  "], "name"),
])
def test_incubators_create_refuses_with_a_reason_and_no_traceback(runner, db, args, says):
    with nothing_written():
        result = runner.invoke(args=["incubators", "create", *args])
    assert result.exit_code == 1
    assert says in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_incubators_create_requires_a_name(runner, db):
    result = runner.invoke(args=["incubators", "create", "HN1"])
    assert result.exit_code == 2
    assert "--name" in result.output


@pytest.mark.parametrize("code", ["\x00", "HN\x001", "\udcff\x00", "vu hn", "x" * 300])
def test_a_command_told_a_code_no_incubator_can_have_says_so_without_asking_the_database(runner, db, code):
    """A NUL byte in a query is an error on PostgreSQL (the CLI fuzzer found it): such a code is unknown."""
    result = runner.invoke(args=["targets", "--incubator", code])
    assert result.exit_code == 1 and "No incubator has the code" in result.output
    assert "\x00" not in result.output and "Traceback" not in result.output
