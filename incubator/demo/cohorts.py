"""Demonstration of the programme: a cohort running now, with members' monthly reports (one late), services
delivered, and an upcoming cohort that takes the demo review round's admissions. Invented data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from incubator.cohorts import services
from incubator.cohorts.enums import ProductStatus, Rhythm, ServiceKind
from incubator.cohorts.models import Cohort, ProgressReport
from incubator.cohorts.periods import member_periods
from incubator.extensions import db

RUNNING = "Khóa ươm tạo 2025–2026 (thử nghiệm)"
UPCOMING = "Khóa ươm tạo 2027 (thử nghiệm)"
# Companies of the demo register (their index) with a running incubated residency, and their growth.
MEMBERS = [(4, 40_000_000, 1), (2, 120_000_000, 3), (5, 250_000_000, 5), (7, 15_000_000, 0), (8, 60_000_000, 2),
           (10, 30_000_000, 1)]
HELP = ["Kết nối với Sở Y tế để thí điểm", "Tư vấn pháp lý về dữ liệu cá nhân", "Giới thiệu nhà đầu tư thiên thần",
        "Đào tạo kỹ năng bán hàng cho doanh nghiệp", None]


def load(companies: list, users: dict, partners: dict, review_round_id: int | None, today: date) -> int:
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == RUNNING)) is not None:
        return 0
    staff, founder = users["canbo"], users["sanglap"]
    cohort = services.create_cohort(actor=staff, name=RUNNING, starts_on=date(2025, 7, 1),
                                    ends_on=date(2026, 12, 31), owner_id=staff.id, rhythm=Rhythm.MONTHLY)
    if review_round_id is not None:
        services.create_cohort(actor=staff, name=UPCOMING, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31),
                               owner_id=staff.id, round_id=review_round_id, rhythm=Rhythm.QUARTERLY)
    members = []
    for n, (index, revenue, customers) in enumerate(MEMBERS):
        member = services.admit(cohort, companies[index], actor=staff)
        members.append(member)
        due = [p for p in member_periods(member) if p.due_on < today]
        # The first member (the demo founder's company) is a month behind; the others are up to date.
        written = due[:-1] if n == 0 else due
        for k, period in enumerate(written):
            growth = Decimal(1 + 0.12 * k + 0.03 * n)
            report = ProgressReport(
                member_id=member.id, period_start=period.start, period_end=period.end, due_on=period.due_on,
                revenue=(Decimal(revenue) * growth).quantize(Decimal(1000)), paying_customers=customers + k // 2,
                employees=4 + n + k // 4, product_status=ProductStatus.PILOT if k < 6 else ProductStatus.ON_MARKET,
                funding_raised=Decimal(500_000_000) if (n, k) == (2, 8) else None,
                funding_source="Quỹ đầu tư khởi nghiệp (thử nghiệm)" if (n, k) == (2, 8) else None,
                highlights="Ký thêm hợp đồng thử nghiệm với một khách hàng mới." if k % 3 == 0 else None,
                help_needed=HELP[(n + k) % len(HELP)], created_by_id=founder.id, version=1)
            db.session.add(report)
            db.session.flush()
            services.save_report(report, actor=founder, submit=True,
                                 now=datetime.combine(period.due_on - timedelta(days=2), datetime.min.time(), UTC))
    recipients = [m.company_id for m in members]
    courses = [
        (ServiceKind.TRAINING, "Khóa đào tạo kỹ năng gọi vốn", date(2025, 9, 20), partners.get("Weangles"), 8),
        (ServiceKind.CONSULTING, "Tư vấn xây dựng quy trình theo ISO/IEC 27001", date(2025, 11, 5),
         partners.get("VINASA"), 12),
        (ServiceKind.OFFICE, "Không gian làm việc chung tại Vườn ươm", date(2025, 7, 1), None, None),
        (ServiceKind.TRAINING, "Khóa đào tạo kế toán và thuế cho doanh nghiệp khởi nghiệp", date(2026, 3, 14),
         partners.get("MISA"), 6),
    ]
    for kind, title, day, provider, hours in courses:
        chosen = recipients if kind is not ServiceKind.CONSULTING else recipients[:3]
        services.save_service(None, actor=staff, recipients=chosen, attended=chosen[::2], kind=kind, title=title,
                              delivered_on=day, provider_id=provider.id if provider else None,
                              hours=Decimal(hours) if hours else None, note=None)
    db.session.flush()
    return 1
