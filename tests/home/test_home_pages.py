"""Each role's home page shows what that person must do next, in a fixed number of queries."""

from datetime import date, timedelta

from incubator.auth.enums import Role
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.db import utcnow
from incubator.mail.models import OutboxStatus
from tests.helpers import count_queries


def test_staff_home_shows_waiting_founders_failed_mail_and_ending_residencies(login_as, make):
    client, _ = login_as(Role.STAFF)
    company = make.company(name="Công ty TNHH Chờ Duyệt")
    founder = make.user(Role.FOUNDER, full_name="Võ Thị Chờ")
    make.member(company=company, user=founder, status=MembershipStatus.PENDING)
    make.outbox_message(status=OutboxStatus.FAILED)
    today = utcnow().date()
    make.residency(company=make.company(name="Công ty Sắp Hết Hạn"), kind=ResidencyKind.SERVICE_TENANT,
                   starts_on=date(2024, 1, 1), ends_on=today + timedelta(days=10))
    html = client.get("/home/staff").get_data(as_text=True)
    assert "Võ Thị Chờ" in html and "Công ty TNHH Chờ Duyệt" in html
    assert "/outbox/?status=failed" in html
    assert "Công ty Sắp Hết Hạn" in html


def test_admin_home_lists_waiting_invitations(login_as, make):
    client, admin = login_as(Role.ADMIN)
    make.invitation(email="cho@vuonuom.example", created_by=admin)
    assert "cho@vuonuom.example" in client.get("/home/admin").get_data(as_text=True)


def test_founder_home_asks_to_confirm_the_email_first_then_lists_companies(login_as, make, db):
    client, founder = login_as(Role.FOUNDER, email_verified_at=None)
    make.member(company=make.company(name="Công ty TNHH Của Tôi"), user=founder)
    response = client.get("/home/founder")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and "/verify/resend" in html and "Công ty TNHH Của Tôi" not in html
    from incubator.db import utcnow

    founder.email_verified_at = utcnow()
    db.session.commit()
    assert "Công ty TNHH Của Tôi" in client.get("/home/founder").get_data(as_text=True)


def test_official_home_shows_each_target_as_it_stands_today(login_as, make):
    client, _ = login_as(Role.OFFICIAL)
    make.target(name_vi="Tỷ lệ 70 phần trăm", name_en="The 70 % ratio")
    for _ in range(3):
        make.residency(kind=ResidencyKind.INCUBATED, starts_on=date(2024, 1, 1))
    make.residency(kind=ResidencyKind.PARTNER_OFFICE, starts_on=date(2024, 1, 1))
    html = client.get("/home/official").get_data(as_text=True)
    assert "Tỷ lệ 70 phần trăm" in html and "75,0\xa0%" in html and "3 / 4" in html


def _staff_page_queries(client):
    with count_queries() as counter:
        assert client.get("/home/staff").status_code == 200
    return counter.count


def test_list_pages_cost_the_same_number_of_queries_at_1x_and_10x(login_as, make):
    admin_client, _ = login_as(Role.ADMIN, Role.STAFF)

    def seed(n):
        for _ in range(n):
            company = make.company()
            make.member(company=company, user=make.user(Role.FOUNDER), status=MembershipStatus.PENDING)
            make.residency(company=company, ends_on=utcnow().date() + timedelta(days=5))
            make.outbox_message()
            make.audit_entry()
            make.user(Role.MENTOR)

    pages = ["/home/staff", "/home/admin", "/admin/users", "/outbox/", "/audit/", "/admin/invitations"]

    def measure():
        counts = {}
        for url in pages:
            with count_queries() as counter:
                assert admin_client.get(url).status_code == 200, url
            counts[url] = counter.count
        return counts

    seed(2)
    at_1x = measure()
    seed(18)
    at_10x = measure()
    assert at_1x == at_10x


def test_the_officials_home_with_one_incubator_speaks_of_the_incubator(login_as):
    client, _ = login_as(Role.OFFICIAL)
    html = client.get("/home/official").get_data(as_text=True)
    assert "Các chỉ tiêu Thành phố giao cho Vườn ươm" in html
    assert 'id="city-report-link"' not in html and 'href="/reports/city"' not in html
    assert 'id="network-targets"' not in html


def test_the_officials_home_with_several_incubators_speaks_of_the_network_and_links_the_city(login_as, db):
    from incubator.organisation import services as organisation

    organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=None)
    db.session.commit()
    client, _ = login_as(Role.OFFICIAL)
    html = client.get("/home/official").get_data(as_text=True)
    assert "Các chỉ tiêu Thành phố giao cho Vườn ươm" not in html
    assert 'id="network-targets"' in html and "Các chỉ tiêu Thành phố giao cho mạng lưới các vườn ươm" in html
    assert "Mở bảng theo dõi chỉ tiêu của Thành phố" in html
    assert 'id="city-report-link" href="/reports/city"' in html
    assert 'id="city-dashboard-link" href="/targets/"' in html
    assert client.get("/reports/city").status_code == 200
