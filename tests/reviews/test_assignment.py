"""Automatic assignment: everyone gets enough reviewers, loads even, conflicts respected, gaps refilled."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.reviews import assigning, stages
from incubator.reviews import assignment_plan as plan_module
from incubator.reviews.enums import ACTIVE_ASSIGNMENT, AssignmentStatus, ConflictKind
from incubator.reviews.models import Assignment


def _round_with_entries(make, db, n_applications, n_reviewers, per=3):
    staff = make.user(Role.STAFF)
    stage = make.review_stage(reviewers_per_application=per)
    founder = make.user()
    applications = [make.application(intake_round=stage.round, created_by=founder, status=ApplicationStatus.SUBMITTED,
                                      reference=f"VU-2026-{i:04d}") for i in range(1, n_applications + 1)]
    reviewers = [make.user(Role.REVIEWER) for _ in range(n_reviewers)]
    stages.take_into_review(stage, applications, actor=staff)
    assigning.add_to_panel(stage, reviewers, actor=staff)
    db.session.commit()
    return staff, stage, applications, reviewers


def _active_pairs(db, stage):
    return set(db.session.execute(sa.select(Assignment.application_id, Assignment.reviewer_id)
                                  .where(Assignment.stage_id == stage.id,
                                         Assignment.status.in_(ACTIVE_ASSIGNMENT))))


def test_120_applications_12_reviewers_3_each_even_loads_no_conflict_then_gaps_refilled(make, db):
    staff, stage, applications, reviewers = _round_with_entries(make, db, 120, 12)
    # Some reviewers are tied to some companies before the assignment runs.
    conflicted = set()
    for i in range(10):
        reviewer, application = reviewers[i], applications[i * 7]
        assigning.record_conflict(reviewer, application.company, kind=ConflictKind.INVESTOR,
                                  reason="Quỹ của tôi đã đầu tư", actor=staff)
        conflicted.add((application.id, reviewer.id))

    result = assigning.auto_assign(stage, actor=staff)
    db.session.commit()

    pairs = _active_pairs(db, stage)
    assert result == {"created": 360, "gaps_left": 0}
    per_application = Counter(a for a, _ in pairs)
    assert set(per_application.values()) == {3} and len(per_application) == 120
    loads = Counter(r for _, r in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1 and len(loads) == 12
    assert not pairs & conflicted

    # One reviewer turns out to be tied to five of the companies given to them: recused from those five.
    recused_reviewer = reviewers[11]
    theirs = sorted(a for a, r in pairs if r == recused_reviewer.id)[:5]
    by_id = {a.id: a for a in applications}
    for application_id in theirs:
        assigning.record_conflict(recused_reviewer, by_id[application_id].company, kind=ConflictKind.COMPETITOR,
                                  reason="Sản phẩm cạnh tranh trực tiếp", actor=staff, refill=False)
    db.session.commit()
    after_recusal = _active_pairs(db, stage)
    assert after_recusal == pairs - {(a, recused_reviewer.id) for a in theirs}

    rerun = assigning.auto_assign(stage, actor=staff)
    db.session.commit()
    final = _active_pairs(db, stage)
    assert rerun == {"created": 5, "gaps_left": 0}
    added = final - after_recusal
    assert sorted(a for a, _ in added) == theirs  # exactly those five gaps, and nothing else moved
    assert all(r != recused_reviewer.id for _, r in added)
    assert set(Counter(a for a, _ in final).values()) == {3}

    # A third run has nothing to do.
    assert assigning.auto_assign(stage, actor=staff) == {"created": 0, "gaps_left": 0}


def test_a_reviewer_declaring_a_conflict_is_replaced_at_once(make, db):
    staff, stage, _applications, _reviewers = _round_with_entries(make, db, 4, 4, per=2)
    assigning.auto_assign(stage, actor=staff)
    db.session.commit()
    a = db.session.scalars(sa.select(Assignment).where(Assignment.stage_id == stage.id)).first()
    reviewer = a.reviewer
    assigning.record_conflict(reviewer, a.application.company, kind=ConflictKind.FAMILY,
                              reason="Người sáng lập là em họ tôi", actor=reviewer)
    db.session.commit()
    db.session.refresh(a)
    assert a.status is AssignmentStatus.RECUSED
    holders = {r for app, r in _active_pairs(db, stage) if app == a.application_id}
    assert len(holders) == 2 and reviewer.id not in holders


def test_rerun_after_a_reviewer_leaves_the_panel_fills_only_their_gaps(make, db):
    staff, stage, _applications, reviewers = _round_with_entries(make, db, 12, 4, per=2)
    assigning.auto_assign(stage, actor=staff)
    db.session.commit()
    before = _active_pairs(db, stage)
    leaving = reviewers[0]
    assigning.remove_from_panel(stage, leaving, actor=staff)
    db.session.commit()
    theirs = {a for a, r in before if r == leaving.id}
    result = assigning.auto_assign(stage, actor=staff)
    db.session.commit()
    after = _active_pairs(db, stage)
    assert result["created"] == len(theirs) == 6
    assert {a for a, _ in after - before} == theirs
    assert before - after == {(a, leaving.id) for a in theirs}
    loads = Counter(r for _, r in after)
    assert leaving.id not in loads and max(loads.values()) - min(loads.values()) <= 1


def test_a_conflicted_reviewer_cannot_be_assigned_by_hand(make, db):
    staff, stage, applications, reviewers = _round_with_entries(make, db, 2, 2, per=1)
    assigning.record_conflict(reviewers[0], applications[0].company, kind=ConflictKind.EMPLOYER,
                              reason="Tôi làm tư vấn cho công ty này", actor=staff)
    made, skipped = assigning.assign_many(stage, applications, reviewers[:1], actor=staff)
    assert made == 1 and [(s[0].id, s[1].id) for s in skipped] == [(applications[0].id, reviewers[0].id)]


def test_gaps_are_reported_when_the_panel_is_too_small(make, db):
    staff, stage, _applications, _reviewers = _round_with_entries(make, db, 3, 2, per=3)
    assert assigning.auto_assign(stage, actor=staff) == {"created": 6, "gaps_left": 3}


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 12), st.integers(1, 4), st.data())
def test_plan_keeps_its_promises(n_apps, n_reviewers, per, data):
    companies = list(range(n_apps))
    reviewers = list(range(100, 100 + n_reviewers))
    conflicts = set(data.draw(st.lists(st.tuples(st.sampled_from(reviewers), st.sampled_from(companies)),
                                       max_size=n_apps)))
    slots = [plan_module.Slot(application_id=i, company_id=i, needed=per) for i in companies]
    pairs = plan_module.plan(slots, dict.fromkeys(reviewers, 0), conflicts)
    assert len(set(pairs)) == len(pairs)
    assert not {(r, a) for a, r in pairs} & conflicts
    per_app = Counter(a for a, _ in pairs)
    for a in companies:
        allowed = sum((r, a) not in conflicts for r in reviewers)
        assert per_app[a] == min(per, allowed)  # everyone gets what the conflicts allow
    if not conflicts:
        loads = Counter(dict.fromkeys(reviewers, 0))
        loads.update(r for _, r in pairs)
        assert max(loads.values()) - min(loads.values()) <= 1


def test_a_reviewer_who_holds_the_companys_file_or_is_deactivated_is_never_assigned(make, db):
    from incubator.auth.enums import Role as R

    staff, stage, applications, reviewers = _round_with_entries(make, db, 4, 3, per=2)
    founder_reviewer = make.user(R.FOUNDER, R.REVIEWER)
    make.member(company=applications[0].company, user=founder_reviewer)
    assigning.add_to_panel(stage, [founder_reviewer], actor=staff)
    reviewers[2].active = False
    db.session.commit()
    assigning.auto_assign(stage, actor=staff)
    db.session.commit()
    pairs = _active_pairs(db, stage)
    assert (applications[0].id, founder_reviewer.id) not in pairs
    assert all(r != reviewers[2].id for _, r in pairs)
    assert Counter(a for a, _ in pairs) == {a.id: 2 for a in applications}
    with __import__("pytest").raises(DomainError):
        assigning.assign(stage, applications[0], founder_reviewer, actor=staff)
