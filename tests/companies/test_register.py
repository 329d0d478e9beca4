"""The register kept by staff: search, Vietnamese order, filters, residencies without overlap."""

import re
from datetime import date

import pytest

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies import services
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.errors import DomainError
from incubator.outcomes.enums import Decision
from tests.helpers import count_queries, post_form

INC, TENANT = ResidencyKind.INCUBATED, ResidencyKind.SERVICE_TENANT


@pytest.fixture
def staff(login_as):
    client, _user = login_as(Role.STAFF)
    return client


def _names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/register/\d+">([^<]+)</a></td>', html)


# ---- The list ---------------------------------------------------------------------------------------------

def test_search_ignores_diacritics_and_finds_tax_codes(staff, make):
    make.company(name="Công ty TNHH Nguyễn Gia")
    make.company(name="Công ty Cổ phần Công nghệ Sáng Tạo")
    other = make.company(name="Hợp tác xã Rau Sạch")
    assert _names(staff.get("/register/?q=Nguyen").get_data(as_text=True)) == ["Công ty TNHH Nguyễn Gia"]
    assert _names(staff.get("/register/?q=cong+nghe").get_data(as_text=True)) == \
        ["Công ty Cổ phần Công nghệ Sáng Tạo"]
    assert _names(staff.get(f"/register/?q={other.tax_code[:6]}").get_data(as_text=True)) == ["Hợp tác xã Rau Sạch"]


def test_list_is_in_vietnamese_alphabetical_order(staff, make):
    for name in ("Đông Á", "Dương Minh", "Ánh Dương", "An Bình", "Bình An", "Ấn Tượng", "Ăn Ngon"):
        make.company(name=name)
    assert _names(staff.get("/register/").get_data(as_text=True)) == \
        ["An Bình", "Ánh Dương", "Ăn Ngon", "Ấn Tượng", "Bình An", "Dương Minh", "Đông Á"]


def test_filters_by_it_current_residency_and_outcome(staff, make):
    today = date.today()
    incubated = make.company(name="A Đang Ươm")
    make.residency(company=incubated, kind=INC, starts_on=date(2024, 1, 1))
    tenant = make.company(name="B Thuê Dịch Vụ", is_it=False)
    make.residency(company=tenant, kind=TENANT, starts_on=date(2024, 1, 1))
    gone = make.company(name="C Đã Rời Đi")
    make.residency(company=gone, kind=INC, starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31))
    make.outcome(company=gone, decision=Decision.GRADUATED, decided_on=date(2023, 12, 31))
    assert today > date(2024, 1, 1)
    get = lambda query: _names(staff.get(f"/register/?{query}").get_data(as_text=True))  # noqa: E731
    assert get("is_it=no") == ["B Thuê Dịch Vụ"]
    assert get("kind=incubated") == ["A Đang Ươm"]
    assert get("kind=none") == ["C Đã Rời Đi"]
    assert get("outcome=graduated") == ["C Đã Rời Đi"]
    assert get("outcome=none") == ["A Đang Ươm", "B Thuê Dịch Vụ"]
    assert staff.get("/register/?kind=%F0%9F%98%80&page=abc&outcome=x").status_code == 200


def test_list_is_paginated_and_costs_the_same_queries_at_1x_and_10x(staff, make):
    def seed(n):
        for _ in range(n):
            company = make.company()
            make.residency(company=company)
            make.outcome(company=company)

    def measure():
        with count_queries() as counter:
            assert staff.get("/register/").status_code == 200
        return counter.count

    seed(6)
    small = measure()
    seed(54)
    assert measure() == small
    assert 'href="/register/?page=2"' in staff.get("/register/").get_data(as_text=True)


# ---- Companies --------------------------------------------------------------------------------------------

def test_a_bad_tax_code_is_refused_with_the_reason_and_the_form_kept(staff, db):
    response = post_form(staff, "/register/new", {"tax_code": "0100109107", "name": "Công ty Sai Mã", "is_it": "y"},
                         token_from="/register/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "chữ số kiểm tra" in html and 'value="Công ty Sai Mã"' in html
    assert db.session.query(Company).count() == 0
    response = post_form(staff, "/register/new", {"tax_code": "0100109107", "name": "Công ty Sai Mã", "is_it": "y",
                                                  "tax_code_note": "Cục Thuế xác nhận bằng văn bản"},
                         token_from="/register/new")
    assert response.status_code == 302


# ---- Residencies ------------------------------------------------------------------------------------------

def test_two_residencies_of_the_same_kind_may_not_overlap(make, db):
    company = make.company()
    services.add_residency(company, INC, date(2024, 1, 1), date(2024, 8, 31))
    with pytest.raises(DomainError) as refused:
        services.add_residency(company, INC, date(2024, 8, 31), None)  # shares the last day
    assert "01/01/2024" in str(refused.value.message) and "31/08/2024" in str(refused.value.message)
    services.add_residency(company, INC, date(2024, 9, 1), None)  # the next day is fine
    services.add_residency(company, TENANT, date(2024, 5, 1), None)  # another kind may overlap
    with pytest.raises(DomainError):
        services.add_residency(company, INC, date(2023, 6, 1), None)  # open-ended, covers the rest
    db.session.commit()
    assert db.session.query(Residency).count() == 3


@pytest.mark.parametrize(("first", "second", "overlap"), [
    ((date(2024, 1, 1), date(2024, 8, 31)), (date(2024, 8, 31), None), True),  # the last day is shared
    ((date(2024, 1, 1), date(2024, 8, 31)), (date(2024, 9, 1), None), False),  # the next day is not
    ((date(2024, 1, 1), None), (date(2030, 1, 1), date(2030, 1, 1)), True),  # a running one covers the rest
    ((date(2024, 3, 1), date(2024, 3, 1)), (date(2024, 1, 1), date(2024, 2, 29)), False),
    ((date(2024, 3, 1), date(2024, 3, 1)), (date(2024, 1, 1), None), True),
])
def test_the_register_rule_for_overlapping_periods(first, second, overlap):
    """One rule, pure, for the services and the import's planner: both days inclusive, no last day runs on."""
    assert services.periods_overlap(*first, *second) is overlap
    assert services.periods_overlap(*second, *first) is overlap


def test_overlap_is_refused_on_the_page_with_the_reason(staff, make, db):
    company = make.company()
    make.residency(company=company, kind=INC, starts_on=date(2024, 1, 1), ends_on=None)
    url = f"/register/{company.id}/residencies/new"
    response = post_form(staff, url, {"kind": "incubated", "starts_on": "2025-01-01"}, token_from=url)
    assert response.status_code == 400
    assert "trùng" in response.get_data(as_text=True)  # the reason, in Vietnamese
    assert db.session.query(Residency).count() == 1


def test_end_a_residency_on_its_last_day(staff, make, db):
    residency = make.residency(kind=INC, starts_on=date(2024, 1, 1))
    url = f"/register/residencies/{residency.id}/end"
    page = f"/register/{residency.company_id}"
    assert post_form(staff, url, {"ends_on": "2023-12-31", "version": residency.version_id},
                     token_from=page).status_code == 400
    assert post_form(staff, url, {"ends_on": "2025-03-31", "version": residency.version_id, "reason": "Hết hợp đồng"},
                     token_from=page).status_code == 302
    db.session.refresh(residency)
    assert residency.ends_on == date(2025, 3, 31)
    entry = db.session.query(AuditEntry).filter_by(action="residency.end").one()
    assert entry.reason == "Hết hợp đồng" and entry.to_state.endswith("2025-03-31")


def test_editing_a_residency_on_an_old_version_answers_409(staff, make, db):
    residency = make.residency(kind=INC, starts_on=date(2024, 1, 1))
    url = f"/register/residencies/{residency.id}/edit"
    old = residency.version_id
    services.update_residency(residency, kind=INC, starts_on=date(2024, 2, 1), ends_on=None, note="sửa trước")
    db.session.commit()
    response = post_form(staff, url, {"kind": "incubated", "starts_on": "2024-03-01", "version": old},
                         token_from=url)
    assert response.status_code == 409
    db.session.refresh(residency)
    assert residency.starts_on == date(2024, 2, 1)

