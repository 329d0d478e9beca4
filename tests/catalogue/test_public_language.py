"""The public catalogue read in the language its address asks (``?lang=en``, the alternates search engines
follow): the question against robots and the contact form's answers in that language too, the language switch
still working there; a business no founder can answer offers no form; odd filters do not break the list."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.catalogue import challenge, services
from incubator.catalogue.models import ProductEntry
from incubator.extensions import db
from incubator.mail.models import OutboxMessage
from tests.catalogue.test_catalogue import _csrf, _data
from tests.helpers import nothing_written


@pytest.fixture(autouse=True)
def groups(db):
    services.ensure_default_groups()
    db.session.commit()


@pytest.fixture
def quick(app):
    before = app.config["CATALOGUE_MIN_FILL_SECONDS"]
    app.config["CATALOGUE_MIN_FILL_SECONDS"] = 0
    yield
    app.config["CATALOGUE_MIN_FILL_SECONDS"] = before


def _listed(make, *, founder=True) -> ProductEntry:
    company = make.company(name="Công ty Cổ phần Đổi mới Sáng tạo Hà Nội")
    make.residency(company=company)
    writer = make.user(Role.FOUNDER)
    member = make.member(company=company, user=writer)
    entry = services.create_entry(company, _data(), actor=writer)
    services.approve(entry, actor=make.user(Role.STAFF))
    if not founder:
        db.session.delete(member)
    db.session.commit()
    return entry


def _question(html: str) -> tuple[str, str]:
    token = re.search(r'name="question" type="hidden" value="([^"]+)"', html).group(1)
    label = re.search(r'<label[^>]*for="answer"[^>]*>([^<]+)</label>', html).group(1)
    return token, label


def _post(client, entry, page: str, answer: str, lang: str | None = "en"):
    token, _label = _question(page)
    action = re.search(r'<form method="post" action="([^"]+)"[^>]*id="contact-form"', page).group(1)
    # The answer opens at the form (#contact): its errors, or that it was sent, are where a phone shows them.
    assert action == f"/catalogue/{entry.id}/contact" + (f"?lang={lang}" if lang else "") + "#contact"
    return client.post(action.removesuffix("#contact"), data={
        "name": "Jane Doe", "email": "jane@agency.example", "organisation": "", "message": "A quote, please.",
        "answer": answer, "question": token, "homepage": "", "csrf_token": _csrf(page)})


def test_the_english_page_asks_its_question_in_english_and_answers_in_english(make, client, quick, db):
    entry = _listed(make)
    page = client.get(f"/catalogue/{entry.id}-{entry.slug}?lang=en").get_data(as_text=True)
    _token, label = _question(page)
    assert re.fullmatch(r"What is [a-z]+ plus [a-z]+\?", label), label
    with nothing_written():
        wrong = _post(client, entry, page, "99")
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and '<html lang="en">' in html
    assert "That is not the answer" in html and re.search(r"What is [a-z]+ plus [a-z]+\?", html)
    token, _label = _question(html)
    data = challenge._read(token)
    sent = _post(client, entry, html, str(data["a"] + data["b"]))
    assert sent.status_code == 302 and sent.headers["Location"].endswith("?lang=en#contact")
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                             .where(OutboxMessage.purpose == "product_message")) == 1


def test_the_vietnamese_page_keeps_its_plain_address(make, client, quick, db):
    entry = _listed(make)
    page = client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)
    assert _post(client, entry, page, "99", lang=None).status_code == 400


def test_the_english_list_links_its_products_and_keeps_the_language_when_searching(make, client, db):
    entry = _listed(make)
    html = client.get("/catalogue/?lang=en").get_data(as_text=True)
    assert f'href="/catalogue/{entry.id}-{entry.slug}?lang=en"' in html
    assert '<input type="hidden" name="lang" value="en">' in html
    plain = client.get("/catalogue/").get_data(as_text=True)
    assert f'href="/catalogue/{entry.id}-{entry.slug}"' in plain and 'name="lang"' not in plain


def test_the_language_switch_on_a_page_with_lang_shows_the_chosen_language(make, client, db):
    entry = _listed(make)
    page = client.get(f"/catalogue/{entry.id}-{entry.slug}?lang=en&utm=x").get_data(as_text=True)
    back = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert back == f"/catalogue/{entry.id}-{entry.slug}?utm=x"
    response = client.post("/language", data={"locale": "vi", "next": back, "csrf_token": _csrf(page)})
    assert response.status_code == 302
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="vi">' in again
    other = client.get("/catalogue/?q=v%C3%AD&page=1").get_data(as_text=True)
    assert re.search(r'name="next" value="/catalogue/\?q=v%C3%AD&amp;page=1"', other)


def test_a_business_no_founder_can_answer_offers_no_form(make, client, quick, db):
    entry = _listed(make, founder=False)
    html = client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)
    assert 'id="contact-form"' not in html and 'id="contact-unreachable"' in html
    reachable = _listed(make)
    assert 'id="contact-form"' in client.get(f"/catalogue/{reachable.id}-{reachable.slug}").get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "١٢", "VUHN", "123456789012", ""])
def test_an_odd_incubator_filter_lists_nothing_rather_than_failing(make, client, db, value):
    _listed(make)
    assert client.get("/catalogue/", query_string={"incubator": value}).status_code == 200


def test_the_mails_link_to_where_the_founder_acts(make, client, quick, db):
    entry = _listed(make)
    page = client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)
    token, _label = _question(page)
    data = challenge._read(token)
    assert _post(client, entry, page, str(data["a"] + data["b"]), lang=None).status_code == 302
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.purpose == "product_message"))
    assert f"http://localhost/catalogue/{entry.id}-{entry.slug}" in message.body_text
    services.propose_change(entry, _data(name_vi="Ví công dân"), actor=entry.revisions[0].submitted_by)
    services.refuse(entry, actor=make.user(Role.STAFF), reason="Tên chưa khớp")
    db.session.commit()
    refused = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.purpose == "product_refused"))
    assert f"http://localhost/catalogue/entries/{entry.id}/edit" in refused.body_text


def test_a_printed_page_shows_the_product_and_its_address_not_the_forms(make, client, db):
    entry = _listed(make)
    html = client.get(f"/catalogue/{entry.id}-{entry.slug}?lang=en").get_data(as_text=True)
    assert re.search(r'class="[^"]*\bno-print\b[^"]*" id="contact"', html)
    assert f'id="product-address">This page: http://localhost/catalogue/{entry.id}-{entry.slug}?lang=en</p>' in html
    listing = client.get("/catalogue/", query_string={"q": "vi dien tu", "pillar": "government"}).get_data(
        as_text=True)
    assert re.search(r'<form class="[^"]*\bno-print\b[^"]*"[^>]*id="catalogue-filters"', listing)
    chosen = re.search(r'id="catalogue-chosen">([^<]+)</p>', listing).group(1)
    assert "vi dien tu" in chosen and " · " in chosen
    assert 'id="catalogue-chosen"' not in client.get("/catalogue/").get_data(as_text=True)


def test_the_sitemap_gives_each_catalogue_page_its_language_alternates(make, client, db):
    from xml.dom.minidom import parseString

    entry = _listed(make)
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    parseString(xml)  # noqa: S318 (the app's own answer)
    url = f"http://localhost/catalogue/{entry.id}-{entry.slug}"
    product = re.search(rf"<url><loc>{re.escape(url)}</loc>.*?</url>", xml, re.S).group(0)
    assert f'hreflang="en" href="{url}?lang=en"' in product and f'hreflang="x-default" href="{url}"' in product
    assert 'hreflang="en" href="http://localhost/catalogue/?lang=en"' in xml
    answers = re.search(r"<url><loc>http://localhost/requests/answers/</loc>.*?</url>", xml, re.S).group(0)
    assert "xhtml:link" not in answers


def test_the_group_filter_names_the_group_by_its_code_as_the_api_does(make, client, db):
    from tests.catalogue.test_catalogue import _group

    entry = _listed(make)
    html = client.get("/catalogue/", query_string={"group": "FINTECH"}).get_data(as_text=True)
    assert f"/catalogue/{entry.id}-" in html and '<option value="FINTECH" selected>' in html
    assert f"/catalogue/{entry.id}-" not in client.get("/catalogue/?group=HEALTH").get_data(as_text=True)
    assert f"/catalogue/{entry.id}-" not in client.get("/catalogue/?group=NO_SUCH").get_data(as_text=True)
    assert f"/catalogue/{entry.id}-" in client.get(f"/catalogue/?group={_group().id}").get_data(as_text=True)


def test_staff_see_a_long_text_changed_word_by_word(make, client, db):
    from tests.helpers import login

    entry = _listed(make)
    founder = entry.revisions[0].submitted_by
    services.propose_change(entry, _data(summary_vi="Thu phí dịch vụ công bằng mã QR. Có báo cáo theo quý."),
                            actor=founder)
    db.session.commit()
    login(client, make.user(Role.STAFF))
    html = client.get(f"/catalogue/entries/{entry.id}/review").get_data(as_text=True)
    rows = re.findall(r'<tr><th scope="row">[^<]+</th>(.*?)</tr>', html, re.S)
    assert len(rows) == 1  # only the description changed
    row = rows[0]
    shown, proposed = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert shown == "Thu phí dịch vụ công bằng mã <del>QR</del>"
    assert proposed == "Thu phí dịch vụ công bằng mã <ins>QR. Có báo cáo theo quý.</ins>"
    assert services.changes(entry, entry.pending)[0][0] == "summary_vi"
    from incubator.catalogue.views import word_changes

    shown, proposed = word_changes("Một hai", "Một hai ba")
    assert shown == [(False, "Một hai")] and "".join(text for _c, text in proposed) == "Một hai ba"
    assert [text for changed, text in proposed if changed] == ["ba"]


def test_robots_keep_out_of_the_api(client, db):
    robots = client.get("/robots.txt").get_data(as_text=True).splitlines()
    assert "Disallow: /api/" in robots and "Disallow: /catalogue/" not in robots


def test_the_confirmation_is_in_the_contact_card_the_page_opens_at_once(make, client, quick, db):
    entry = _listed(make)
    page = client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)
    data = challenge._read(_question(page)[0])
    sent = _post(client, entry, page, str(data["a"] + data["b"]), lang=None)
    assert sent.headers["Location"].endswith("#contact")
    html = client.get(sent.headers["Location"]).get_data(as_text=True)
    card = html[html.index('id="contact"'):]
    assert 'id="contact-sent"' in card and html.count("alert-success") == 1
    assert 'id="contact-sent"' not in client.get(f"/catalogue/{entry.id}-{entry.slug}").get_data(as_text=True)


def test_a_refusal_without_reason_opens_at_the_refusal_form(make, client, db):
    from tests.helpers import login

    entry = _listed(make)
    services.propose_change(entry, _data(name_vi="Ví công dân"), actor=entry.revisions[0].submitted_by)
    db.session.commit()
    login(client, make.user(Role.STAFF))
    html = client.get(f"/catalogue/entries/{entry.id}/review").get_data(as_text=True)
    assert f'action="/catalogue/entries/{entry.id}/refuse#refuse"' in html
    refused = client.post(f"/catalogue/entries/{entry.id}/refuse",
                          data={"reason": " ", "version": entry.version_id, "csrf_token": _csrf(html)})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and body.index('id="refuse"') < body.index("invalid-feedback")
