"""A list's page and its total read in one query (web.WindowedPagination): the same items, total and pages as
Flask-SQLAlchemy's pagination, which counts in a second query, on every page, past the end and for an empty
list, in one query wherever a page has rows."""

import sqlalchemy as sa

from incubator.extensions import db
from incubator.web import page_with_total
from tests.helpers import count_queries


def _companies():
    from incubator.companies.models import Company

    return sa.select(Company).order_by(Company.name, Company.id)


def test_each_page_reads_its_rows_and_the_total_in_one_query(make):
    made = [make.company(name=f"Công ty Thử {n:02d}") for n in range(23)]
    for page in (1, 2, 3, 4, 9):
        expected = db.paginate(_companies(), page=page, per_page=10, error_out=False)
        with count_queries() as queries:
            pager = page_with_total(_companies(), page, 10)
        assert [c.id for c in pager.items] == [c.id for c in expected.items]
        assert (pager.total, pager.pages, pager.has_next, pager.has_prev) == \
               (expected.total, expected.pages, expected.has_next, expected.has_prev) == \
               (23, 3, page < 3, page > 1)
        # A page with rows carries the total; a page past the end counts apart.
        assert queries.count == (1 if pager.items else 2), queries.statements
    assert [c.id for c in page_with_total(_companies(), 3, 10).items] == [c.id for c in made[20:]]


def test_an_empty_list_has_no_page_and_a_total_of_nothing(make):
    with count_queries() as queries:
        pager = page_with_total(_companies(), 1, 10)
    assert (pager.items, pager.total, pager.pages) == ([], 0, 0)
    assert queries.count == 1


def test_the_total_follows_the_select_s_conditions(make):
    from incubator.companies.models import Company

    for n in range(5):
        make.company(name=f"Alpha {n}")
        make.company(name=f"Beta {n}")
    pager = page_with_total(_companies().where(Company.name.like("Beta%")), 1, 2)
    assert pager.total == 5 and pager.pages == 3
    assert [c.name for c in pager.items] == ["Beta 0", "Beta 1"]
