"""The public catalogue (issue 24) through the doors people use: founders write entries, staff approve or refuse
each change, anyone reads the approved, listed products, searches them without diacritics and writes to a
business through a form with a question against robots, limited per address and per product."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.catalogue import challenge, queries, services
from incubator.catalogue.enums import RevisionStatus
from incubator.catalogue.models import ProductEntry, ProductGroup, ProductMessage
from incubator.companies.enums import ResidencyKind
from incubator.errors import Conflict, DomainError
from incubator.extensions import db
from incubator.mail.models import OutboxMessage
from incubator.outcomes.enums import Decision
from tests.helpers import login, nothing_written, post_form


@pytest.fixture(autouse=True)
def groups(db):
    services.ensure_default_groups()
    db.session.commit()


@pytest.fixture
def quick(app):
    """The contact form may be sent as soon as it is shown (a browser takes seconds; a test client does not)."""
    before = app.config["CATALOGUE_MIN_FILL_SECONDS"]
    app.config["CATALOGUE_MIN_FILL_SECONDS"] = 0
    yield
    app.config["CATALOGUE_MIN_FILL_SECONDS"] = before


def _group(code="FINTECH") -> ProductGroup:
    return db.session.scalar(sa.select(ProductGroup).where(ProductGroup.code == code))


def _data(**kw) -> dict:
    data = {"name_vi": "Ví điện tử Phường Xã", "name_en": "Ward wallet",
            "summary_vi": "Thu phí dịch vụ công bằng mã QR",
            "summary_en": "Public service fees by QR code", "audience_vi": "Ủy ban nhân dân phường, xã",
            "audience_en": "Ward people's committees", "pillar": "government", "group_id": _group().id,
            "on_market_since": date(2024, 3, 1), "public_customers": "UBND phường Dịch Vọng Hậu",
            "website": "https://vi.example.vn"}
    data.update(kw)
    return data


@pytest.fixture
def startup(make):
    """An incubated startup with a founder holding its file."""
    company = make.company(name="Công ty Cổ phần Đổi mới Sáng tạo Hà Nội")
    make.residency(company=company)
    founder = make.user(Role.FOUNDER)
    make.member(company=company, user=founder)
    return company, founder


def _approved(startup, make, **kw) -> ProductEntry:
    company, founder = startup
    entry = services.create_entry(company, _data(**kw), actor=founder)
    services.approve(entry, actor=make.user(Role.STAFF))
    db.session.commit()
    return entry


# ---- Services ---------------------------------------------------------------------------------------------------

def test_a_new_entry_waits_for_staff_and_is_not_shown(startup, db):
    company, founder = startup
    entry = services.create_entry(company, _data(), actor=founder)
    db.session.commit()
    assert entry.has_pending_change and not entry.is_approved and entry.is_listed
    assert queries.listed_product(entry.id) is None
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "product_entries")) \
        == "product.propose"


def test_approved_it_shows_and_a_later_change_waits_while_the_approved_version_stays(startup, make, db):
    entry = _approved(startup, make)
    assert queries.listed_product(entry.id).name_vi == "Ví điện tử Phường Xã"
    assert entry.slug == "vi-dien-tu-phuong-xa"
    services.propose_change(entry, _data(name_vi="Ví công dân"), actor=startup[1], version=entry.version_id)
    db.session.commit()
    assert queries.listed_product(entry.id).name_vi == "Ví điện tử Phường Xã"
    assert [key for key, _old, _new in services.changes(entry, entry.pending)] == ["name_vi"]
    services.approve(entry, actor=make.user(Role.STAFF), version=entry.version_id)
    db.session.commit()
    assert queries.listed_product(entry.id).name_vi == "Ví công dân"
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "product_entries")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["product.propose", "product.approve", "product.propose", "product.approve"]


def test_a_stale_change_is_refused_as_a_conflict(startup, make, db):
    entry = _approved(startup, make)
    old = entry.version_id
    services.propose_change(entry, _data(name_vi="Ví công dân"), actor=startup[1], version=old)
    db.session.commit()
    with pytest.raises(Conflict):
        services.propose_change(entry, _data(name_vi="Ví khác"), actor=startup[1], version=old)
    with pytest.raises(Conflict):
        services.approve(entry, actor=make.user(Role.STAFF), version=old)


def test_a_refusal_keeps_the_approved_version_and_emails_the_founder_the_reason(startup, make, db):
    entry = _approved(startup, make)
    services.propose_change(entry, _data(name_vi="Ví công dân"), actor=startup[1])
    with pytest.raises(DomainError):
        services.refuse(entry, actor=make.user(Role.STAFF), reason="  ")
    revision = services.refuse(entry, actor=make.user(Role.STAFF), reason="Tên sản phẩm chưa khớp hợp đồng")
    db.session.commit()
    assert revision.status is RevisionStatus.REFUSED and not entry.has_pending_change
    assert queries.listed_product(entry.id).name_vi == "Ví điện tử Phường Xã"
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.purpose == "product_refused"))
    assert mail.to_address == startup[1].email and "Tên sản phẩm chưa khớp hợp đồng" in mail.body_text


def test_withdrawn_consent_hides_the_product_at_once(startup, make, db):
    entry = _approved(startup, make)
    services.set_listed(entry, False, actor=startup[1])
    db.session.commit()
    assert queries.listed_product(entry.id) is None and entry.unlisted_at is not None
    services.set_listed(entry, True, actor=startup[1])
    assert queries.listed_product(entry.id) is not None


def test_only_incubated_and_graduated_startups_are_listed(make, db):
    tenant = make.company()
    make.residency(company=tenant, kind=ResidencyKind.SERVICE_TENANT)
    with pytest.raises(DomainError):
        services.create_entry(tenant, _data(), actor=make.user())
    graduate = make.company()
    make.outcome(company=graduate, decision=Decision.GRADUATED)
    assert queries.may_be_listed(graduate.id) and not queries.may_be_listed(tenant.id)
    failed = make.company()
    make.outcome(company=failed, decision=Decision.FAILED)
    assert not queries.may_be_listed(failed.id)


def test_search_ignores_diacritics_and_filters_narrow(startup, make, db):
    entry = _approved(startup, make)
    other_company = make.company(name="Công ty Y tế Số")
    make.residency(company=other_company)
    other = _approved((other_company, make.user()), make, name_vi="Sổ sức khỏe điện tử", pillar="society",
                      group_id=_group("HEALTH").id)

    def ids(**filters):
        return [e.id for e in db.session.scalars(queries.listed_products(**filters)).unique()]

    assert ids(search="vi dien tu phuong") == [entry.id]
    assert ids(search="SO SUC KHOE") == [other.id]
    assert ids(pillar="society") == [other.id]
    assert ids(group_id=_group("FINTECH").id) == [entry.id]
    assert ids(pillar="nonsense") == []


def test_a_product_is_shown_under_the_incubators_where_its_business_was_incubated(startup, make, db):
    from incubator.organisation import services as organisation
    from incubator.organisation.current import use_incubator

    entry = _approved(startup, make)
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    first = db.session.scalar(sa.select(ProductEntry.company_id))
    with use_incubator(hn2):
        elsewhere = make.company()
        make.residency(company=elsewhere)
    other = _approved((elsewhere, make.user()), make, name_vi="Cổng dữ liệu mở")
    ids = [e.id for e in db.session.scalars(queries.listed_products(incubator_id=hn2.id)).unique()]
    assert ids == [other.id] and first == startup[0].id
    assert [i.code for i in queries.details([entry], date.today())[entry.id].incubators] == ["VUHN"]


# ---- Pages -------------------------------------------------------------------------------------------------------

def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_a_founder_adds_a_product_through_the_form_and_staff_approve_it(startup, make, client, client_factory, db):
    company, founder = startup
    login(client, founder)
    assert client.get("/catalogue/mine").status_code == 200
    form = _data(on_market_since="01/03/2024", listed="y")
    response = post_form(client, f"/catalogue/company/{company.id}/new", form, token_from="/catalogue/mine")
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(ProductEntry))
    staff = client_factory()
    login(staff, make.user(Role.STAFF))
    assert "Ví điện tử Phường Xã" in staff.get("/catalogue/waiting").get_data(as_text=True)
    page = staff.get(f"/catalogue/entries/{entry.id}/review").get_data(as_text=True)
    assert "product-diff" in page and "Thu phí dịch vụ công bằng mã QR" in page
    response = post_form(staff, f"/catalogue/entries/{entry.id}/approve", {"version": _version(page)},
                         token_from="/catalogue/waiting")
    assert response.status_code == 302
    anonymous = client_factory()
    html = anonymous.get("/catalogue/?q=vi dien tu").get_data(as_text=True)
    assert "Ví điện tử Phường Xã" in html


def test_another_founder_may_not_edit_and_a_stale_form_gets_409(startup, make, client, client_factory, db):
    entry = _approved(startup, make)
    stranger = client_factory()
    login(stranger, make.user(Role.FOUNDER))
    assert stranger.get(f"/catalogue/entries/{entry.id}/edit").status_code == 404
    with nothing_written():
        assert post_form(stranger, f"/catalogue/entries/{entry.id}/edit", _data(version=entry.version_id),
                         token_from="/catalogue/mine").status_code == 404
    login(client, startup[1])
    response = post_form(client, f"/catalogue/entries/{entry.id}/edit",
                         _data(name_vi="Ví mới", on_market_since="", version=entry.version_id - 1),
                         token_from="/catalogue/mine")
    assert response.status_code == 409


def test_staff_decide_only_on_products_listed_in_their_incubator(startup, make, client, db):
    from incubator.organisation import services as organisation
    from incubator.organisation.current import use_incubator

    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    with use_incubator(hn2):
        theirs = make.company()
        make.residency(company=theirs)
    entry = services.create_entry(theirs, _data(), actor=make.user())
    db.session.commit()
    login(client, make.user(Role.STAFF))  # staff of VUHN
    assert client.get(f"/catalogue/entries/{entry.id}/review").status_code == 404
    with nothing_written():
        response = post_form(client, f"/catalogue/entries/{entry.id}/approve", {"version": entry.version_id},
                             token_from="/catalogue/waiting")
    assert response.status_code == 404
    assert "Ví điện tử" not in client.get("/catalogue/waiting").get_data(as_text=True)


def test_anonymous_sees_only_approved_listed_entries(startup, make, client, db):
    company, founder = startup
    waiting = services.create_entry(company, _data(name_vi="Chưa duyệt"), actor=founder)
    shown = _approved(startup, make, name_vi="Đã duyệt")
    db.session.commit()
    html = client.get("/catalogue/").get_data(as_text=True)
    assert "Đã duyệt" in html and "Chưa duyệt" not in html
    assert client.get(f"/catalogue/{waiting.id}-chua-duyet").status_code == 404
    assert client.get(f"/catalogue/{shown.id}-{shown.slug}").status_code == 200
    services.set_listed(shown, False, actor=founder)
    db.session.commit()
    assert client.get(f"/catalogue/{shown.id}-{shown.slug}").status_code == 404
    assert "Đã duyệt" not in client.get("/catalogue/").get_data(as_text=True)


def test_an_old_slug_redirects_permanently_to_the_current_one(startup, make, client, db):
    entry = _approved(startup, make)
    old = entry.slug
    services.propose_change(entry, _data(name_vi="Ví công dân"), actor=startup[1])
    services.approve(entry, actor=make.user(Role.STAFF))
    db.session.commit()
    response = client.get(f"/catalogue/{entry.id}-{old}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/catalogue/{entry.id}-vi-cong-dan")
    assert client.get(f"/catalogue/{entry.id}").status_code == 301


def test_the_product_page_carries_metadata_for_search_engines(startup, make, client, db):
    entry = _approved(startup, make)
    html = client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)
    url = f"http://localhost/catalogue/{entry.id}-{entry.slug}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'hreflang="en" href="{url}?lang=en"' in html and 'hreflang="x-default"' in html
    assert 'property="og:title"' in html and '<meta name="description"' in html
    assert '<script type="application/ld+json">' in html and '"SoftwareApplication"' in html
    english = client.get(f"/catalogue/{entry.id}-{entry.slug}?lang=en").get_data(as_text=True)
    assert "Ward wallet" in english and '<html lang="en">' in english
    assert '<meta property="og:locale" content="en_GB">' in english


def test_sitemap_lists_the_product_and_robots_points_at_it(startup, make, client, db):
    entry = _approved(startup, make)
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"<loc>http://localhost/catalogue/{entry.id}-{entry.slug}</loc>" in xml
    assert "http://localhost/requests/answers/" in xml
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots


# ---- The contact form ----------------------------------------------------------------------------------------------

def _contact(client, entry, **overrides):
    page = client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)
    token = re.search(r'name="question" type="hidden" value="([^"]+)"', page).group(1)
    data = challenge._read(token)
    form = {"name": "Trần Thị Bình", "email": "binh@sotttt.example", "organisation": "UBND quận Cầu Giấy",
            "message": "Chúng tôi muốn dùng thử sản phẩm.", "answer": str(data["a"] + data["b"]), "question": token,
            "homepage": ""}
    form.update(overrides)
    return client.post(f"/catalogue/{entry.id}/contact", data={**form, "csrf_token": _csrf(page)})


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_message_reaches_the_founders_with_the_readers_address_to_reply_to(startup, make, client, quick, db):
    entry = _approved(startup, make)
    co_founder = make.user(Role.FOUNDER)
    make.member(company=startup[0], user=co_founder)
    response = _contact(client, entry)
    assert response.status_code == 302
    assert "alert-success" in client.get(response.headers["Location"]).get_data(as_text=True)
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "product_message")).all()
    assert {m.to_address for m in mails} == {startup[1].email, co_founder.email}
    assert all(m.reply_to == "binh@sotttt.example" and "Chúng tôi muốn dùng thử" in m.body_text for m in mails)
    from incubator.mail.services import _email

    assert _email(mails[0])["Reply-To"] == "binh@sotttt.example"
    assert "Chúng tôi muốn dùng thử" not in client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)


def test_a_wrong_answer_or_a_filled_honeypot_sends_nothing(startup, make, client, quick, db):
    entry = _approved(startup, make)
    with nothing_written():
        response = _contact(client, entry, answer="99")
    assert response.status_code == 400 and "Trần Thị Bình" in response.get_data(as_text=True)
    with nothing_written():
        assert _contact(client, entry, homepage="http://spam.example").status_code == 400
    with nothing_written():
        assert _contact(client, entry, question="forged").status_code == 400


def test_the_question_refuses_a_form_sent_too_quickly_or_too_late(app):
    with app.test_request_context():
        _text, token = challenge.new_question(now=1000)
        data = challenge._read(token)
        right = str(data["a"] + data["b"])
        assert challenge.problem(token, right, now=1001) is not None  # under 3 seconds: a robot
        assert challenge.problem(token, right, now=1010) is None
        assert challenge.problem(token, right, now=1000 + 7201) is not None  # expired
        assert challenge.problem(token, str(int(right) + 1), now=1010) is not None
        assert "plus" in challenge.question_of(token) or "cộng" in challenge.question_of(token)


def test_messages_are_limited_per_address_and_per_product_in_the_database(startup, make, client, quick, app, db):
    entry = _approved(startup, make)
    now = services.utcnow()
    for _n in range(5):
        db.session.add(ProductMessage(entry_id=entry.id, ip_address="127.0.0.1", sent_at=now))
    db.session.commit()
    with nothing_written():
        response = _contact(client, entry)
    assert response.status_code == 429
    db.session.execute(sa.update(ProductMessage).values(ip_address="10.0.0.9"))
    for _n in range(15):
        db.session.add(ProductMessage(entry_id=entry.id, ip_address="10.0.0.8", sent_at=now))
    db.session.commit()
    assert _contact(client, entry).status_code == 429  # 20 today to this product, from other addresses
    db.session.execute(sa.delete(ProductMessage))
    db.session.commit()
    assert _contact(client, entry).status_code == 302


def test_the_staff_home_says_how_many_changes_wait(startup, make, client, db):
    company, founder = startup
    services.create_entry(company, _data(), actor=founder)
    db.session.commit()
    login(client, make.user(Role.STAFF))
    html = client.get("/home/staff").get_data(as_text=True)
    assert 'id="catalogue-waiting"' in html




# ---- Product groups ---------------------------------------------------------------------------------------------

def test_staff_add_and_change_a_product_group_and_a_code_is_unique(make, client, db):
    login(client, make.user(Role.STAFF))
    form = {"code": "agritech", "name_vi": "Nông nghiệp số", "name_en": "Digital agriculture", "position": "110",
            "active": "y"}
    assert post_form(client, "/catalogue/groups", form, token_from="/catalogue/groups").status_code == 302
    group = _group("AGRITECH")
    assert group.name_vi == "Nông nghiệp số" and group.active
    with nothing_written():
        assert post_form(client, "/catalogue/groups", form, token_from="/catalogue/groups").status_code == 400
    page = client.get(f"/catalogue/groups/{group.id}/edit").get_data(as_text=True)
    response = post_form(client, f"/catalogue/groups/{group.id}/edit",
                         dict(form, name_en="Agritech", active="", version=_version(page)),
                         token_from="/catalogue/groups")
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.name_en == "Agritech" and not group.active
    assert group not in queries.groups(active_only=True)


def test_the_catalogue_page_costs_the_same_queries_for_one_product_or_ten(make, client, db):
    from tests.helpers import count_queries

    def add(n):
        for i in range(n):
            company = make.company()
            make.residency(company=company)
            entry = _approved((company, make.user()), make, name_vi=f"Sản phẩm số {i} {company.id}")
            from incubator.certificates.enums import CertificateStatus
            from incubator.certificates.models import Certificate
            from incubator.certificates.services import standard_by_code

            db.session.add(Certificate(company_id=entry.company_id, standard=standard_by_code("ISO 9001"),
                                       issued_on=date(2025, 1, 1), status=CertificateStatus.VERIFIED))
        db.session.commit()

    def cost(url):
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    def first():
        entry = db.session.scalar(sa.select(ProductEntry).order_by(ProductEntry.id))
        return f"/catalogue/{entry.id}-{entry.slug}"

    add(1)
    one = (cost("/catalogue/"), cost(first()))
    add(9)
    assert (cost("/catalogue/"), cost(first())) == one
