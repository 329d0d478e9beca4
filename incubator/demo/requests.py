"""The demo's businesses' requests to the city (issue 21): answering bodies, a government day off, and requests
of the demo founder's business in every state, filed through the services as a founder and staff would (so
numbers, due dates, timelines, e-mails and the audit log are what they would be). Made once: a database that
has requests already is left as it is."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from incubator.demo.dating import on
from incubator.extensions import db
from incubator.requests import services
from incubator.requests.enums import (
    AnswerSource,
    BodyKind,
    CalendarDayKind,
    PublicationConsent,
    RequestKind,
)
from incubator.requests.models import BusinessRequest, CalendarDay, RequestCategory

BODIES = [
    ("Phòng Chuyển đổi số, Sở Khoa học và Công nghệ", "Digital Transformation Division, Department of Science "
     "and Technology", BodyKind.DEPARTMENT_UNIT, "cds"),
    ("Cục Thuế thành phố Hà Nội", "Hà Nội Tax Department", BodyKind.OTHER_DEPARTMENT, "cucthue"),
    ("Ủy ban nhân dân quận Cầu Giấy", "Cầu Giấy District People's Committee", BodyKind.DISTRICT, "caugiay"),
]


def _document(name: str):
    """A one-page PDF standing for the body's official letter."""
    from io import BytesIO

    from pypdf import PdfWriter
    from werkzeug.datastructures import FileStorage

    from incubator.uploads import check_pdf

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return check_pdf(FileStorage(buffer, filename=name), "document")


def _category(code: str) -> RequestCategory:
    return db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == code))


def load(company, founder, staff, approver, today: date, domain: str) -> int:
    """``founder`` holds ``company``; ``staff`` works in the incubator; ``approver`` (another member of staff,
    or an administrator) approves the answers ``staff`` drafts. Returns how many rows were made."""
    if db.session.scalar(sa.select(BusinessRequest.id).limit(1)) is not None:
        return 0
    created = services.ensure_default_categories()
    bodies = []
    for name_vi, name_en, kind, local in BODIES:
        bodies.append(services.save_body(None, actor=staff, name_vi=name_vi, name_en=name_en, kind=kind,
                                         contact_email=f"{local}@{domain}"))
    created += len(bodies)
    bridge = date(today.year, 12, 31) if today.month < 12 else date(today.year + 1, 1, 2)
    if db.session.scalar(sa.select(CalendarDay.id).where(CalendarDay.day == bridge)) is None:
        services.add_calendar_day(bridge, CalendarDayKind.DAY_OFF, actor=staff,
                                  note="Nghỉ bù theo thông báo của Bộ Nội vụ (dữ liệu thử nghiệm)")
        created += 1
    cds, tax, district = bodies

    def file(days_ago: int, code: str, title: str, text: str, consent=PublicationConsent.NAMED,
             kind=RequestKind.REQUEST) -> BusinessRequest:
        day = today - timedelta(days=days_ago)
        with on(day, time(8, 30)):
            return services.file(company, actor=founder, kind=kind, category=_category(code), title=title,
                                 text=text, consent=consent, today=day)

    def answer(request, text: str, days_ago: int, source=AnswerSource.STAFF) -> None:
        day = today - timedelta(days=days_ago)
        document = _document("cong-van-tra-loi.pdf") if source is AnswerSource.BODY else None
        with on(day, time(10, 0)):
            services.draft_answer(request, actor=staff, text=text, source=source, document=document)
        with on(day, time(15, 0)):
            services.approve_answer(request, actor=approver, today=day)

    def days(n: int) -> date:
        return today - timedelta(days=n)

    # Filed in the order of their days, so that the numbers follow the calendar.
    named = file(45, "tax_finance", "Hướng dẫn ưu đãi thuế thu nhập doanh nghiệp cho sản phẩm phần mềm",
                 "Doanh nghiệp đề nghị hướng dẫn điều kiện hưởng ưu đãi thuế đối với sản phẩm phần mềm tự sản "
                 "xuất.")
    late = file(40, "premises_land", "Gia hạn hợp đồng thuê mặt bằng tại khu công nghệ",
                "Doanh nghiệp đề nghị được gia hạn hợp đồng thuê mặt bằng thêm 12 tháng.",
                kind=RequestKind.COMPLAINT)
    anonymous = file(35, "human_resources", "Đào tạo kỹ sư trí tuệ nhân tạo cho doanh nghiệp nhỏ",
                     "Công ty chúng tôi (ông Bùi Văn Khánh, giám đốc) đề nghị thành phố mở lớp đào tạo kỹ sư AI.",
                     consent=PublicationConsent.ANONYMISED)
    private = file(25, "administrative_procedures", "Thủ tục cấp chữ ký số cho nhân viên mới",
                   "Doanh nghiệp đề nghị hướng dẫn thủ tục cấp chữ ký số.",
                   consent=PublicationConsent.NOT_PUBLISHED)
    declined = file(20, "other", "Đề nghị miễn phí gửi xe tại tòa nhà",
                    "Doanh nghiệp đề nghị miễn phí gửi xe cho nhân viên.")
    withdrawn = file(12, "digital_infrastructure", "Hỗ trợ máy chủ thử nghiệm",
                     "Doanh nghiệp đề nghị được sử dụng máy chủ thử nghiệm.")
    waiting = file(9, "intellectual_property", "Hỗ trợ đăng ký nhãn hiệu cho sản phẩm phần mềm",
                   "Doanh nghiệp đề nghị được hỗ trợ chi phí đăng ký nhãn hiệu.")
    routed = file(6, "market_procurement", "Tham gia đặt hàng nền tảng số dùng chung của thành phố",
                  "Doanh nghiệp đề nghị được hướng dẫn quy trình tham gia đặt hàng nền tảng số trong nước.")
    duplicate = file(5, "market_procurement", "Đặt hàng nền tảng số (gửi lại)",
                     "Doanh nghiệp gửi lại đề nghị về đặt hàng nền tảng số.")
    # Received, waiting for the staff's triage.
    file(1, "digital_infrastructure", "Đề nghị hỗ trợ kết nối cáp quang tại tòa nhà vườn ươm",
         "Doanh nghiệp đề nghị được hỗ trợ kết nối đường truyền cáp quang tốc độ cao tại tầng 6.")

    # Answered and published with the business's name (the body's letter attached), rated. Each step on the
    # day of the story, so that timelines, the audit log and the feed read those days.
    with on(days(45), time(14, 0)):
        services.route(named, tax, actor=staff)
    answer(named, "Cục Thuế hướng dẫn: sản phẩm phần mềm thuộc danh mục ưu đãi được miễn thuế 4 năm, giảm 50% "
           "trong 9 năm tiếp theo; hồ sơ nộp trực tuyến.", 30, source=AnswerSource.BODY)
    with on(days(30), time(16, 0)):
        services.publish(named, actor=staff)
    with on(days(29), time(9, 0)):
        services.rate(named, actor=founder, satisfied=True, comment="Hướng dẫn rõ ràng, đúng hạn.")
    # Routed, then sent to another body, now overdue.
    with on(days(40), time(14, 0)):
        services.route(late, cds, actor=staff)
    with on(days(38), time(10, 0)):
        services.route(late, district, actor=staff, reason="Mặt bằng do quận quản lý")
    # Answered and published without names, in the version staff prepared.
    with on(days(35), time(14, 0)):
        services.route(anonymous, cds, actor=staff)
    answer(anonymous, "Sở sẽ phối hợp với các trường đại học mở hai lớp đào tạo kỹ sư AI trong quý tới.", 20)
    with on(days(20), time(16, 0)):
        services.prepare_publication(anonymous, actor=staff, title="Đào tạo kỹ sư trí tuệ nhân tạo cho doanh "
                                     "nghiệp nhỏ", text="Một doanh nghiệp đề nghị thành phố mở lớp đào tạo kỹ sư "
                                     "trí tuệ nhân tạo cho các doanh nghiệp nhỏ.")
        services.publish(anonymous, actor=staff)
    with on(days(19), time(9, 0)):
        services.rate(anonymous, actor=founder, satisfied=False, comment="Cần lịch cụ thể hơn.")
    # Answered, not to be published.
    answer(private, "Doanh nghiệp đăng ký trực tuyến qua Cổng dịch vụ công quốc gia.", 18)
    # Declined, withdrawn.
    with on(days(19), time(14, 0)):
        services.decline(declined, actor=staff, reason="Không thuộc phạm vi giải quyết của Sở; đề nghị liên hệ "
                         "ban quản lý tòa nhà.")
    with on(days(11), time(9, 0)):
        services.withdraw(withdrawn, actor=founder, reason="Doanh nghiệp đã tự thuê máy chủ.")
    # Waiting for the business to add information: the clock is paused.
    with on(days(5), time(10, 0)):
        services.ask_information(waiting, actor=staff, question="Đề nghị gửi bản mô tả nhãn hiệu và danh mục "
                                 "sản phẩm dự kiến đăng ký.", today=days(5))
    # Routed to a body, being answered; a duplicate merged into it.
    with on(days(6), time(14, 0)):
        services.route(routed, cds, actor=staff)
    with on(days(5), time(14, 0)):
        services.merge(duplicate, routed, actor=staff, reason="Trùng nội dung")
    db.session.flush()
    return created + 10
