"""Staff and reviewers in a real browser (issue 17): one reviewer added to a panel (every box was required, so
the browser refused the form); a reviewer reads the PDFs beside the score form and goes on to the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app

from incubator.applications.models import ApplicationDocument, RoundDocument
from incubator.auth.enums import Role
from tests.browser.helpers import log_in
from tests.helpers import blank_pdf

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"



def test_staff_add_one_reviewer_of_several_to_a_panel(page, live_server, make, db):
    from incubator.reviews.models import PanelMember

    stage = make.review_stage(name_vi="Vòng hồ sơ")
    chosen = make.user(Role.REVIEWER, full_name="Phạm Quang Vinh")
    make.user(Role.REVIEWER, full_name="Trịnh Thu Trang")
    make.user(Role.REVIEWER, full_name="Vũ Đức Thắng")
    staff = make.user(Role.STAFF)
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/reviews/stages/{stage.id}")
    boxes = page.locator('input[type=checkbox][name="reviewers"]')
    assert boxes.count() >= 3
    page.get_by_label("Phạm Quang Vinh").check()
    page.locator('form[action$="/panel"] button[type=submit]').click()
    page.wait_for_load_state()
    # The browser sent the form (no box left unticked blocked it) and the one reviewer sits on the panel.
    assert page.locator("#panel").get_by_text("Phạm Quang Vinh").is_visible()
    assert not page.locator("#panel").get_by_text("Trịnh Thu Trang").count()
    db.session.commit()  # ends the test's read transaction: the live server's commits become visible
    assert [m.user_id for m in db.session.query(PanelMember).filter_by(stage_id=stage.id)] == [chosen.id]


def _document(make, application):
    slot = make._save(RoundDocument(round=application.round, name_vi="Kế hoạch kinh doanh", name_en="Business plan"))
    folder = Path(current_app.instance_path) / "uploads" / "applications"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"browser-{application.id}-{slot.id}.pdf"
    (folder / stored).write_bytes(blank_pdf())
    make._save(ApplicationDocument(application=application, document_id=slot.id, stored_name=stored,
                                   original_name="ke-hoach-kinh-doanh.pdf", size=100,
                                   uploaded_by_id=application.created_by_id))


def test_a_reviewer_reads_the_pdf_inline_and_goes_to_the_next(page, live_server, make, db):
    ARTIFACTS.mkdir(exist_ok=True)
    reviewer = make.user(Role.REVIEWER, full_name="Chuyên gia Đỗ Hải")
    stage = make.review_stage()
    first, second = make.stage_entry(stage), make.stage_entry(stage)
    a1, a2 = make.assignment(first, reviewer), make.assignment(second, reviewer)
    _document(make, first.application)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, reviewer)

    with page.expect_response(lambda r: "/documents/" in r.url) as caught:
        page.goto(f"{live_server}/reviews/assignments/{a1.id}")
    pdf = caught.value
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    frame = page.locator("iframe#document-viewer")
    assert frame.is_visible()
    assert frame.bounding_box()["height"] >= 400
    page.screenshot(path=str(ARTIFACTS / "reviewer-reads-inline.png"))
    assert not [e for e in errors if "frame" in e.lower() or "content security" in e.lower()], errors

    # "Next" without going back to the desk
    page.locator("#next-application").click()
    page.wait_for_url(f"{live_server}/reviews/assignments/{a2.id}")
    page.go_back()
    page.wait_for_url(f"{live_server}/reviews/assignments/{a1.id}")

    # Score, submit and go to the next in one step
    for c in stage.criteria:
        page.locator(f'label[for="score_{c.id}-{c.scale_max - c.scale_min}"]').click()
    page.locator('button[name="action"][value="submit_next"]').click()
    page.wait_for_url(f"{live_server}/reviews/assignments/{a2.id}")
    db.session.commit()  # ends the test's read transaction: the live server's commits become visible
    assert a1.review is not None and a1.review.status.value == "submitted"
    assert not page.locator("#next-application").count()  # nothing else waits
