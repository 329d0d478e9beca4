"""The demo's dialogue conferences (issue 21): one held three days ago, with a request of the demo's business on
its agenda answered there (approved by a second member of staff and published), a question from the floor, its
minutes made and published; and one planned in three weeks, with the request waiting for triage on its agenda
and its business invited. Made through the services, once: a database that has conferences is left as it is."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from incubator.demo.dating import on
from incubator.dialogue import services
from incubator.dialogue.models import DialogueConference
from incubator.extensions import db
from incubator.requests import services as requests
from incubator.requests.enums import RequestStatus
from incubator.requests.models import AnsweringBody, BusinessRequest

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The demo's requests (incubator/demo/requests.py) the conferences take.
ANSWERED_THERE = "Tham gia đặt hàng nền tảng số dùng chung của thành phố"
ON_THE_NEXT_AGENDA = "Đề nghị hỗ trợ kết nối cáp quang tại tòa nhà vườn ươm"


def _request(title: str) -> BusinessRequest | None:
    return db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.title == title))


def load(staff, approver, today, domain: str) -> int:
    """``staff`` plans and records; ``approver`` (another member of staff, or an administrator) approves the
    answer given. Returns how many rows were made."""
    if db.session.scalar(sa.select(DialogueConference.id).limit(1)) is not None:
        return 0
    answered_there, next_one = _request(ANSWERED_THERE), _request(ON_THE_NEXT_AGENDA)
    if answered_there is None or next_one is None:
        return 0
    bodies = list(db.session.scalars(sa.select(AnsweringBody).order_by(AnsweringBody.id).limit(2)))
    held_on = today - timedelta(days=3)
    with on(held_on - timedelta(days=14), time(9, 0)):
        past = services.plan(actor=staff, title="Hội nghị đối thoại giữa Sở Khoa học và Công nghệ với doanh "
                             "nghiệp CNTT (thử nghiệm)", starts_at=datetime.combine(held_on, time(8, 30), tzinfo=TZ),
                             minutes_long=180, place="Hội trường tầng 2, số 185 Giảng Võ, quận Đống Đa",
                             chair="Phó Giám đốc Sở Khoa học và Công nghệ Hà Nội", bodies=bodies)
    created = 1
    if answered_there.status is RequestStatus.ROUTED:
        with on(held_on - timedelta(days=7), time(9, 0)):
            item = services.add_item(past, answered_there, actor=staff)
        with on(held_on, time(9, 30)):
            services.record_answer(item, actor=staff, text=(
                "Phòng Chuyển đổi số trả lời tại hội nghị: thành phố đặt hàng nền tảng số dùng chung theo danh "
                "mục công bố hằng năm; doanh nghiệp đăng ký tham gia qua Cổng thông tin của Sở trước ngày 30/6, "
                "hồ sơ gồm giới thiệu sản phẩm và phương án giá."))
        with on(held_on, time(15, 0)):
            requests.approve_answer(answered_there, actor=approver, today=held_on)
        with on(held_on, time(16, 0)):
            requests.publish(answered_there, actor=staff)
        created += 2
    with on(held_on, time(10, 15)):
        services.record_floor_question(past, actor=staff, text="Doanh nghiệp khởi nghiệp có được ưu tiên thuê "
                                       "mặt bằng tại khu công nghệ thông tin tập trung không?", outcome="answered",
                                       answer_text="Sở phối hợp với ban quản lý khu để dành 20% diện tích cho "
                                       "doanh nghiệp khởi nghiệp, giá thuê ưu đãi trong hai năm đầu.",
                                       asked_by="Đại diện một doanh nghiệp phần mềm")
    with on(held_on, time(11, 30)):
        services.hold(past, actor=staff)
    if bodies:
        # Recorded by staff today, after the conference: the request it becomes is acknowledged today, and its
        # timeline says so.
        services.record_floor_question(past, actor=staff, text="Thủ tục hoàn thuế giá trị gia tăng cho sản "
                                       "phẩm phần mềm xuất khẩu mất bao lâu?", outcome="routed",
                                       body=bodies[-1], company=answered_there.company,
                                       category=answered_there.category,
                                       asked_by="Đại diện một doanh nghiệp phần mềm")
    with on(held_on, time(16, 30)):
        services.make_minutes(past, actor=staff, number="05/BB-VƯ", attendance=(
            "Đại diện lãnh đạo Sở Khoa học và Công nghệ, các phòng chuyên môn, Cục Thuế thành phố và 32 doanh "
            "nghiệp CNTT đang ươm tạo."), conclusions=(
            "Các kiến nghị chưa trả lời tại hội nghị được chuyển cơ quan có thẩm quyền trả lời bằng văn bản "
            "trong thời hạn 15 ngày làm việc.\nVườn ươm tổng hợp, theo dõi và công bố kết quả trả lời."),
            today=held_on)
        services.publish(past, actor=staff)
    created += 3
    planned = services.plan(actor=staff, title="Hội nghị đối thoại quý tới về hạ tầng số (thử nghiệm)",
                            starts_at=datetime.combine(today + timedelta(days=21), time(14, 0), tzinfo=TZ),
                            minutes_long=150, place="Phòng họp tầng 6, Vườn ươm",
                            link="https://hop.vuonuom.example/doi-thoai", chair="Giám đốc Vườn ươm",
                            bodies=bodies[:1])
    if next_one.is_open:
        services.add_item(planned, next_one, actor=staff)
    services.invite(planned, actor=staff, emails=[f"hiephoi@{domain}"])
    db.session.flush()
    return created + 3
