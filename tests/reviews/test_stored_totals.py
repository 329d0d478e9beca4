"""Each submitted review keeps its weighted total (Review.weighted_total), so the ranking reads one number per
review: the total follows the reviewer's saves and the stage's weights, and the migration works out the totals
of the reviews submitted before it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.reviews.models import Review
from incubator.reviews.queries import ranking as stage_ranking
from tests.helpers import login, post_form

MIGRATION = next((Path(__file__).resolve().parents[2] / "migrations" / "versions").glob("*_reviews_weighted_total.py"))


def _score(client, a, values, action, version=None):
    data = {f"score_{c.id}": str(v) for c, v in zip(a.stage.criteria, values, strict=True) if v is not None}
    data["action"] = action
    if version is not None:
        data["version"] = str(version)
    return post_form(client, f"/reviews/assignments/{a.id}", data)


def test_the_total_is_kept_at_each_save_of_the_reviewer(make, client_factory, db):
    # Weights 3 and 1 on 1-5: scores 5 and 1 → (3 × 1 + 1 × 0) / 4 = 75; then 3 and 5 → (3 × 0.5 + 1) / 4 = 62.5.
    stage = make.review_stage(criteria=[(3, 1, 5), (1, 1, 5)])
    reviewer = make.user(Role.REVIEWER)
    a = make.assignment(make.stage_entry(stage), reviewer)
    client = client_factory()
    login(client, reviewer)

    assert _score(client, a, [5, 1], "draft").status_code == 302
    review = db.session.scalar(sa.select(Review))
    assert review.weighted_total is None  # a draft has no total, and the ranking ignores it
    assert stage_ranking(stage)[0][0].row.mean is None

    assert _score(client, a, [5, 1], "submit", review.version_id).status_code == 302
    db.session.expire_all()
    assert review.weighted_total == pytest.approx(75)
    assert stage_ranking(stage)[0][0].row.mean == pytest.approx(75)

    assert _score(client, a, [3, 5], "submit", review.version_id).status_code == 302
    db.session.expire_all()
    assert review.weighted_total == pytest.approx(62.5)
    assert stage_ranking(stage)[0][0].row.mean == pytest.approx(62.5)


def test_a_new_weight_works_out_every_submitted_total_of_the_stage_again(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage(criteria=[(1, 1, 5), (1, 1, 5)])
    other = make.review_stage(criteria=[(1, 1, 5), (1, 1, 5)])
    submitted = [make.review(make.assignment(make.stage_entry(stage)), values=v) for v in ([5, 1], [1, 5], [3, 3])]
    draft = make.review(make.assignment(make.stage_entry(stage)), values=[5, 5], submitted=False)
    elsewhere = make.review(make.assignment(make.stage_entry(other)), values=[5, 1])
    assert [r.weighted_total for r in submitted] == [pytest.approx(50)] * 3
    versions = [r.version_id for r in submitted]

    first = stage.criteria[0]
    response = post_form(client, f"/reviews/criteria/{first.id}/edit", {
        "name_vi": first.name_vi, "name_en": first.name_en, "weight": "3", "scale_min": "1", "scale_max": "5"})
    assert response.status_code == 302
    db.session.expire_all()
    # (3 × 1 + 0) / 4 = 75; (0 + 1) / 4 = 25; (3 × 0.5 + 0.5) / 4 = 50.
    assert [r.weighted_total for r in submitted] == [pytest.approx(75), pytest.approx(25), pytest.approx(50)]
    # The scores did not change: a reviewer's open form is still current.
    assert [r.version_id for r in submitted] == versions
    assert draft.weighted_total is None
    assert elsewhere.weighted_total == pytest.approx(50)
    rows, _ = stage_ranking(stage, sort="mean")
    assert [r.row.mean for r in rows if r.row.mean is not None] == [pytest.approx(75), pytest.approx(50),
                                                                      pytest.approx(25)]


def test_the_migration_works_out_the_totals_of_reviews_submitted_before_it(make, db):
    spec = importlib.util.spec_from_file_location("weighted_total_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    stage = make.review_stage(criteria=[(30, 1, 5), (20, 0, 10), (50, 1, 3)])
    values = ([5, 10, 3], [1, 0, 1], [4, 7, 2], [2, 3, 3])
    submitted = [make.review(make.assignment(make.stage_entry(stage)), values=v) for v in values]
    draft = make.review(make.assignment(make.stage_entry(stage)), values=[3, 3, 2], submitted=False)
    expected = {r.id: r.computed_total(stage.criteria) for r in submitted}
    assert expected[submitted[0].id] == pytest.approx(100) and expected[submitted[1].id] == pytest.approx(0)
    db.session.execute(sa.update(Review).values(weighted_total=None))
    db.session.commit()

    migration.backfill(db.session.connection())
    db.session.commit()
    db.session.expire_all()
    assert {r.id: r.weighted_total for r in submitted} == pytest.approx(expected)
    assert draft.weighted_total is None
