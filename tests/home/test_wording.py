"""One name for one thing, in Vietnamese as users read it (issue 17's review): the fund's pipeline has one name in
the menu and on its pages, its stages are "Giai đoạn" in the list and on the board, and an application a
founder withdrew ("Rút hồ sơ") is "Đã rút". These read the Vietnamese catalogue: they hold once the
coordinator has applied /tmp/tr/fixes17-override.json and fixes17.json."""

import re

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role


def test_the_pipeline_has_one_name_and_its_stages_one_word(login_as):
    client, _ = login_as(Role.FUND_MANAGER)
    html = client.get("/funding/").get_data(as_text=True)
    nav = html[html.index("<nav"):html.index("</nav>")]
    menu = re.search(r'href="/funding/"[^>]*>([^<]+)<', nav).group(1).strip()
    heading = re.search(r"<h1[^>]*>([^<]+)</h1>", html).group(1).strip()
    assert menu == heading == "Danh sách cơ hội đầu tư"
    header = html[html.index("<thead>"):html.index("</thead>")]
    assert "<th>Giai đoạn</th>" in header and "Vòng" not in header
    assert "danh mục" not in html.lower()
    board = client.get("/funding/board").get_data(as_text=True).lower()
    assert "giai đoạn" in board and "vòng" not in board and "danh mục" not in board


def test_an_application_the_founder_withdrew_says_so_in_the_words_they_were_offered(login_as, make):
    client, founder = login_as(Role.FOUNDER)
    company = make.company()
    make.member(company=company, user=founder)
    application = make.application(company=company, created_by=founder, status=ApplicationStatus.WITHDRAWN)
    html = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Đã rút" in html and "Đã thu hồi" not in html
