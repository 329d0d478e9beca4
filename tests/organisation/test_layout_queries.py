"""The layout costs the same number of queries with one incubator and with several (issue 23: "queries equal at
all sizes", the benchmark's 1000× being ten incubators): which incubators exist, the one a person works in, the
switcher's names and the footer's operator come from one query whatever the network's size."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.models import UserRole
from incubator.organisation import services as organisation
from incubator.organisation.models import Incubator
from tests.helpers import count_queries, login

PEOPLE = ("anonymous", "staff", "staff_of_both", "official", "admin", "founder", "reviewer")


def _queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # once untimed: what a first request loads once (the translations, the session) is not the layout's
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count, counter.statements


def _counts(clients) -> dict[str, tuple[int, list[str]]]:
    return {who: _queries(client, "/login" if who == "anonymous" else "/account") for who, client in clients.items()}


@pytest.mark.parametrize("incubators", [2, 10])
def test_the_layout_runs_as_many_queries_with_several_incubators_as_with_one(incubators, make, client_factory, db):
    vuhn = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == "VUHN"))
    users = {"staff": make.user(Role.STAFF, incubator=vuhn), "official": make.user(Role.OFFICIAL),
             "admin": make.user(Role.ADMIN), "founder": make.user(Role.FOUNDER),
             "reviewer": make.user(Role.REVIEWER, incubator=vuhn),
             "staff_of_both": make.user(Role.STAFF, incubator=vuhn)}
    db.session.commit()
    clients = {}
    for who in PEOPLE:
        clients[who] = client_factory()
        if who != "anonymous":
            login(clients[who], users[who])
    one = _counts(clients)

    others = [organisation.create(f"HN{n}", f"Vườn ươm số {n}", f"Incubator number {n}",
                                  operator_vi=f"Đơn vị vận hành số {n}", operator_en=f"Operator number {n}")
              for n in range(2, incubators + 1)]
    db.session.flush()
    users["staff_of_both"].role_rows.append(UserRole(role=Role.STAFF, incubator_id=others[0].id))
    db.session.commit()
    several = _counts(clients)
    differences = {who: (one[who][0], several[who][0], several[who][1]) for who in PEOPLE
                   if one[who][0] != several[who][0]}
    assert not differences, "\n\n".join(
        f"{who}: {a} queries with one incubator, {b} with {incubators}:\n" + "\n".join(s[:200] for s in statements)
        for who, (a, b, statements) in differences.items())
