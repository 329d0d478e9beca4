"""Partners' agreements are edited in the UI (versioned, audited with what changed), and the partners list
exports like every other list."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.errors import Conflict, DomainError
from tests.helpers import post_form


@pytest.fixture
def misa(make, db):
    from incubator.mentoring import services

    staff = make.user(Role.STAFF)
    partner = make.partner(name="Công ty Cổ phần MISA", short_name="MISA", contact_email="hoptac@misa.example")
    agreement = services.save_agreement(None, partner, actor=staff, programme="Chương trình 2024–2025",
                                        starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31), mentoring_hours=200)
    db.session.commit()
    return {"staff": staff, "partner": partner, "agreement": agreement}


def test_an_agreement_is_changed_on_its_version_and_the_change_is_audited(misa, db):
    from incubator.audit.models import AuditEntry
    from incubator.mentoring import services

    agreement, partner, staff = misa["agreement"], misa["partner"], misa["staff"]
    services.save_agreement(agreement, partner, actor=staff, programme="Chương trình 2024–2025",
                            starts_on=date(2024, 1, 1), ends_on=date(2026, 6, 30), mentoring_hours=260,
                            version=agreement.version_id)
    db.session.commit()
    assert (agreement.ends_on, agreement.mentoring_hours, agreement.version_id) == (date(2026, 6, 30), 260, 2)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "agreement.update"))
    assert entry.details["changed"] == {"ends_on": ["2025-12-31", "2026-06-30"], "mentoring_hours": [200, 260]}
    # A form read before that change is refused rather than overwriting it.
    with pytest.raises(Conflict):
        services.save_agreement(agreement, partner, actor=staff, programme="X", starts_on=date(2024, 1, 1),
                                version=1)
    with pytest.raises(DomainError) as refused:
        services.save_agreement(agreement, partner, actor=staff, programme="Chương trình", starts_on=date(2024, 1, 1),
                                mentoring_hours=-5, version=agreement.version_id)
    assert refused.value.field == "mentoring_hours"


def test_staff_edit_an_agreement_from_the_partners_page(misa, login_as, db):
    agreement, partner = misa["agreement"], misa["partner"]
    client, _ = login_as(Role.STAFF, locale="en")
    page = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    url = f"/partners/{partner.id}/agreements/{agreement.id}/edit"
    assert url in page
    form = client.get(url).get_data(as_text=True)
    assert 'value="Chương trình 2024–2025"' in form and 'value="200"' in form
    data = {"programme": "Chương trình 2024–2026", "starts_on": "2024-01-01", "ends_on": "2026-12-31",
            "scope": "Cố vấn kế toán, ERP", "mentoring_hours": "300", "version": str(agreement.version_id)}
    wrong = post_form(client, url, {**data, "ends_on": "2023-12-31"}, token_from=url)
    assert wrong.status_code == 400 and "The last day cannot be before the first day." in wrong.get_data(as_text=True)
    assert post_form(client, url, data, token_from=url).status_code == 302
    db.session.expire_all()
    assert (agreement.programme, agreement.mentoring_hours) == ("Chương trình 2024–2026", 300)
    shown = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Chương trình 2024–2026" in shown and "of 300 hours" in shown
    assert client.get(f"/partners/{partner.id + 999}/agreements/{agreement.id}/edit").status_code == 404


def test_an_agreement_of_another_partner_is_not_found_under_this_one(misa, make, login_as):
    client, _ = login_as(Role.STAFF)
    elsewhere = make.partner(name="Hiệp hội VINASA")
    assert client.get(f"/partners/{elsewhere.id}/agreements/{misa['agreement'].id}/edit").status_code == 404


def test_the_partners_list_exports_to_csv_and_xlsx(misa, make, login_as, db):
    from openpyxl import load_workbook

    from incubator.mentoring.enums import SessionStatus

    mentor = make.user(Role.MENTOR, partner=misa["partner"])
    make.mentoring_session(make.mentor_assignment(mentor=mentor), minutes=90, status=SessionStatus.CONFIRMED)
    make.partner(name="=HYPERLINK(\"http://x\")")  # a name a spreadsheet would take for a formula
    client, _ = login_as(Role.STAFF, locale="en")
    assert "/partners/export.xlsx" in client.get("/partners/").get_data(as_text=True)
    csv = client.get("/partners/export.csv")
    assert csv.status_code == 200 and csv.headers["Content-Disposition"].startswith('attachment; filename="doi-tac-')
    text = csv.get_data().decode("utf-8-sig")
    assert "Công ty Cổ phần MISA" in text and "hoptac@misa.example" in text and "Chương trình 2024–2025" in text
    assert "'=HYPERLINK" in text
    rows = list(load_workbook(io.BytesIO(client.get("/partners/export.xlsx").data)).active.values)
    header, line = rows[0], next(r for r in rows if r[0] == "Công ty Cổ phần MISA")
    assert header[-2:] == ("Mentoring hours committed", "Confirmed mentoring hours")
    assert line[-2:] == (200, 1.5)
    founder, _ = login_as(Role.FOUNDER)
    assert founder.get("/partners/export.csv").status_code == 403
