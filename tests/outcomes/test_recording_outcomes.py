"""Graduation outcomes: recorded with a PDF of evidence that can be downloaded and removed; a second identical
decision, or a file that is not a PDF, is refused and leaves nothing behind."""

import io
from datetime import date

import pytest

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from tests.helpers import blank_pdf, post_form


@pytest.fixture
def staff(login_as):
    client, _user = login_as(Role.STAFF)
    return client


def test_record_an_outcome_with_a_pdf_of_evidence_then_download_it(staff, make, db):
    company = make.company()
    url = f"/register/{company.id}/outcomes/new"
    response = post_form(staff, url, {
        "decision": "graduated", "decided_on": "2025-06-30", "product": "Cổng dịch vụ công",
        "evidence_text": "Hợp đồng số 12/2025", "serves_government": "y",
        "evidence_pdf": (io.BytesIO(blank_pdf()), "hop-dong.pdf")}, token_from=url, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    outcome = db.session.query(GraduationOutcome).one()
    assert outcome.pillars and outcome.has_evidence and outcome.evidence_filename == "hop-dong.pdf"
    download = staff.get(f"/register/outcomes/{outcome.id}/evidence")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith(b"%PDF-")
    assert db.session.query(AuditEntry).filter_by(action="outcome.create").count() == 1


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_written(staff, make, db):
    company = make.company()
    url = f"/register/{company.id}/outcomes/new"
    response = post_form(staff, url, {
        "decision": "graduated", "decided_on": "2025-06-30",
        "evidence_pdf": (io.BytesIO(b"%PDF-1.4 this is not really a pdf"), "gia-mao.pdf")},
        token_from=url, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.query(GraduationOutcome).count() == 0


def test_the_same_decision_on_the_same_day_is_refused(make, db):
    from incubator.outcomes.services import record_outcome

    company = make.company()
    record_outcome(company, decision=Decision.GRADUATED, decided_on=date(2025, 6, 30))
    with pytest.raises(DomainError):
        record_outcome(company, decision=Decision.GRADUATED, decided_on=date(2025, 6, 30))


def test_a_refused_outcome_leaves_no_file_behind(staff, make, app, db):
    from incubator.outcomes.services import record_outcome

    company = make.company()
    record_outcome(company, decision=Decision.GRADUATED, decided_on=date(2025, 6, 30))
    db.session.commit()
    from incubator import uploads

    def stored():
        db.session.commit()
        return {entry.name for entry in uploads.store().entries("evidence")}

    before = stored()
    url = f"/register/{company.id}/outcomes/new"
    response = post_form(staff, url, {"decision": "graduated", "decided_on": "2025-06-30",
                                      "evidence_pdf": (io.BytesIO(blank_pdf()), "trung.pdf")},
                         token_from=url, content_type="multipart/form-data")
    assert response.status_code == 400
    assert stored() == before


def test_an_attached_pdf_can_be_removed(staff, make, db):
    company = make.company()
    url = f"/register/{company.id}/outcomes/new"
    post_form(staff, url, {"decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
                           "evidence_pdf": (io.BytesIO(blank_pdf()), "hop-dong.pdf")},
              token_from=url, content_type="multipart/form-data")
    outcome = db.session.query(GraduationOutcome).one()
    assert outcome.has_evidence
    edit = f"/register/outcomes/{outcome.id}/edit"
    response = post_form(staff, edit, {"decision": "graduated", "decided_on": "2025-06-30", "serves_economy": "y",
                                       "remove_evidence_pdf": "y", "version": outcome.version_id}, token_from=edit)
    assert response.status_code == 302
    db.session.refresh(outcome)
    assert outcome.evidence_file is None and not outcome.has_evidence
