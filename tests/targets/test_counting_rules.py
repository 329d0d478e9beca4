"""Each counting rule of domain.md, one test each (issue 4, acceptance 1)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from incubator.companies.enums import ResidencyKind
from incubator.outcomes.enums import Decision
from incubator.targets import queries
from incubator.targets.enums import TargetKind

INC, PARTNER, TENANT, ALUMNUS = (ResidencyKind.INCUBATED, ResidencyKind.PARTNER_OFFICE,
                                 ResidencyKind.SERVICE_TENANT, ResidencyKind.ALUMNUS)
D = date


@pytest.fixture
def ratio_target(make):
    return make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70"))


@pytest.fixture
def grad_target(make):
    return make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                       window_start=D(2024, 1, 1), window_end=D(2025, 12, 31))


def counts(target, day):
    """The figure, after checking that the drill-down lists hold exactly the businesses it counts."""
    r = queries.ratio(target, day)
    lists = queries.explain_ratio(day)
    assert (len(lists["numerator"]), len(lists["denominator"])) == (r.numerator, r.denominator)
    return r.numerator, r.denominator


# ---- The 70 % ratio ----------------------------------------------------------------------------------------

def test_a_residency_counts_on_its_first_and_last_day_not_the_day_before_or_after(make, ratio_target):
    make.residency(kind=INC, starts_on=D(2024, 3, 1), ends_on=D(2024, 8, 31))
    assert counts(ratio_target, D(2024, 2, 29)) == (0, 0)
    assert counts(ratio_target, D(2024, 3, 1)) == (1, 1)
    assert counts(ratio_target, D(2024, 8, 31)) == (1, 1)
    assert counts(ratio_target, D(2024, 9, 1)) == (0, 0)


def test_a_running_residency_counts_from_its_start_on(make, ratio_target):
    make.residency(kind=INC, starts_on=D(2024, 3, 1), ends_on=None)
    assert counts(ratio_target, D(2030, 1, 1)) == (1, 1)


def test_non_it_tenants_count_in_neither_numerator_nor_denominator(make, ratio_target):
    make.residency(company=make.company(is_it=False), kind=INC, starts_on=D(2024, 1, 1))
    make.residency(company=make.company(is_it=False), kind=TENANT, starts_on=D(2024, 1, 1))
    make.residency(kind=INC, starts_on=D(2024, 1, 1))
    assert counts(ratio_target, D(2024, 6, 1)) == (1, 1)


def test_it_businesses_that_are_not_incubated_count_in_the_denominator_only(make, ratio_target):
    make.residency(kind=INC, starts_on=D(2024, 1, 1))
    make.residency(kind=PARTNER, starts_on=D(2024, 1, 1))
    make.residency(kind=TENANT, starts_on=D(2024, 1, 1))
    make.residency(kind=ALUMNUS, starts_on=D(2024, 1, 1))
    figure = queries.ratio(ratio_target, D(2024, 6, 1))
    assert (figure.numerator, figure.denominator, figure.percent) == (1, 4, Decimal("25.0"))
    assert figure.met is False


def test_a_business_with_several_residencies_counts_once(make, ratio_target):
    company = make.company()
    make.residency(company=company, kind=INC, starts_on=D(2024, 1, 1))
    make.residency(company=company, kind=TENANT, starts_on=D(2024, 2, 1))
    make.residency(company=company, kind=ALUMNUS, starts_on=D(2024, 3, 1))
    assert counts(ratio_target, D(2024, 6, 1)) == (1, 1)


def test_met_is_decided_on_the_exact_ratio_not_the_rounded_one(make, ratio_target):
    from incubator.targets.queries import RatioFigure

    figure = RatioFigure(ratio_target, D(2025, 1, 1), numerator=142, denominator=203)  # 69.95 %
    assert figure.percent == Decimal("70.0") and figure.met is False
    assert RatioFigure(ratio_target, D(2025, 1, 1), numerator=7, denominator=10).met is True


def test_an_empty_incubator_has_no_percentage(ratio_target):
    figure = queries.ratio(ratio_target, D(2024, 6, 1))
    assert (figure.numerator, figure.denominator, figure.percent, figure.met) == (0, 0, None, False)


def test_exactly_the_threshold_is_met(make, ratio_target):
    for _ in range(7):
        make.residency(kind=INC, starts_on=D(2024, 1, 1))
    for _ in range(3):
        make.residency(kind=PARTNER, starts_on=D(2024, 1, 1))
    figure = queries.ratio(ratio_target, D(2024, 1, 1))
    assert (figure.percent, figure.met) == (Decimal("70.0"), True)


# ---- The 10 graduates --------------------------------------------------------------------------------------

def graduate(make, company=None, **kw):
    from incubator.outcomes.services import record_outcome

    kw.setdefault("decision", Decision.GRADUATED)
    kw.setdefault("decided_on", D(2025, 6, 30))
    kw.setdefault("pillars", ["economy"])
    kw.setdefault("evidence_text", "Hợp đồng với UBND phường Dịch Vọng")
    outcome = record_outcome(company or make.company(), **kw)
    from incubator.extensions import db

    db.session.commit()
    return outcome


def grads(target, day):
    """The count, after checking that the drill-down list holds exactly the graduates it counts."""
    count = queries.graduates(target, day).count
    assert len(queries.explain_graduates(target, day)["count"]) == count
    return count


def test_a_graduate_in_the_window_with_evidence_and_a_pillar_counts(make, grad_target):
    graduate(make)
    assert grads(grad_target, D(2025, 12, 31)) == 1


def test_a_graduate_outside_the_window_does_not_count(make, grad_target):
    graduate(make, decided_on=D(2023, 12, 31))
    graduate(make, decided_on=D(2026, 1, 1))
    graduate(make, decided_on=D(2024, 1, 1))  # the first day of the window counts
    assert grads(grad_target, D(2026, 6, 1)) == 1


def test_a_graduate_decided_after_the_date_asked_does_not_count_yet(make, grad_target):
    graduate(make, decided_on=D(2025, 6, 30))
    assert grads(grad_target, D(2025, 6, 29)) == 0
    assert grads(grad_target, D(2025, 6, 30)) == 1


def test_a_graduate_without_market_evidence_does_not_count(make, grad_target):
    graduate(make, evidence_text="   ")
    graduate(make, evidence_text="\t\n")  # whitespace of any kind is no evidence
    make.outcome(evidence_text=" \t ", evidence_url="")  # not through the service either
    graduate(make, evidence_text=None, evidence_url="https://dichvucong.hanoi.example/san-pham")
    assert grads(grad_target, D(2025, 12, 31)) == 1
    reasons = [str(r) for e in queries.explain_graduates(grad_target, D(2025, 12, 31))["excluded"] for r in e.reasons]
    assert len(reasons) == 3 and all("bằng chứng thị trường" in r for r in reasons)  # in Vietnamese, by default


def test_a_graduate_without_a_pillar_does_not_count(make, grad_target):
    graduate(make, pillars=[])
    graduate(make, pillars=["government", "society"])
    assert grads(grad_target, D(2025, 12, 31)) == 1


def test_a_non_it_graduate_does_not_count(make, grad_target):
    graduate(make, company=make.company(is_it=False))
    assert grads(grad_target, D(2025, 12, 31)) == 0


def test_a_startup_graduated_from_two_cohorts_counts_once(make, grad_target):
    company = make.company()
    graduate(make, company=company, decided_on=D(2024, 6, 30), cohort_name="Khóa 1")
    graduate(make, company=company, decided_on=D(2025, 6, 30), cohort_name="Khóa 3")
    assert grads(grad_target, D(2025, 12, 31)) == 1
    explained = queries.explain_graduates(grad_target, D(2025, 12, 31))
    assert len(explained["count"]) == 1 and len(explained["excluded"]) == 1


def test_other_decisions_do_not_count(make, grad_target):
    for decision in (Decision.EXTENDED, Decision.WITHDRAWN, Decision.FAILED):
        graduate(make, decision=decision)
    assert grads(grad_target, D(2025, 12, 31)) == 0


# ---- Series and CLI ----------------------------------------------------------------------------------------

def test_quarter_ends():
    assert queries.last_quarter_ends(D(2025, 6, 30), 3) == [D(2024, 12, 31), D(2025, 3, 31), D(2025, 6, 30)]
    assert queries.last_quarter_ends(D(2025, 6, 29), 2) == [D(2024, 12, 31), D(2025, 3, 31)]
    ends = queries.last_quarter_ends(D(2026, 11, 23), 12)
    assert ends[0] == D(2023, 12, 31) and ends[-1] == D(2026, 9, 30) and len(set(ends)) == 12


def test_the_quarterly_series_gives_the_figure_at_each_quarter_end(make, ratio_target, grad_target):
    make.residency(kind=INC, starts_on=D(2024, 1, 1), ends_on=D(2024, 6, 30))
    make.residency(kind=PARTNER, starts_on=D(2024, 4, 1))
    graduate(make, decided_on=D(2024, 5, 5))
    days = queries.last_quarter_ends(D(2024, 12, 31), 4)
    assert [(f.numerator, f.denominator) for f in queries.ratio_series(ratio_target, days)] == \
        [counts(ratio_target, d) for d in days] == [(1, 1), (1, 2), (0, 1), (0, 1)]
    assert [f.count for f in queries.graduate_series(grad_target, days)] == [0, 1, 1, 1]


def test_the_graduate_series_counts_each_startup_from_its_first_outcome_that_counts(make, grad_target):
    """S1 graduates twice (counted from the first time), S2 once without evidence then once with it (counted
    from the second), S3 after the window (never), S4 on a quarter's last day (counted that day)."""
    s1, s2, s3, s4 = (make.company() for _ in range(4))
    graduate(make, company=s1, decided_on=D(2024, 2, 1))
    graduate(make, company=s1, decided_on=D(2024, 8, 1), cohort_name="Khóa 2")
    graduate(make, company=s2, decided_on=D(2024, 3, 1), evidence_text=None)
    graduate(make, company=s2, decided_on=D(2024, 11, 1), cohort_name="Khóa 2")
    graduate(make, company=s3, decided_on=D(2026, 1, 5))
    graduate(make, company=s4, decided_on=D(2024, 6, 30))
    days = [D(2023, 12, 31), *queries.last_quarter_ends(D(2026, 3, 31), 9)]
    assert [f.count for f in queries.graduate_series(grad_target, days)] == [grads(grad_target, d) for d in days] \
        == [0, 1, 2, 2, 3, 3, 3, 3, 3, 3]


def test_the_dashboard_figure_comes_from_the_series_and_equals_the_figure_at_the_date(make, ratio_target,
                                                                                      grad_target):
    make.residency(kind=INC, starts_on=D(2024, 1, 1), ends_on=D(2025, 2, 10))
    make.residency(kind=PARTNER, starts_on=D(2024, 4, 1))
    graduate(make, decided_on=D(2025, 2, 9))
    days = queries.last_quarter_ends(D(2025, 2, 10), 4)
    for as_of in (D(2025, 2, 9), D(2025, 2, 10), D(2025, 2, 11), D(2024, 12, 31)):
        ratio, ratio_points = queries.figure_and_series(ratio_target, as_of, days)
        assert (ratio.numerator, ratio.denominator) == counts(ratio_target, as_of)
        assert [(p.numerator, p.denominator) for p in ratio_points] == [counts(ratio_target, d) for d in days]
        count, count_points = queries.figure_and_series(grad_target, as_of, days)
        assert count.count == grads(grad_target, as_of)
        assert [p.as_of for p in count_points] == days


def test_cli_prints_the_promised_json(runner, make, ratio_target, grad_target):
    for _ in range(7):
        make.residency(kind=INC, starts_on=D(2025, 1, 1))
    for _ in range(3):
        make.residency(kind=TENANT, starts_on=D(2025, 1, 1))
    for _ in range(3):
        graduate(make)
    result = runner.invoke(args=["targets", "--as-of", "2025-06-30", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["as_of"] == "2025-06-30"
    assert {k: data["startup_ratio"][k] for k in ("numerator", "denominator", "percent", "threshold", "met")} == \
        {"numerator": 7, "denominator": 10, "percent": 70.0, "threshold": 70.0, "met": True}
    assert {k: data["graduates"][k] for k in ("count", "threshold", "window_start", "window_end", "met")} == \
        {"count": 3, "threshold": 10, "window_start": "2024-01-01", "window_end": "2025-12-31", "met": False}
    text = runner.invoke(args=["targets", "--as-of", "30/06/2025"])
    assert "7 / 10 = 70.0 %" in text.output


def test_cli_json_has_null_percent_when_nobody_is_in(runner, ratio_target):
    data = json.loads(runner.invoke(args=["targets", "--as-of", "2025-06-30", "--json"]).output)
    assert data["startup_ratio"]["percent"] is None and data["startup_ratio"]["met"] is False
