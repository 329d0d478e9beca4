"""The fund manager's pipeline as a board of stages: moving a startup from its card, and the pipeline's
export, through the services and over HTTP."""

from __future__ import annotations

import io
from datetime import date

import pytest

from incubator.auth.enums import Role
from tests.helpers import count_queries, login, nothing_written, post_form


@pytest.fixture
def fund(make, db):
    """A fund manager whose fund has two consenting startups in its pipeline, and one of another fund."""
    from incubator.funding import services
    from incubator.funding.enums import PipelineStage
    from incubator.partners.enums import PartnerKind

    manager = make.user(Role.FUND_MANAGER, locale="en")  # reads the messages in English
    founder = make.user(Role.FOUNDER)
    alpha = make.company(name="Công ty Cổ phần Alpha Số")
    beta = make.company(name="Công ty TNHH Beta Dữ liệu")
    for company in (alpha, beta):
        services.grant(company, manager.partner, actor=founder)
    first = services.move(manager.partner_id, alpha, actor=manager, stage=PipelineStage.SCREENING,
                          on=date(2025, 5, 2), notes="Xem lại sau buổi demo")
    services.move(manager.partner_id, beta, actor=manager, stage=PipelineStage.DUE_DILIGENCE, on=date(2025, 5, 3),
                  amount=None)
    other_fund = make.partner(kind=PartnerKind.FUND_MANAGER, name="Quỹ Khác")
    gamma = make.company(name="Công ty Gamma Riêng")
    services.grant(gamma, other_fund, actor=founder)
    other_manager = make.user(Role.FUND_MANAGER, partner=other_fund)
    services.move(other_fund.id, gamma, actor=other_manager, stage=PipelineStage.TERM_SHEET, on=date(2025, 5, 4))
    db.session.commit()
    return {"manager": manager, "alpha": alpha, "beta": beta, "gamma": gamma, "entry": first,
            "other_manager": other_manager}


def _client(client_factory, user):
    client = client_factory()
    login(client, user)
    return client


def test_the_board_shows_each_stage_as_a_column_with_the_funds_own_startups(fund, client_factory):
    page = _client(client_factory, fund["manager"]).get("/funding/board").get_data(as_text=True)
    for stage in ("screening", "first_meeting", "due_diligence", "term_sheet", "invested", "passed"):
        assert f'id="stage-{stage}"' in page
    screening = page.split('id="stage-screening"')[1].split('id="stage-first_meeting"')[0]
    diligence = page.split('id="stage-due_diligence"')[1].split('id="stage-term_sheet"')[0]
    assert "Alpha Số" in screening and "Beta Dữ liệu" in diligence
    assert "Gamma Riêng" not in page  # another fund's pipeline


def test_a_fund_manager_moves_a_startup_from_its_card_without_script(fund, client_factory, db):
    from incubator.audit.models import AuditEntry
    from incubator.funding.enums import PipelineStage
    from incubator.funding.models import PipelineEntry

    client = _client(client_factory, fund["manager"])
    entry = fund["entry"]
    response = post_form(client, f"/funding/entries/{entry.id}/stage",
                         {f"e{entry.id}-stage": "first_meeting", f"e{entry.id}-version": str(entry.version_id)},
                         token_from="/funding/board")
    assert response.status_code == 302 and "/funding/board" in response.headers["Location"]
    db.session.expire_all()
    moved = db.session.get(PipelineEntry, entry.id)
    assert moved.stage is PipelineStage.FIRST_MEETING
    assert moved.notes == "Xem lại sau buổi demo"  # what the card does not show is kept
    assert [m.to_stage for m in moved.moves] == [PipelineStage.SCREENING, PipelineStage.FIRST_MEETING]
    audit = db.session.query(AuditEntry).filter_by(action="pipeline.move", object_id=str(entry.id)) \
        .order_by(AuditEntry.id.desc()).first()
    assert (audit.from_state, audit.to_state) == ("screening", "first_meeting")
    page = client.get("/funding/board").get_data(as_text=True)
    assert "Alpha Số" in page.split('id="stage-first_meeting"')[1].split('id="stage-due_diligence"')[0]


def test_a_card_moved_to_invested_without_an_amount_is_refused_with_the_reason(fund, client_factory, db):
    from incubator.funding.enums import PipelineStage
    from incubator.funding.models import PipelineEntry

    client = _client(client_factory, fund["manager"])
    entry = fund["entry"]
    response = post_form(client, f"/funding/entries/{entry.id}/stage", {f"e{entry.id}-stage": "invested"},
                         token_from="/funding/board", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Công ty Cổ phần Alpha Số was not moved: Enter the amount invested." in page
    assert 'name="amount"' in page  # on the startup's page, where the amount is entered
    db.session.expire_all()
    assert db.session.get(PipelineEntry, entry.id).stage is PipelineStage.SCREENING


def test_a_stale_card_gets_the_changed_by_someone_else_answer(fund, client_factory):
    entry = fund["entry"]
    client = _client(client_factory, fund["manager"])
    with nothing_written():
        response = post_form(client, f"/funding/entries/{entry.id}/stage",
                             {f"e{entry.id}-stage": "passed", f"e{entry.id}-version": str(entry.version_id + 5)},
                             token_from="/funding/board")
        assert response.status_code == 409


def test_only_the_funds_own_people_move_its_startups(fund, client_factory, login_as, make, db):
    from incubator.funding import services

    entry = fund["entry"]
    other = _client(client_factory, fund["other_manager"])
    assert post_form(other, f"/funding/entries/{entry.id}/stage", {f"e{entry.id}-stage": "passed"}).status_code \
        == 404
    staff, _ = login_as(Role.STAFF)
    assert post_form(staff, f"/funding/entries/{entry.id}/stage", {f"e{entry.id}-stage": "passed"}).status_code \
        == 403
    staff_board = staff.get("/funding/board").get_data(as_text=True)
    assert "Gamma Riêng" in staff_board and "Alpha Số" in staff_board and "move-form" not in staff_board
    # Once the startup withdraws its consent, its card is gone and cannot be moved.
    founder = make.user(Role.FOUNDER)
    services.withdraw(fund["alpha"], fund["manager"].partner, actor=founder)
    db.session.commit()
    client = _client(client_factory, fund["manager"])
    assert "Alpha Số" not in client.get("/funding/board").get_data(as_text=True)
    assert post_form(client, f"/funding/entries/{entry.id}/stage", {f"e{entry.id}-stage": "passed"}).status_code \
        == 404


def test_the_board_costs_the_same_queries_whatever_the_number_of_startups(fund, client_factory, make, db):
    from incubator.funding import services
    from incubator.funding.enums import PipelineStage

    client = _client(client_factory, fund["manager"])
    client.get("/funding/board")
    with count_queries() as few:
        assert client.get("/funding/board").status_code == 200
    founder = make.user(Role.FOUNDER)
    for i in range(8):
        company = make.company(name=f"Công ty Thêm {i}")
        services.grant(company, fund["manager"].partner, actor=founder)
        services.move(fund["manager"].partner_id, company, actor=fund["manager"], stage=list(PipelineStage)[i % 5],
                      on=date(2025, 5, 5), amount=1_000_000 if i % 5 == 4 else None)
    db.session.commit()
    with count_queries() as many:
        assert client.get("/funding/board").status_code == 200
    assert many.count == few.count


def test_the_pipeline_exports_as_its_page_lists_it(fund, client_factory, login_as):
    from openpyxl import load_workbook

    client = _client(client_factory, fund["manager"])
    list_page = client.get("/funding/").get_data(as_text=True)
    assert "/funding/pipeline.xlsx" in list_page and "/funding/board" in list_page
    csv = client.get("/funding/pipeline.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data().decode("utf-8-sig")
    assert "Alpha Số" in text and "Beta Dữ liệu" in text and "Gamma Riêng" not in text
    assert "Xem lại sau buổi demo" in text and "02/05/2025" in text
    sheet = load_workbook(io.BytesIO(client.get("/funding/pipeline.xlsx").data)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Startup", "Tax code", "Pipeline stage", "Since")
    assert len(rows) == 3  # the header and the fund's two startups
    # Staff get every fund's, with the fund named.
    staff, _ = login_as(Role.STAFF)
    staff_text = staff.get("/funding/pipeline.csv").get_data().decode("utf-8-sig")
    assert "Gamma Riêng" in staff_text and "Quỹ Khác" in staff_text
    # Nobody else downloads it.
    founder, _ = login_as(Role.FOUNDER)
    assert founder.get("/funding/pipeline.csv").status_code == 403
