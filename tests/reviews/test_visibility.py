"""Who sees what, through HTTP: the reviewer before and after declaring no conflict and before and after
their own submission; a recused reviewer; another reviewer; the founder."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app

from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import ApplicationDocument, RoundDocument, RoundQuestion
from incubator.auth.enums import Role
from incubator.reviews.enums import AssignmentStatus
from tests.helpers import login, post_form

SECRET_ANSWER = "Nền tảng số hóa hồ sơ khám bệnh cho trạm y tế phường"


@pytest.fixture
def review_case(make, client_factory):
    """An application under review with an answer and a document, in a stage where three reviewers sit."""
    founder = make.user(full_name="Trần Thị Sáng Lập", locale="vi")
    intake_round = make.intake_round()
    title_q = make._save(RoundQuestion(round=intake_round, position=1, kind=QuestionKind.TEXT,
                                       label_vi="Tên sản phẩm", label_en="Product"))
    problem_q = make._save(RoundQuestion(round=intake_round, position=2, kind=QuestionKind.LONG_TEXT,
                                         label_vi="Vấn đề", label_en="Problem"))
    company = make.company(name="Công ty Cổ phần Y tế Số Hồ Tây")
    make.member(company=company, user=founder)
    application = make.application(intake_round=intake_round, company=company, created_by=founder,
                                   status=ApplicationStatus.UNDER_REVIEW, reference="VU-2026-0007",
                                   answers={str(title_q.id): "Sổ khám bệnh điện tử HồTâyCare",
                                            str(problem_q.id): SECRET_ANSWER})
    slot = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch", name_en="Plan"))
    folder = Path(current_app.instance_path) / "uploads" / "applications"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kehoach-test.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    make._save(ApplicationDocument(application=application, document_id=slot.id, stored_name="kehoach-test.pdf",
                                   original_name="ke-hoach.pdf", size=15, uploaded_by_id=founder.id))
    stage = make.review_stage(intake_round=intake_round)
    entry = make.stage_entry(stage, application)
    people = {name: make.user(Role.REVIEWER, full_name=f"Chuyên gia {name}") for name in ("An", "Bình", "Chi")}
    assignments = {name: make.assignment(entry, user, status=AssignmentStatus.ASSIGNED)
                   for name, user in people.items()}
    clients = {}
    for name, user in people.items():
        clients[name] = client_factory()
        login(clients[name], user)
    return {"application": application, "slot": slot, "stage": stage, "entry": entry, "people": people,
            "assignments": assignments, "clients": clients, "founder": founder}


def _page(client, a):
    return client.get(f"/reviews/assignments/{a.id}")


def _download(client, case):
    return client.get(f"/applications/{case['application'].id}/documents/{case['slot'].id}")


def _confirm(client, a):
    return post_form(client, f"/reviews/assignments/{a.id}/confirm", {})


def _score(client, a, values, submit, **extra):
    page = f"/reviews/assignments/{a.id}"
    data = {f"score_{c.id}": str(v) for c, v in zip(a.stage.criteria, values, strict=True)}
    data.update(extra)
    data["action"] = "submit" if submit else "draft"
    return post_form(client, page, data)


def test_before_declaring_no_conflict_the_reviewer_sees_only_the_name_and_title(review_case):
    client, a = review_case["clients"]["An"], review_case["assignments"]["An"]
    page = _page(client, a).get_data(as_text=True)
    assert "Công ty Cổ phần Y tế Số Hồ Tây" in page and "Sổ khám bệnh điện tử HồTâyCare" in page
    assert SECRET_ANSWER not in page
    assert _download(client, review_case).status_code == 404

    assert _confirm(client, a).status_code == 302
    page = _page(client, a).get_data(as_text=True)
    assert SECRET_ANSWER in page
    assert _download(client, review_case).status_code == 200


def test_other_scores_are_hidden_until_ones_own_review_is_submitted(review_case, db):
    clients, assignments = review_case["clients"], review_case["assignments"]
    for name in ("An", "Bình"):
        _confirm(clients[name], assignments[name])
    assert _score(clients["Bình"], assignments["Bình"], [2, 3], submit=True,
                  comment_for_applicant="Cần số liệu khách hàng cụ thể hơn").status_code == 302

    # An has only a draft: Bình's scores are not shown.
    assert _score(clients["An"], assignments["An"], [4, 4], submit=False).status_code == 302
    page = _page(clients["An"], assignments["An"]).get_data(as_text=True)
    assert 'id="others"' not in page and "Cần số liệu" not in page

    assert _score(clients["An"], assignments["An"], [4, 5], submit=True).status_code == 302
    page = _page(clients["An"], assignments["An"]).get_data(as_text=True)
    assert 'id="others"' in page
    assert "Chuyên gia Bình" not in page  # scores, never names


def test_a_stage_that_never_shares_scores_never_shows_them(review_case, db):
    review_case["stage"].share_scores = False
    db.session.commit()
    clients, assignments = review_case["clients"], review_case["assignments"]
    for name in ("An", "Bình"):
        _confirm(clients[name], assignments[name])
        _score(clients[name], assignments[name], [3, 3], submit=True)
    assert 'id="others"' not in _page(clients["An"], assignments["An"]).get_data(as_text=True)


def test_a_recused_reviewer_sees_nothing_more(review_case, db):
    client, a = review_case["clients"]["Chi"], review_case["assignments"]["Chi"]
    _confirm(client, a)
    response = post_form(client, f"/reviews/assignments/{a.id}/conflict",
                         {"kind": "investor", "reason": "Tôi góp vốn vào công ty này năm 2024"})
    assert response.status_code == 302
    assert _page(client, a).status_code == 404
    assert _download(client, review_case).status_code == 404
    desk = client.get("/reviews/").get_data(as_text=True)
    assert "Công ty Cổ phần Y tế Số Hồ Tây" not in desk


def test_another_reviewer_and_another_founder_get_nothing(review_case, login_as):
    stranger, _ = login_as(Role.REVIEWER)
    a = review_case["assignments"]["An"]
    assert _page(stranger, a).status_code == 404
    assert _download(stranger, review_case).status_code == 404
    other_founder, _ = login_as(Role.FOUNDER)
    assert other_founder.get(f"/applications/{review_case['application'].id}").status_code == 404


def test_founders_never_see_reviewers_and_get_comments_only_with_the_decision(review_case, client_factory, login_as):
    clients, assignments = review_case["clients"], review_case["assignments"]
    _confirm(clients["An"], assignments["An"])
    _score(clients["An"], assignments["An"], [4, 4], submit=True,
           comment_for_applicant="Sản phẩm có tiềm năng với các trạm y tế",
           private_note="Người sáng lập từng làm việc với tôi")
    founder = client_factory()
    login(founder, review_case["founder"])
    status_url = f"/applications/{review_case['application'].id}"
    page = founder.get(status_url).get_data(as_text=True)
    assert "Sản phẩm có tiềm năng" not in page

    staff, _ = login_as(Role.STAFF)
    response = post_form(staff, f"/reviews/entries/{review_case['entry'].id}/decide",
                         {"decision": "accept", "reason": "", "reason_text": ""})
    assert response.status_code == 302

    page = founder.get(status_url).get_data(as_text=True)
    assert "Sản phẩm có tiềm năng" in page
    assert "Người sáng lập từng làm việc với tôi" not in page
    for person in review_case["people"].values():
        assert person.full_name not in page


def test_a_reviewer_who_has_not_declared_cannot_post_scores(review_case, db):
    from incubator.reviews.models import Review

    client, a = review_case["clients"]["An"], review_case["assignments"]["An"]
    assert _score(client, a, [5, 5], submit=True).status_code == 403
    assert db.session.query(Review).count() == 0
