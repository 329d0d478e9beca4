"""The API's lists cost the same number of queries whatever the data's size (quality.md): the incubators and
the businesses behind a figure, at 1× and 10× the rows."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from tests.helpers import count_queries


def _grow(make, db, n: int, start: int) -> None:
    first = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    with use_incubator(first):
        for _ in range(n):
            make.residency(company=make.company(is_it=True), starts_on=date(2025, 1, 1))
    for i in range(n):
        organisation.create(f"Q{start + i}", f"Vườn ươm {start + i}", None)
    db.session.commit()


def _cost(client, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(counter.statements)


def test_lists_cost_the_same_queries_at_1x_and_10x(api, make, db):
    from incubator.targets.services import ensure_default_targets

    ensure_default_targets()
    db.session.commit()
    client = api()
    urls = ["/api/v1/incubators?limit=200", "/api/v1/targets/IT70/businesses?list=denominator&limit=200",
            "/api/v1/targets?as_of=2026-06-30", "/api/v1/targets/series?as_of=2026-06-30"]
    _grow(make, db, 2, 100)
    small = [_cost(client, url) for url in urls]
    _grow(make, db, 18, 200)
    large = [_cost(client, url) for url in urls]
    assert large == small, (small, large)
    assert min(small) >= 3  # the token, its owner, the count for the limit, the data
