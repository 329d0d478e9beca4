"""A reviewer reads the application's PDFs inline beside the score form, and goes on to the next application to
review without going back to the desk (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import ApplicationDocument, RoundDocument
from incubator.auth.enums import Role
from incubator.reviews.enums import AssignmentStatus
from tests.helpers import blank_pdf, login, post_form


def _with_document(make, application, name="ke-hoach.pdf"):
    slot = make._save(RoundDocument(round=application.round, name_vi="Kế hoạch kinh doanh", name_en="Business plan"))
    folder = Path(current_app.instance_path) / "uploads" / "applications"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"doc-{application.id}-{slot.id}.pdf"
    (folder / stored).write_bytes(blank_pdf())
    make._save(ApplicationDocument(application=application, document_id=slot.id, stored_name=stored,
                                   original_name=name, size=100, uploaded_by_id=application.created_by_id))
    return slot


@pytest.fixture
def desk(make, client_factory):
    """A reviewer with three applications in one stage (the first with a document) and one in a stage closing
    sooner."""
    reviewer = make.user(Role.REVIEWER, full_name="Chuyên gia Lê Minh")
    stage = make.review_stage()
    entries = [make.stage_entry(stage) for _ in range(3)]
    sooner = make.review_stage(closes_at=datetime.now(UTC) + timedelta(days=2))
    early = make.stage_entry(sooner)
    assignments = [make.assignment(e, reviewer) for e in entries]
    first_due = make.assignment(early, reviewer)
    slot = _with_document(make, entries[0].application)
    client = client_factory()
    login(client, reviewer)
    return {"reviewer": reviewer, "stage": stage, "assignments": assignments, "first_due": first_due,
            "slot": slot, "client": client}


def test_the_score_page_frames_the_document_served_inline(desk):
    a, slot, client = desk["assignments"][0], desk["slot"], desk["client"]
    html = client.get(f"/reviews/assignments/{a.id}").get_data(as_text=True)
    inline_url = f"/reviews/assignments/{a.id}/documents/{slot.id}"
    assert '<iframe class="document-viewer' in html and f'src="{inline_url}"' in html

    response = client.get(inline_url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "ke-hoach.pdf" in response.headers["Content-Disposition"]
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "default-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.data.startswith(b"%PDF")


def test_pages_stay_unframeable_and_downloads_stay_attachments(desk, make):
    a, client = desk["assignments"][0], desk["client"]
    page = client.get(f"/reviews/assignments/{a.id}")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    download = client.get(f"/applications/{a.application_id}/documents/{desk['slot'].id}")
    assert download.headers["Content-Disposition"].startswith("attachment;")


def test_only_the_reviewer_given_it_reads_inline(desk, make, client_factory):
    a, slot = desk["assignments"][0], desk["slot"]
    url = f"/reviews/assignments/{a.id}/documents/{slot.id}"
    other = make.user(Role.REVIEWER)
    client = client_factory()
    login(client, other)
    assert client.get(url).status_code == 404
    founder_client = client_factory()
    login(founder_client, a.application.created_by)
    assert founder_client.get(url).status_code == 403
    # before declaring no conflict, nothing is read
    a.status = AssignmentStatus.ASSIGNED
    make._save(a)
    assert desk["client"].get(url).status_code == 403
    # a document of another application, through this assignment, is not found
    elsewhere = _with_document(make, desk["assignments"][1].application)
    a.status = AssignmentStatus.CONFIRMED
    make._save(a)
    assert desk["client"].get(f"/reviews/assignments/{a.id}/documents/{elsewhere.id}").status_code == 404


def _scores(a):
    return {f"score_{c.id}": str(c.scale_max) for c in a.stage.criteria}


def test_next_goes_to_the_stage_closing_first_then_in_order_and_round(desk):
    client, (a1, a2, a3), first_due = desk["client"], desk["assignments"], desk["first_due"]
    html = client.get(f"/reviews/assignments/{first_due.id}").get_data(as_text=True)
    assert f'id="next-application" href="/reviews/assignments/{a1.id}"' in html
    html = client.get(f"/reviews/assignments/{a2.id}").get_data(as_text=True)
    assert f'id="next-application" href="/reviews/assignments/{a3.id}"' in html
    html = client.get(f"/reviews/assignments/{a3.id}").get_data(as_text=True)
    assert f'id="next-application" href="/reviews/assignments/{first_due.id}"' in html  # round to the first


def test_submit_and_next_saves_then_opens_the_next_waiting(desk, db):
    client, (a1, a2, a3), first_due = desk["client"], desk["assignments"], desk["first_due"]
    page = f"/reviews/assignments/{a1.id}"
    response = post_form(client, page, {**_scores(a1), "action": "submit_next"}, token_from=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reviews/assignments/{a2.id}")
    db.session.expire_all()
    assert a1.review is not None and a1.review.status.value == "submitted"
    # a submitted one is no longer "next"
    html = client.get(f"/reviews/assignments/{a3.id}").get_data(as_text=True)
    assert f'id="next-application" href="/reviews/assignments/{first_due.id}"' in html
    for a in (a2, a3, first_due):
        page = f"/reviews/assignments/{a.id}"
        response = post_form(client, page, {**_scores(a), "action": "submit_next"}, token_from=page)
    # the last one: nothing else waits, back to the desk
    assert response.status_code == 302 and response.headers["Location"].endswith("/reviews/")
    assert 'id="next-application"' not in client.get(f"/reviews/assignments/{a3.id}").get_data(as_text=True)


def test_a_withdrawn_application_is_never_next(desk, make):
    client, (a1, a2, a3) = desk["client"], desk["assignments"]
    a2.application.status = ApplicationStatus.WITHDRAWN
    make._save(a2.application)
    html = client.get(f"/reviews/assignments/{a1.id}").get_data(as_text=True)
    assert f'id="next-application" href="/reviews/assignments/{a3.id}"' in html
