"""The ranking page through HTTP: sorting, flags, and a fixed number of queries at any size."""

from __future__ import annotations

import re

import pytest

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application
from incubator.auth.enums import Role
from incubator.companies.models import Company
from incubator.db import utcnow
from incubator.reviews.enums import AssignmentStatus, ReviewStatus
from incubator.reviews.models import Assignment, PanelMember, Review, Score, StageEntry
from tests.helpers import count_queries, tax_code


def _seed(db, stage, reviewers, founder, start, count, per=3):
    """``count`` applications in the stage, each reviewed (submitted) by ``per`` reviewers, in bulk."""
    criteria = stage.criteria
    now = utcnow()
    for i in range(start, start + count):
        company = Company(tax_code=tax_code(70000 + i), name=f"Công ty Xếp Hạng {i:04d}", is_it=True)
        application = Application(round_id=stage.round_id, company=company, created_by_id=founder.id,
                                  status=ApplicationStatus.UNDER_REVIEW, reference=f"VU-2026-{i:04d}")
        db.session.add(StageEntry(stage=stage, application=application))
        for k in range(per):
            reviewer = reviewers[(i + k) % len(reviewers)]
            a = Assignment(stage=stage, application=application, reviewer_id=reviewer.id,
                           status=AssignmentStatus.CONFIRMED)
            review = Review(assignment=a, status=ReviewStatus.SUBMITTED, submitted_at=now,
                            comment_for_applicant="Nhận xét")
            review.scores.extend(Score(criterion_id=c.id, value=1 + (i * 7 + k * 3 + j) % 5)
                                 for j, c in enumerate(criteria))
            review.update_total(criteria)
            db.session.add(review)
    db.session.commit()


@pytest.fixture
def staff_and_stage(make, login_as, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    reviewers = [make.user(Role.REVIEWER) for _ in range(10)]
    for r in reviewers:
        stage.panel.append(PanelMember(user_id=r.id))
    db.session.commit()
    return client, stage, reviewers, make.user()


def test_the_ranking_of_300_applications_and_900_reviews_costs_the_queries_of_10(staff_and_stage, db):
    client, stage, reviewers, founder = staff_and_stage
    url = f"/reviews/stages/{stage.id}/ranking"

    def measure():
        with count_queries() as counter:
            response = client.get(url)
            assert response.status_code == 200
        return counter.count, response.get_data(as_text=True)

    _seed(db, stage, reviewers, founder, 1, 10)
    small, page = measure()
    assert page.count('name="entries"') == 10
    _seed(db, stage, reviewers, founder, 11, 290)
    large, page = measure()
    assert page.count('name="entries"') == 50  # a page of the ranking: its cost follows the page, not the stage
    assert large == small
    # Ranked among all 300: every application once over the six pages, the ranks running on.
    pages = [client.get(f"{url}?page={n}").get_data(as_text=True) for n in range(1, 7)]
    ids = [i for p in pages for i in re.findall(r'name="entries" value="(\d+)"', p)]
    assert len(ids) == len(set(ids)) == 300
    assert "<td>51</td>" in pages[1] and "<td>300</td>" in pages[5]
    assert f"/reviews/stages/{stage.id}/ranking?page=2" in pages[0]


def test_the_ranking_sorts_by_each_column_and_flags_wide_spreads(staff_and_stage, make, db):
    client, stage, reviewers, _ = staff_and_stage
    high, low = make.stage_entry(stage), make.stage_entry(stage)
    for reviewer, values in zip(reviewers[:2], ([5, 5], [1, 1]), strict=True):
        make.review(make.assignment(high, reviewer), values=values)  # spread 100: wide
    make.review(make.assignment(low, reviewers[2]), values=[2, 2])
    page = client.get(f"/reviews/stages/{stage.id}/ranking?sort=mean&dir=desc").get_data(as_text=True)
    assert page.index(high.application.reference) < page.index(low.application.reference)
    assert "wide" in page or "lệch" in page.lower() or "chênh" in page.lower()
    page = client.get(f"/reviews/stages/{stage.id}/ranking?sort=mean&dir=asc").get_data(as_text=True)
    assert page.index(low.application.reference) < page.index(high.application.reference)
    for key in ("company", "done", "median", "normalised", "spread", "reference", "nonsense"):
        assert client.get(f"/reviews/stages/{stage.id}/ranking?sort={key}&dir=asc").status_code == 200
