"""A request's number is given once: filings at the same moment, the first of a new year among them, get
consecutive numbers and none twice (the year's counter row is updated in the filing's transaction), on SQLite
and PostgreSQL. Each thread has its own application context, hence its own session, as a request has."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from incubator.db import write_lock
from incubator.extensions import db as _db
from incubator.requests import services
from incubator.requests.models import RequestNumberCounter

pytestmark = pytest.mark.slow

THREADS = 8


def test_numbers_given_at_the_same_time_are_consecutive_and_unique(app, db):
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def take(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                numbers = []
                for _ in range(5):
                    with write_lock():
                        numbers.append(services.next_number(2031))
                        _db.session.commit()
                results[i] = numbers
            except BaseException as exc:
                _db.session.rollback()
                results[i] = exc

    threads = [threading.Thread(target=take, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[0]
    given = sorted(number for numbers in results for number in numbers)
    assert given == [f"KN-2031-{n:04d}" for n in range(1, THREADS * 5 + 1)]
    assert db.session.scalar(sa.select(RequestNumberCounter.last).where(RequestNumberCounter.year == 2031)) == 40
