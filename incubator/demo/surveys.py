"""The demo's yearly surveys (issue 22) of the main incubator: the survey of 2025, opened in January 2026 and
closed after its deadline, most of its businesses' answers submitted (figures in VND, entered by staff from the
paper forms, the demo's business by its founder); and the survey of 2026, open now, with a few drafts and one
response submitted, the demo founder's business still to answer. Made through the services and dated with
``dating.on``, once: a database that has surveys is left as it is."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from incubator.demo.dating import on
from incubator.extensions import db
from incubator.surveys import services
from incubator.surveys.models import Survey

PRODUCTS = [
    "Nền tảng quản lý văn bản điện tử cho cơ quan nhà nước; ứng dụng tiếp nhận phản ánh hiện trường.",
    "Phần mềm quản lý trang trại thông minh; cảm biến độ ẩm đất kết nối qua mạng di động.",
    "Ứng dụng đặt lịch khám bệnh và hồ sơ sức khỏe điện tử cho phòng khám tư nhân.",
    "Kho học liệu số cho trường phổ thông; hệ thống thi trắc nghiệm trực tuyến.",
    "Bản đồ dữ liệu đô thị; dịch vụ phân tích giao thông cho ban quản lý dự án.",
    "Cổng thanh toán điện tử cho cửa hàng nhỏ; ví điện tử nội bộ doanh nghiệp.",
    "Phần mềm kế toán trên nền tảng đám mây cho doanh nghiệp nhỏ và vừa.",
    "Trợ lý ảo trả lời công dân bằng tiếng Việt; dịch vụ gán nhãn dữ liệu.",
]
DIFFICULTIES = [
    "Khó tuyển kỹ sư có kinh nghiệm; chi phí thuê văn phòng tăng.",
    "Thủ tục tham gia đấu thầu gói phần mềm của cơ quan nhà nước còn phức tạp.",
    "Thiếu vốn để mở rộng thị trường ra các tỉnh lân cận.",
    "Chi phí đánh giá chứng chỉ ISO/IEC 27001 cao so với quy mô doanh nghiệp.",
]
PROPOSALS = [
    "Đề nghị thành phố công bố danh mục bài toán chuyển đổi số để doanh nghiệp khởi nghiệp tham gia.",
    "Đề nghị hỗ trợ một phần chi phí đánh giá chứng chỉ CMMI và ISO cho doanh nghiệp ươm tạo.",
    "Đề nghị vườn ươm tổ chức thêm buổi kết nối với quỹ đầu tư.",
    "",
]
PILLARS = [["government"], ["economy"], ["society"], ["economy", "society"], ["government", "economy"]]
CERTIFICATES = [[], ["iso_9001"], [], ["iso_iec_27001"], [], ["cmmi"], []]


def _answers(survey: Survey, i: int, growth: float = 1.0) -> dict:
    """Plausible answers for the i-th business: revenue in VND (its parts within the total), people, products."""
    total = int((1_200 + 650 * (i % 7) + 180 * (i % 3)) * 1_000_000 * growth)
    software = total * (45 + 5 * (i % 4)) // 100
    services_part = total * (20 + 3 * (i % 5)) // 100
    content = total * (i % 3) * 4 // 100
    exports = total * 12 // 100 if i % 4 == 1 else 0
    employees = 6 + (i * 5) % 26
    by_key = {
        "revenue_total": total, "revenue_software": software, "revenue_digital_content": content,
        "revenue_it_services": services_part, "revenue_exports": exports, "employees_total": employees,
        "employees_it": max(employees - 2 - i % 3, 1), "products": PRODUCTS[i % len(PRODUCTS)],
        "product_pillars": PILLARS[i % len(PILLARS)], "products_on_market": "no" if i % 6 == 5 else "yes",
        "public_sector_customers": (i * 3) % 9, "certificates_held": CERTIFICATES[i % len(CERTIFICATES)] or None,
        "difficulties": DIFFICULTIES[i % len(DIFFICULTIES)], "proposals": PROPOSALS[i % len(PROPOSALS)] or None,
    }
    return {str(q.id): by_key.get(q.key) for q in survey.questions if q.key in by_key}


def load(staff, founder, founders_company, today: date) -> int:
    """``staff`` prepares, opens and closes the surveys and enters paper answers; ``founder`` holds
    ``founders_company`` and answered the survey of 2025 themselves. Returns how many rows were made."""
    if db.session.scalar(sa.select(Survey.id).limit(1)) is not None:
        return 0
    created = 0
    # The survey of 2025: opened on 05/01/2026, to answer by 27/02/2026, closed the day after.
    opened, deadline = date(2026, 1, 5), date(2026, 2, 27)
    if today > deadline:
        with on(date(2025, 12, 22), time(10, 0)):
            past = services.create_survey(actor=staff, year=2025, title_vi="Khảo sát doanh nghiệp và sản phẩm năm "
                                          "2025", title_en="Survey of businesses and their products, 2025",
                                          opens_on=opened, deadline=deadline)
        with on(opened, time(8, 30)):
            responses = services.open_survey(past, actor=staff, today=opened)
        created += 1 + len(past.questions) + len(responses)
        for i, response in enumerate(responses):
            if i % 5 == 4 and response.company_id != founders_company.id:
                continue  # one in five never answered
            day = opened + timedelta(days=7 + (i * 3) % 45)
            actor = founder if response.company_id == founders_company.id else staff
            with on(day, time(14, 0)):
                services.save_draft(response, answers=_answers(past, i), actor=actor, today=day)
                services.submit(response, actor=actor, today=day)
        with on(deadline + timedelta(days=1), time(8, 0)):
            services.close_survey(past, actor=staff, reason="Hết hạn trả lời.")
    # The survey of this year (2026), open since ten days ago, for three weeks and more.
    opens_on = max(today - timedelta(days=10), date(2026, 1, 1))
    with on(opens_on - timedelta(days=7), time(10, 0)):
        current = services.create_survey(actor=staff, year=2026, title_vi="Khảo sát doanh nghiệp và sản phẩm năm "
                                         "2026", title_en="Survey of businesses and their products, 2026",
                                         opens_on=opens_on, deadline=max(today + timedelta(days=25), opens_on))
    with on(opens_on, time(8, 30)):
        responses = services.open_survey(current, actor=staff, today=opens_on)
    created += 1 + len(current.questions) + len(responses)
    others = [r for r in responses if r.company_id != founders_company.id]
    for i, response in enumerate(others[:4]):
        day = min(opens_on + timedelta(days=2 + i), today)
        with on(day, time(15, 0)):
            answers = _answers(current, i, growth=1.18)
            if i > 0:  # drafts: the figures so far
                answers = dict(list(answers.items())[:6])
            services.save_draft(response, answers=answers, actor=staff, today=day)
            if i == 0:
                services.submit(response, actor=staff, today=day)
    return created
