"""The funding services, as the pages, the command line and the demonstration call them: only a fund manager is
given a startup's consent, once, and a withdrawal ends it (audited both ways); a startup moves through a fund's
pipeline one dated move at a time, an investment needs its amount and an amount is never negative, a stale move
is refused, and the funds raised are the investments made."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from incubator import bounds
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import Conflict, DomainError
from incubator.funding import services
from incubator.funding.enums import Instrument, PipelineStage
from incubator.funding.models import Consent, PipelineEntry, PipelineMove
from incubator.partners.enums import PartnerKind
from tests.helpers import nothing_written

DAY = date(2025, 5, 2)


@pytest.fixture
def fund(make):
    partner = make.partner(kind=PartnerKind.FUND_MANAGER, name="Quỹ Khởi nghiệp Hà Nội")
    return {"partner": partner, "manager": make.user(Role.FUND_MANAGER, partner=partner),
            "founder": make.user(Role.FOUNDER), "company": make.company()}


def _actions(db):
    return [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]


def test_consent_is_given_once_to_a_fund_and_a_withdrawal_ends_it(fund, db):
    company, partner, founder = fund["company"], fund["partner"], fund["founder"]
    consent = services.grant(company, partner, actor=founder)
    assert services.grant(company, partner, actor=founder) is consent  # asked twice: one consent
    db.session.commit()
    assert services.withdraw(company, partner, actor=founder) == 1
    db.session.commit()
    assert consent.withdrawn_at is not None and consent.granted_by_id == founder.id
    assert services.withdraw(company, partner, actor=founder) == 0  # nothing left to withdraw
    assert _actions(db) == ["consent.grant", "consent.withdraw"]
    services.grant(company, partner, actor=founder)  # given again: a new consent, the old one kept
    db.session.commit()
    assert db.session.query(Consent).count() == 2


def test_consent_is_given_only_to_a_fund_manager(fund, make, db):
    software_company = make.partner(kind=PartnerKind.SOFTWARE_COMPANY)
    with nothing_written(), pytest.raises(DomainError):
        services.grant(fund["company"], software_company, actor=fund["founder"])
    db.session.rollback()


def test_each_move_is_dated_kept_and_audited_and_a_move_to_the_same_stage_adds_none(fund, db):
    company, partner, manager = fund["company"], fund["partner"], fund["manager"]
    entry = services.move(partner.id, company, actor=manager, stage="screening", on=DAY, notes="  Hồ sơ tốt  ")
    db.session.commit()
    services.move_stage(entry, PipelineStage.FIRST_MEETING, actor=manager, on=DAY + timedelta(1),
                        version=entry.version_id)
    db.session.commit()
    services.move_stage(entry, "first_meeting", actor=manager, on=DAY + timedelta(2), version=entry.version_id)
    db.session.commit()
    moves = [(m.from_stage, m.to_stage, m.moved_on) for m in db.session.query(PipelineMove).order_by(PipelineMove.id)]
    assert moves == [(None, PipelineStage.SCREENING, DAY),
                     (PipelineStage.SCREENING, PipelineStage.FIRST_MEETING, DAY + timedelta(1))]
    assert entry.stage is PipelineStage.FIRST_MEETING and entry.stage_on == DAY + timedelta(1)
    assert entry.notes == "Hồ sơ tốt"  # kept by the board's moves, which change the stage only
    assert _actions(db) == ["pipeline.move"] * 3


@pytest.mark.parametrize(("fields", "field"), [
    ({"stage": "invested", "on": DAY}, "amount"),
    ({"stage": "invested", "on": DAY, "amount": -5}, "amount"),
    ({"stage": "screening", "on": None}, "on"),
    ({"stage": "screening", "on": date(1989, 12, 31)}, "on"),
    ({"stage": "screening", "on": "more than a month ahead"}, "on"),
])
def test_a_move_without_its_amount_day_or_out_of_bounds_is_refused(fund, db, fields, field):
    if fields["on"] == "more than a month ahead":
        fields = {**fields, "on": bounds.today() + timedelta(days=32)}
    with nothing_written(), pytest.raises(DomainError) as refused:
        services.move(fund["partner"].id, fund["company"], actor=fund["manager"], **fields)
    assert refused.value.field == field
    db.session.rollback()


def test_a_move_on_an_old_version_of_the_card_is_refused(fund, db):
    entry = services.move(fund["partner"].id, fund["company"], actor=fund["manager"], stage="screening", on=DAY)
    db.session.commit()
    with nothing_written(), pytest.raises(Conflict):
        services.move_stage(entry, "passed", actor=fund["manager"], on=DAY, version=entry.version_id + 1)
    db.session.rollback()


def test_the_funds_raised_are_the_investments_made_per_startup(fund, make, db):
    other_fund = make.partner(kind=PartnerKind.FUND_MANAGER)
    company, manager, later = fund["company"], fund["manager"], make.company()
    services.move(fund["partner"].id, company, actor=manager, stage="invested", on=DAY, amount=500_000_000,
                  instrument="equity")
    services.move(other_fund.id, company, actor=manager, stage="invested", on=DAY, amount=1_200_000_000)
    services.move(fund["partner"].id, later, actor=manager, stage="term_sheet", on=DAY, amount=900_000_000)
    db.session.commit()
    assert services.funding_raised() == {company.id: Decimal(1_700_000_000)}
    assert services.funding_raised([later.id]) == {}
    entry = db.session.query(PipelineEntry).filter_by(partner_id=fund["partner"].id,
                                                               company_id=company.id).one()
    assert entry.instrument is Instrument.EQUITY
