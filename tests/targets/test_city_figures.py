"""Each incubator's targets and figures, and the city's counted once (issue 20, acceptance 2).

A business is one record city-wide; its residencies and outcomes belong to the incubator where they happen.
An incubator's figures count its own residencies and outcomes with its own targets; the city's count the
whole network with the city's targets, each business once (domain.md, "A network of incubators")."""

import json
from datetime import date as D
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.errors import DomainError
from incubator.organisation import services as organisation
from incubator.organisation.queries import by_code
from incubator.organisation.scoping import scoped_to
from incubator.targets import queries, services
from incubator.targets.enums import TargetKind
from incubator.targets.models import Target
from tests.helpers import post_form
from tests.targets.test_dashboard import _figure, seed

INC, TENANT = ResidencyKind.INCUBATED, ResidencyKind.SERVICE_TENANT
DAY = D(2025, 6, 30)


@pytest.fixture
def city(make):
    """The city's two targets, as the plans set them."""
    return (make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70")),
            make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                        window_start=D(2024, 1, 1), window_end=D(2025, 12, 31)))


@pytest.fixture
def network(db, make, city):
    """VUHN and HN2, each with its copies of the city's targets, and four businesses:
    - A (IT): incubated in VUHN, a service tenant in HN2, graduated (counting) in both;
    - B (IT): a tenant of VUHN only;
    - C (IT): incubated in HN2 only, graduated there;
    - N (not IT): incubated in VUHN, graduated there."""
    vuhn = by_code("VUHN")
    services.copy_city_targets(vuhn)
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=None)
    db.session.commit()
    a, b, c, n = make.company(name="Công ty A"), make.company(name="Công ty B"), make.company(name="Công ty C"), \
        make.company(name="Công ty N", is_it=False)
    make.residency(company=a, kind=INC, starts_on=D(2024, 1, 1), incubator_id=vuhn.id)
    make.residency(company=a, kind=TENANT, starts_on=D(2024, 6, 1), incubator_id=hn2.id)
    make.residency(company=b, kind=TENANT, starts_on=D(2024, 1, 1), incubator_id=vuhn.id)
    make.residency(company=c, kind=INC, starts_on=D(2024, 3, 1), incubator_id=hn2.id)
    make.residency(company=n, kind=INC, starts_on=D(2024, 1, 1), incubator_id=vuhn.id)
    make.outcome(company=a, decided_on=D(2025, 3, 31), incubator_id=vuhn.id)
    make.outcome(company=a, decided_on=D(2025, 5, 31), incubator_id=hn2.id)
    make.outcome(company=c, decided_on=D(2025, 4, 30), incubator_id=hn2.id)
    make.outcome(company=n, decided_on=D(2025, 4, 30), incubator_id=vuhn.id)
    return {"vuhn": vuhn, "hn2": hn2, "a": a, "b": b, "c": c, "n": n}


def _target(code, incubator=None) -> Target:
    return queries.by_code(code, incubator)


def _names(explained) -> set[str]:
    return {e.company.name for e in explained}


def test_a_new_incubator_gets_its_own_audited_copies_of_the_citys_targets(db, make, city):
    admin = make.user()
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=admin)
    db.session.commit()
    copies = queries.all_targets(hn2)
    fields = ("code", "name_vi", "name_en", "kind", "threshold", "window_start", "window_end", "source_document")
    assert [[getattr(t, f) for f in fields] for t in copies] == [[getattr(t, f) for f in fields] for t in city]
    assert all(t.incubator_id == hn2.id and not t.is_city for t in copies)
    assert queries.all_targets() == list(city)  # the city's rows are the city's only
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "target.create",
                                                             AuditEntry.object_id.in_([str(t.id) for t in copies])))
    assert {e.actor_id for e in entries} == {admin.id} and len(list(copies)) == 2


def test_the_default_targets_reach_every_incubator_once_and_never_overwrite_an_edit(db):
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=None)  # no city target yet: nothing to copy
    assert queries.all_targets(hn2) == []
    assert services.ensure_default_targets() == 9  # the city's three, and a copy of each for VUHN and HN2
    services.update_target(_target("IT70", hn2), threshold=Decimal("50"))
    db.session.commit()
    assert services.ensure_default_targets() == 0
    assert [(t.code, t.threshold) for t in queries.all_targets(hn2)] == [("IT70", 50), ("GRAD10", 10), ("CERT5", 5)]
    assert [(t.code, t.threshold) for t in queries.all_targets(by_code("VUHN"))] == [
        ("IT70", 70), ("GRAD10", 10), ("CERT5", 5)]
    assert [(t.code, t.threshold) for t in queries.all_targets()] == [("IT70", 70), ("GRAD10", 10), ("CERT5", 5)]


def test_a_code_is_unique_among_the_citys_targets_and_among_each_incubators(db, city):
    vuhn = by_code("VUHN")
    fields = {"name_vi": "Tỷ lệ", "name_en": "Ratio", "kind": "incubated_it_ratio", "threshold": Decimal("60")}
    mine = services.create_target(code="IT70", incubator_id=vuhn.id, **fields)  # the city has IT70: VUHN may too
    with pytest.raises(DomainError):
        services.create_target(code="IT70", **fields)
    with pytest.raises(DomainError):
        services.create_target(code="IT70", incubator_id=vuhn.id, **fields)
    other = services.create_target(code="IT60", incubator_id=vuhn.id, **fields)
    with pytest.raises(DomainError):
        services.update_target(other, code="IT70")
    db.session.commit()
    assert mine.incubator_id == vuhn.id


@pytest.mark.parametrize("owner", ["city", "incubator"])
def test_the_database_refuses_a_second_row_of_a_code_for_the_same_owner(db, city, owner):
    """The unique constraint and the partial unique index (NULL is distinct from NULL in a unique constraint)."""
    vuhn = by_code("VUHN")
    incubator_id = None if owner == "city" else vuhn.id
    row = {"name_vi": "Tỷ lệ", "name_en": "Ratio", "kind": TargetKind.INCUBATED_IT_RATIO,
           "threshold": Decimal("70"), "incubator_id": incubator_id}
    if owner == "incubator":
        db.session.add(Target(code="IT70", **row))
        db.session.commit()
    db.session.add(Target(code="IT70", **row))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Target(code="NEW", **row))
    db.session.add(Target(code="NEW", **{**row, "incubator_id": vuhn.id if owner == "city" else None}))
    db.session.commit()


def test_the_city_counts_a_business_in_two_incubators_once(network):
    ratio, grads = queries.ratio(_target("IT70"), DAY), queries.graduates(_target("GRAD10"), DAY)
    # A (incubated in VUHN, a tenant in HN2), B (a tenant), C (incubated in HN2); N is not IT.
    assert (ratio.numerator, ratio.denominator, grads.count) == (2, 3, 2)
    lists = queries.explain_ratio(DAY, _target("IT70"))
    assert _names(lists["numerator"]) == {"Công ty A", "Công ty C"}
    assert _names(lists["denominator"]) == {"Công ty A", "Công ty B", "Công ty C"}
    assert len(lists["denominator"]) == 3  # A once, with its residencies in both incubators
    [a] = [e for e in lists["denominator"] if e.company.name == "Công ty A"]
    assert {r.incubator_id for r in a.residencies} == {network["vuhn"].id, network["hn2"].id}
    explained = queries.explain_graduates(_target("GRAD10"), DAY)
    assert _names(explained["count"]) == {"Công ty A", "Công ty C"} and len(explained["count"]) == 2
    with force_locale("en"):
        reasons = {(e.company.name, str(r)) for e in explained["excluded"] for r in e.reasons}
    assert ("Công ty A", "Already counted once: each startup counts once") in reasons
    assert ("Công ty N", "Not an IT (digital-technology) business") in reasons


def test_each_incubator_counts_its_own_residencies_and_outcomes(network):
    vuhn, hn2 = network["vuhn"], network["hn2"]
    mine = {code: (queries.ratio(_target("IT70", code), DAY), queries.graduates(_target("GRAD10", code), DAY))
            for code in (vuhn.id, hn2.id)}
    assert (mine[vuhn.id][0].numerator, mine[vuhn.id][0].denominator, mine[vuhn.id][1].count) == (1, 2, 1)
    # In HN2, A is a tenant: in the denominator, not the numerator; it graduated there too.
    assert (mine[hn2.id][0].numerator, mine[hn2.id][0].denominator, mine[hn2.id][1].count) == (1, 2, 2)
    # So the city's figure is not the sum of the incubators' (2 of 3, and 2 graduates).
    assert _names(queries.explain_ratio(DAY, _target("IT70", vuhn))["denominator"]) == {"Công ty A", "Công ty B"}
    hn2_lists = queries.explain_ratio(DAY, _target("IT70", hn2))
    assert _names(hn2_lists["numerator"]) == {"Công ty C"}
    assert _names(hn2_lists["denominator"]) == {"Công ty A", "Công ty C"}
    assert all(r.incubator_id == hn2.id for e in hn2_lists["denominator"] for r in e.residencies)
    # A business only in HN2 is in none of VUHN's figures or lists.
    vuhn_grads = queries.explain_graduates(_target("GRAD10", vuhn), DAY)
    assert _names(vuhn_grads["count"]) == {"Công ty A"}
    assert "Công ty C" not in _names(vuhn_grads["excluded"]) | _names(
        queries.explain_ratio(DAY, _target("IT70", vuhn))["excluded"])


def test_the_series_count_like_the_figures(network):
    days = [D(2024, 3, 31), D(2024, 12, 31), D(2025, 3, 31), D(2025, 6, 30)]
    for owner in (None, network["vuhn"], network["hn2"]):
        ratio_target, grad_target = _target("IT70", owner), _target("GRAD10", owner)
        at = [queries.ratio(ratio_target, d) for d in days]
        assert [(f.numerator, f.denominator) for f in queries.ratio_series(ratio_target, days)] == \
            [(f.numerator, f.denominator) for f in at]
        assert [f.count for f in queries.graduate_series(grad_target, days)] == \
            [queries.graduates(grad_target, d).count for d in days]
        figure, points = queries.figure_and_series(ratio_target, DAY, days)
        assert (figure.numerator, figure.denominator) == (at[-1].numerator, at[-1].denominator)
        assert [(p.numerator, p.denominator) for p in points] == [(f.numerator, f.denominator) for f in at]
    assert [f.count for f in queries.graduate_series(_target("GRAD10"), days)] == [0, 0, 1, 2]


def test_within_one_incubators_scope_the_city_still_counts_the_network(network):
    with scoped_to([network["vuhn"].id]):
        city = queries.ratio(_target("IT70"), DAY)
        assert (city.numerator, city.denominator) == (2, 3)
        assert queries.graduates(_target("GRAD10"), DAY).count == 2
        assert [(p.numerator, p.denominator) for p in queries.ratio_series(_target("IT70"), [DAY])] == [(2, 3)]
        assert len(queries.explain_ratio(DAY, _target("IT70"))["denominator"]) == 3
        vuhn = queries.ratio(_target("IT70", network["vuhn"]), DAY)
        assert (vuhn.numerator, vuhn.denominator) == (1, 2)


def test_thresholds_and_verdicts_come_from_the_rows_used(db, network):
    hn2 = network["hn2"]
    services.update_target(_target("IT70", hn2), threshold=Decimal("50"))
    services.update_target(_target("GRAD10", hn2), threshold=Decimal("2"), window_start=D(2025, 1, 1))
    db.session.commit()
    city, mine, vuhn = (queries.figures_as_json(DAY), queries.figures_as_json(DAY, hn2),
                        queries.figures_as_json(DAY, network["vuhn"].id))
    assert (city["startup_ratio"]["threshold"], city["startup_ratio"]["met"]) == (70.0, False)  # 2/3
    assert (mine["startup_ratio"]["threshold"], mine["startup_ratio"]["met"]) == (50.0, True)  # 1/2
    assert (vuhn["startup_ratio"]["threshold"], vuhn["startup_ratio"]["met"]) == (70.0, False)  # 1/2
    assert (city["graduates"]["threshold"], city["graduates"]["met"], city["graduates"]["window_start"]) == \
        (10, False, "2024-01-01")
    assert (mine["graduates"]["count"], mine["graduates"]["threshold"], mine["graduates"]["met"],
            mine["graduates"]["window_start"]) == (2, 2, True, "2025-01-01")
    assert _target("IT70").threshold == 70  # an incubator's edit leaves the city's row as it was


def test_the_targets_command_with_and_without_an_incubator(runner, network):
    def run(*args):
        result = runner.invoke(args=["targets", "--as-of", DAY.isoformat(), "--json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    city, hn2 = run(), run("--incubator", "hn2")
    assert city.keys() == hn2.keys() == {"as_of", "startup_ratio", "graduates", "certified_share"}
    assert city["startup_ratio"].keys() == hn2["startup_ratio"].keys() == {
        "numerator", "denominator", "percent", "threshold", "met", "target"}
    assert city["graduates"].keys() == hn2["graduates"].keys() == {
        "count", "threshold", "window_start", "window_end", "met", "target"}
    assert (city["startup_ratio"]["numerator"], city["startup_ratio"]["denominator"], city["graduates"]["count"]) \
        == (2, 3, 2)
    assert (hn2["startup_ratio"]["numerator"], hn2["startup_ratio"]["denominator"], hn2["graduates"]["count"]) \
        == (1, 2, 2)
    assert run("--incubator", "VUHN")["startup_ratio"]["denominator"] == 2
    text = runner.invoke(args=["targets", "--as-of", DAY.isoformat(), "--incubator", "HN2"])
    assert text.exit_code == 0 and "Targets of HN2 on 30/06/2025" in text.output and "1 / 2" in text.output
    unknown = runner.invoke(args=["targets", "--incubator", "HN9"])
    assert unknown.exit_code == 1
    assert "No incubator has the code HN9." in unknown.output


def test_the_officials_dashboard_shows_the_citys_targets_and_figures(login_as, network):
    client, _ = login_as(Role.OFFICIAL)
    html = client.get(f"/targets/?as_of={DAY.isoformat()}").get_data(as_text=True)
    assert (_figure(html, "numerator"), _figure(html, "denominator"), _figure(html, "count")) == (2, 3, 2)
    assert html.count("/targets/IT70/?") >= 1
    page = client.get(f"/targets/IT70/?as_of={DAY.isoformat()}&show=denominator")
    assert page.status_code == 200 and "Công ty C" in page.get_data(as_text=True)


def test_staff_of_one_of_several_incubators_see_and_edit_their_incubators_targets_only(db, login_as, network):
    """With several incubators the city's figures count every incubator's businesses: staff, limited to
    theirs, get their incubator's targets, figures and lists, and add and edit its rows only."""
    vuhn, hn2 = network["vuhn"], network["hn2"]
    client, _ = login_as(Role.STAFF, incubator=hn2)
    html = client.get(f"/targets/?as_of={DAY.isoformat()}").get_data(as_text=True)
    assert (_figure(html, "numerator"), _figure(html, "denominator"), _figure(html, "count")) == (1, 2, 2)
    page = client.get(f"/targets/IT70/?as_of={DAY.isoformat()}&show=denominator").get_data(as_text=True)
    assert "Công ty C" in page and "Công ty B" not in page  # B sits in VUHN only
    url = "/targets/IT70/edit"
    form = {"code": "IT70", "name_vi": "Tỷ lệ", "name_en": "Ratio", "kind": "incubated_it_ratio",
            "threshold": "50", "version": str(_target("IT70", hn2).version_id)}
    assert post_form(client, url, form, token_from=url).status_code == 302
    form = {"code": "HN2X", "name_vi": "Riêng", "name_en": "Own", "kind": "graduate_count", "threshold": "3"}
    assert post_form(client, "/targets/new", form, token_from="/targets/new").status_code == 302
    db.session.expire_all()
    assert [(t.code, t.threshold) for t in queries.all_targets(hn2)] == [("IT70", 50), ("GRAD10", 10), ("HN2X", 3)]
    assert [(t.code, t.threshold) for t in queries.all_targets()] == [("IT70", 70), ("GRAD10", 10)]
    assert [(t.code, t.threshold) for t in queries.all_targets(vuhn)] == [("IT70", 70), ("GRAD10", 10)]
    official, _ = login_as(Role.OFFICIAL)
    html = official.get(f"/targets/?as_of={DAY.isoformat()}").get_data(as_text=True)
    assert (_figure(html, "numerator"), _figure(html, "denominator")) == (2, 3)  # the city's
    assert official.get("/targets/HN2X/").status_code == 404


# What `flask targets --json` printed before targets were kept per incubator, for seed(60) on each day.
BEFORE = {
    "2024-03-31": ((8, 31, 25.8), 1), "2024-12-31": ((8, 40, 20.0), 2),
    "2025-06-30": ((7, 34, 20.6), 2), "2025-12-31": ((7, 34, 20.6), 2),
}


def test_with_a_single_incubator_the_command_prints_what_it_printed_before(db, runner, city):
    seed(60)
    services.copy_city_targets(by_code("VUHN"))
    db.session.commit()
    for day, ((numerator, denominator, percent), count) in BEFORE.items():
        expected = {"as_of": day,
                    "startup_ratio": {"numerator": numerator, "denominator": denominator, "percent": percent,
                                      "threshold": 70.0, "met": False, "target": "IT70"},
                    "graduates": {"count": count, "threshold": 10, "window_start": "2024-01-01",
                                  "window_end": "2025-12-31", "met": False, "target": "GRAD10"},
                    "certified_share": None}  # no target of that kind here: the key says so
        for args in ((), ("--incubator", "VUHN")):
            result = runner.invoke(args=["targets", "--as-of", day, "--json", *args])
            assert result.output == json.dumps(expected, ensure_ascii=False) + "\n", (day, args)


def test_a_city_target_added_later_is_copied_to_every_incubator_that_has_no_target_of_its_code(db, network):
    """As a new incubator gets the city's targets, the incubators get a city target added after them (audited);
    an incubator that already has a target of that code keeps its own."""
    vuhn, hn2 = by_code("VUHN"), by_code("HN2")
    fields = {"name_vi": "Chứng nhận", "name_en": "Certified", "kind": "incubated_it_ratio", "threshold": Decimal("5")}
    services.create_target(code="CERT5", incubator_id=hn2.id, **{**fields, "threshold": Decimal("8")})
    services.create_target(code="CERT5", **fields)
    db.session.commit()
    rows = {t.incubator_id: t.threshold for t in db.session.scalars(sa.select(Target).where(Target.code == "CERT5"))}
    assert rows == {None: 5, vuhn.id: 5, hn2.id: 8}
    vuhn_copy = db.session.scalar(sa.select(Target).where(Target.code == "CERT5", Target.incubator_id == vuhn.id))
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "targets",
                                                           AuditEntry.object_id == str(vuhn_copy.id)))
    assert entry.action == "target.create" and entry.reason == "copy of the city's target for VUHN"
