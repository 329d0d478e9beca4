"""Targets are limited in the one scoping place too (issue 20): their rows are an incubator's or, without an
incubator, the city's; a person limited to HN2 reads the city's rows and HN2's, never HN1's, whatever the query
(a list, a count, an alias, ``Session.get``, a bulk update), not only through the targets pages that choose
their rows. A reader of the whole network, and a single incubator, read every row as before."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from incubator.auth.enums import Role
from incubator.organisation import services as organisation
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import scoped_to
from incubator.targets.models import Target
from tests.helpers import login, post_form


@pytest.fixture
def rows(make, db):
    """The city's IT70 (70 %), HN1's copy (65 %) and HN2's (60 %), each with a name of its own."""
    hn1 = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.flush()
    ids = {}
    for key, incubator_id, threshold in (("city", None, 70), ("hn1", hn1.id, 65), ("hn2", hn2.id, 60)):
        existing = db.session.scalar(sa.select(Target).where(Target.code == "IT70",
                                                             Target.incubator_id.is_(incubator_id)
                                                             if incubator_id is None
                                                             else Target.incubator_id == incubator_id))
        target = existing or make.target(code="IT70", incubator_id=incubator_id)
        target.threshold, target.name_vi, target.name_en = Decimal(threshold), f"Tỷ lệ của {key}", f"Ratio of {key}"
        ids[key] = target.id
    hn1_id, hn2_id = hn1.id, hn2.id
    db.session.commit()
    db.session.expunge_all()
    return hn1_id, hn2_id, ids


def _names(db, statement=None):
    return sorted(t.name_vi for t in db.session.scalars(statement if statement is not None else sa.select(Target)))


def test_a_limited_block_reads_the_citys_targets_and_its_own_only(rows, db):
    hn1, hn2, ids = rows
    with scoped_to([hn2]):
        assert _names(db) == ["Tỷ lệ của city", "Tỷ lệ của hn2"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Target)) == 2
        assert db.session.get(Target, ids["hn1"]) is None
        assert db.session.scalar(sa.select(Target).where(Target.id == ids["hn1"])) is None
        other = aliased(Target)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(other)) == 2
        assert db.session.get(Target, ids["city"]) is not None
        db.session.execute(sa.update(Target).values(source_document="Kế hoạch sửa"))
    db.session.commit()
    changed = dict(db.session.execute(sa.select(Target.id, Target.source_document)).all())
    assert changed[ids["hn1"]] is None and changed[ids["hn2"]] == changed[ids["city"]] == "Kế hoạch sửa"
    with scoped_to([hn1]):
        assert _names(db) == ["Tỷ lệ của city", "Tỷ lệ của hn1"]
    assert len(_names(db)) == 3  # not limited: every row


def test_the_staff_of_hn2_never_read_nor_change_hn1s_targets(rows, make, client, db):
    _hn1, hn2, ids = rows
    staff = make.user(Role.STAFF, incubator=hn2)
    db.session.commit()
    login(client, staff)
    html = client.get("/targets/manage").get_data(as_text=True)
    assert "Tỷ lệ của hn2" in html and "Tỷ lệ của hn1" not in html
    assert client.get("/targets/IT70/", query_string={"incubator": "VUHN"}).status_code == 404
    form = {"code": "IT70", "name_vi": "Tỷ lệ sửa", "name_en": "Ratio edited", "kind": "incubated_it_ratio",
            "threshold": "55", "version": str(db.session.get(Target, ids["hn2"]).version_id)}
    response = post_form(client, "/targets/IT70/edit", form, token_from="/targets/IT70/edit")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    thresholds = dict(db.session.execute(sa.select(Target.id, Target.threshold)).all())
    assert thresholds == {ids["city"]: 70, ids["hn1"]: 65, ids["hn2"]: 55}


def test_an_administrator_reads_every_incubators_targets(rows, make, client, db):
    admin = make.user(Role.ADMIN)
    db.session.commit()
    login(client, admin)
    html = client.get("/targets/IT70/", query_string={"incubator": "VUHN"})
    assert html.status_code == 200 and "Tỷ lệ của hn1" in html.get_data(as_text=True)
