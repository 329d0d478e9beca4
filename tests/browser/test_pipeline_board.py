"""The fund manager's board in a real browser: from the pipeline's list to the board, a startup moved from
one stage's column to the next with the form on its card, and the move kept in the startup's history."""

from datetime import date
from pathlib import Path

import pytest

from incubator.auth.enums import Role
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_fund_manager_moves_a_startup_on_the_board(page, live_server, make, db):
    from incubator.funding import services
    from incubator.funding.enums import PipelineStage
    from incubator.funding.models import PipelineEntry

    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    manager = make.user(Role.FUND_MANAGER, full_name="Phạm Thu Hà")
    founder = make.user(Role.FOUNDER)
    startup = make.company(name="Công ty TNHH Nông Nghiệp Số Ba Vì")
    other = make.company(name="Công ty Cổ phần Học Liệu Số")
    for company in (startup, other):
        services.grant(company, manager.partner, actor=founder)
    entry = services.move(manager.partner_id, startup, actor=manager, stage=PipelineStage.SCREENING,
                          on=date(2025, 5, 2), notes="Đã xem bản demo")
    services.move(manager.partner_id, other, actor=manager, stage=PipelineStage.DUE_DILIGENCE, on=date(2025, 5, 3))
    db.session.commit()

    log_in(page, live_server, manager, wait=False)
    page.wait_for_load_state()
    page.goto(f"{live_server}/funding/")
    page.locator("#board-link").click()
    page.wait_for_url(f"{live_server}/funding/board")

    card = page.locator(f"#entry-{entry.id}")
    assert page.locator("#stage-screening").locator(f"#entry-{entry.id}").count() == 1
    card.get_by_label(f"Move {startup.name} to").or_(card.locator("select")).first.select_option("first_meeting")
    card.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server}/funding/board#stage-first_meeting")

    assert page.locator("#stage-first_meeting").locator(f"#entry-{entry.id}").count() == 1
    assert page.locator("#stage-screening").locator(".pipeline-card").count() == 0
    assert page.locator("#stage-first_meeting h2 .badge").inner_text() == "1"
    assert startup.name in page.locator(".alert-success").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "pipeline-board.png"), full_page=True)

    db.session.rollback()  # end the test's read transaction: the server wrote since
    moved = db.session.get(PipelineEntry, entry.id)
    assert moved.stage is PipelineStage.FIRST_MEETING and moved.notes == "Đã xem bản demo"
    # The startup's page shows the move in its history.
    page.locator(f"#entry-{entry.id} a").first.click()
    page.wait_for_url(f"{live_server}/funding/startups/{startup.id}")
    assert page.locator("ul.small li").count() == 2
    assert not errors, errors
