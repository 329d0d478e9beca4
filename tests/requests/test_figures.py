"""The figures of businesses' requests (issue 21) at their edges, and the staff's page of them.

What each figure means (incubator/requests/queries.py, ``Figures``): received in the period; answered (the
answer approved and sent) in it, on time when by the due date (the due day itself is on time); overdue when
due in the period, that day passed, and not answered by it; a request waiting for information is not overdue
while its clock stands still, unless it was overdue already when asked; declined, merged and withdrawn
requests are received but neither answered nor overdue."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.requests import queries, services
from incubator.requests.enums import BodyKind, PublicationConsent, RequestKind
from incubator.requests.models import RequestCategory
from tests.helpers import login

MONDAY = date(2026, 3, 2)  # acknowledged on it, a request of 15 working days is due on Monday 23/03/2026
DUE = date(2026, 3, 23)
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def world(make, db):
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER, email="sanglap@example.vn")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, email="canbo@example.vn")
    second = make.user(Role.STAFF, email="canbo2@example.vn")
    body = services.save_body(None, actor=staff, name_vi="Cục Thuế thành phố", name_en="City tax department",
                              kind=BodyKind.OTHER_DEPARTMENT)
    db.session.commit()
    tax = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))
    return {"company": company, "founder": founder, "staff": staff, "second": second, "body": body,
            "category": tax}


def _file(world, today=MONDAY, title="Hoàn thuế giá trị gia tăng"):
    return services.file(world["company"], actor=world["founder"], kind=RequestKind.REQUEST,
                         category=world["category"], consent=PublicationConsent.NAMED, today=today, title=title,
                         text="Công ty đề nghị hướng dẫn thủ tục hoàn thuế.")


def _answer(world, request, on: date):
    services.route(request, world["body"], actor=world["staff"])
    services.draft_answer(request, actor=world["staff"], text="Nộp hồ sơ hoàn thuế trực tuyến.")
    services.approve_answer(request, actor=world["second"], today=on)


def _q1(today: date):
    return queries.figures(*Q1, today=today)


def test_answered_on_the_due_day_is_on_time_the_day_after_is_late(world, db):
    on_time, late = _file(world), _file(world)
    assert on_time.due_on == DUE and late.due_on == DUE
    _answer(world, on_time, DUE)
    _answer(world, late, date(2026, 3, 24))
    services.rate(on_time, actor=world["founder"], satisfied=True)
    services.rate(late, actor=world["founder"], satisfied=False, comment="Trả lời chậm.")
    db.session.commit()
    total = _q1(date(2026, 6, 30)).total
    assert (total.received, total.answered, total.on_time, total.overdue) == (2, 2, 1, 1)
    assert total.days == [21, 22] and total.median_days == 21.5
    assert (total.rated, total.satisfied, total.satisfaction) == (2, 1, 0.5)
    [(body, by_body)] = _q1(date(2026, 6, 30)).by_body
    assert body == "Cục Thuế thành phố" and (by_body.answered, by_body.on_time) == (2, 1)


def test_an_unanswered_request_is_overdue_only_once_its_due_day_has_passed(world, db):
    _file(world)
    db.session.commit()
    assert _q1(DUE).total.overdue == 0  # its due day: still on time
    assert _q1(date(2026, 3, 24)).total.overdue == 1
    # Due in the first quarter, it is the first quarter's overdue request, not the second's.
    assert queries.figures(date(2026, 4, 1), date(2026, 6, 30), today=date(2026, 6, 30)).total.overdue == 0


def test_a_paused_request_is_not_overdue_while_its_clock_stands_still(world, db):
    paused, asked_late = _file(world), _file(world)
    services.ask_information(paused, actor=world["staff"], question="Bổ sung tờ khai thuế.", today=date(2026, 3, 10))
    services.ask_information(asked_late, actor=world["staff"], question="Bổ sung hóa đơn.", today=date(2026, 3, 25))
    db.session.commit()
    assert paused.due_on == DUE  # as it stood when asked: it moves when the business answers
    total = _q1(date(2026, 4, 15)).total
    assert (total.received, total.answered, total.overdue) == (2, 0, 1)  # only the one asked after its due day
    # The business answers on 15/04: the clock resumes, the due date moves past the quarter.
    services.add_information(paused, actor=world["founder"], text="Tờ khai đính kèm.", today=date(2026, 4, 15))
    db.session.commit()
    assert paused.due_on > date(2026, 3, 31)
    assert _q1(date(2026, 4, 15)).total.overdue == 1
    later = queries.figures(date(2026, 4, 1), date(2026, 6, 30), today=date(2026, 6, 30)).total
    assert later.overdue == 1 and later.received == 0  # now the second quarter's, once its new due day passed


def test_withdrawn_declined_and_merged_requests_are_received_but_never_answered_nor_overdue(world, db):
    kept, withdrawn, declined, merged = (_file(world, title=f"Kiến nghị {n}") for n in range(4))
    services.withdraw(withdrawn, actor=world["founder"], reason="Đã tự giải quyết.")
    services.decline(declined, actor=world["staff"], reason="Không thuộc thẩm quyền.")
    services.merge(merged, kept, actor=world["staff"])
    _answer(world, kept, date(2026, 3, 20))
    db.session.commit()
    total = _q1(date(2026, 6, 30)).total
    assert (total.received, total.answered, total.on_time, total.overdue) == (4, 1, 1, 0)
    [(name, by_category)] = _q1(date(2026, 6, 30)).by_category
    assert name == "Thuế và tài chính" and by_category.received == 4
    data = queries.figures_data(*Q1, today=date(2026, 6, 30))
    assert data["total"]["received"] == 4 and data["total"]["median_days"] == 18
    assert data["by_category"][0]["name_vi"] == "Thuế và tài chính"
    assert {row["name_vi"] for row in data["by_body"]} == {"Cục Thuế thành phố", None}  # three never routed


def test_the_staff_page_shows_each_quarter_by_area_and_by_body(world, db, client_factory, make):
    on_time, late = _file(world), _file(world)
    _answer(world, on_time, DUE)
    _answer(world, late, date(2026, 3, 24))
    _file(world, today=date(2026, 4, 6))
    db.session.commit()
    client = client_factory()
    login(client, world["staff"])
    page = client.get("/requests/figures/?year=2026").get_data(as_text=True)
    assert 'id="figures-quarters"' in page and "Cục Thuế thành phố" in page and "Thuế và tài chính" in page
    first_quarter = page.split('id="quarter-1"')[0].split("<tbody>")[1].split("</tr>")[0]
    cells = [c.split(">", 1)[1].split("<")[0].strip() for c in first_quarter.split("<td")[1:]]
    assert cells[:4] == ["2", "2", "1", "1"]  # received, answered, on time (50 %), overdue
    assert "21,5" in first_quarter  # the median, in the Vietnamese way
    assert 'id="quarter-2"' in page and client.get("/requests/figures/?year=1066").status_code == 200
    assert 'href="/requests/figures/"' in client.get("/requests/").get_data(as_text=True)  # linked from the list
    founder = client_factory()
    login(founder, world["founder"])
    assert founder.get("/requests/figures/").status_code == 403


def test_the_median_s_heading_says_calendar_days_unlike_the_public_answers_working_days(world, db,
                                                                                         client_factory):
    request = _file(world)
    _answer(world, request, DUE)
    world["staff"].locale = "en"
    db.session.commit()
    client = client_factory()
    login(client, world["staff"])
    page = client.get("/requests/figures/?year=2026").get_data(as_text=True)
    assert '<th scope="col" class="text-end">Median calendar days to answer</th>' in page
    assert ">Median days<" not in page and "not working days" in page

