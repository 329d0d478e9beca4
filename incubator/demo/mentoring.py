"""Demonstration of partners and mentoring: agreements, the demo mentor's profile and startups, sessions
(confirmed, one waiting for the founder, one scheduled), and a fund manager with a consenting startup."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from incubator.cohorts.models import Cohort, CohortMember
from incubator.companies.queries import founders_of
from incubator.extensions import db
from incubator.funding import services as funding
from incubator.mentoring import services
from incubator.mentoring.enums import SessionMode, SessionStatus, Topic
from incubator.mentoring.models import Agreement, MentoringSession

AGREEMENTS = [
    ("MISA", "Chương trình cố vấn tài chính – kế toán cho doanh nghiệp khởi nghiệp 2025–2026", date(2025, 7, 1),
     date(2026, 12, 31), "Cố vấn định kỳ về tài chính, kế toán, thuế; đào tạo phần mềm kế toán.", 120),
    ("VINASA", "Chương trình kết nối thị trường và hỗ trợ CMMI/ISO", date(2025, 1, 1), date(2026, 12, 31),
     "Tư vấn quy trình CMMI/ISO, giới thiệu khách hàng doanh nghiệp và cơ quan nhà nước.", 80),
    ("Weangles", "Chương trình sẵn sàng gọi vốn", date(2025, 9, 1), None,
     "Đào tạo và cố vấn gọi vốn, giới thiệu nhà đầu tư thiên thần.", 40),
]
TOPICS_NOTE = [
    ([Topic.FINANCE, Topic.FUNDRAISING], "Lập kế hoạch dòng tiền 12 tháng", "Rà soát chi phí cố định"),
    ([Topic.SALES, Topic.PUBLIC_SECTOR], "Chuẩn bị hồ sơ chào giá cho UBND phường", "Khách hàng cần thời gian thử"),
    ([Topic.FINANCE], "Hoàn thiện báo cáo tài chính quý", "Cần kế toán bán thời gian"),
]


def load(users: dict, partners: dict, now: datetime) -> int:
    if db.session.scalar(sa.select(Agreement.id)) is not None:
        return 0
    staff, mentor, founder, fund_manager = users["canbo"], users["covan"], users["sanglap"], users["quy"]
    for short, programme, start, end, scope, hours in AGREEMENTS:
        services.save_agreement(None, partners[short], actor=staff, programme=programme, starts_on=start,
                                ends_on=end, scope=scope, mentoring_hours=hours)
    services.save_profile(mentor, actor=mentor, topics=[Topic.FINANCE, Topic.FUNDRAISING, Topic.SALES],
                          languages=["vi", "en"], capacity=4,
                          bio="Kế toán trưởng nhiều năm, cố vấn tài chính cho doanh nghiệp công nghệ giai đoạn đầu.")
    members = list(db.session.scalars(sa.select(CohortMember).join(Cohort).where(
        Cohort.name.like("Khóa ươm tạo 2025%")).order_by(CohortMember.id)))[:3]
    for n, member in enumerate(members):
        assignment = services.assign_mentor(member, mentor, actor=staff)
        for k in range(4):
            topics, action, note = TOPICS_NOTE[(n + k) % len(TOPICS_NOTE)]
            starts = datetime(2025, 8, 5 + n, 2, 0, tzinfo=UTC) + timedelta(days=45 * k)  # 09:00 in Hà Nội
            session = MentoringSession(
                assignment_id=assignment.id, mentor_id=mentor.id, partner_id=mentor.partner_id,
                company_id=member.company_id, cohort_id=member.cohort_id, starts_at=starts, minutes=90,
                mode=SessionMode.IN_PERSON, place="Phòng họp tầng 3, Vườn ươm", topics=[t.value for t in topics],
                action_items=action, notes=note, status=SessionStatus.CONFIRMED,
                decided_by_id=founder.id, decided_at=starts + timedelta(days=1))
            db.session.add(session)
    db.session.flush()
    if members:
        # The demo founder's company: a session held last week, waiting for confirmation, and one next week.
        own = next((m for m in members if any(u.id == founder.id for u in founders_of(m.company_id))),
                   members[0])
        assignment = services.assign_mentor(own, mentor, actor=staff)
        services.log_session(assignment, actor=mentor, now=now, starts_at=now - timedelta(days=6), minutes=60,
                             mode=SessionMode.ONLINE, link="https://hop.vuonuom.example/tu-van",
                             topics=[Topic.FUNDRAISING.value], action_items="Gửi bản trình bày gọi vốn đã sửa",
                             notes="Bản trình bày còn dài; cần số liệu khách hàng")
        services.log_session(assignment, actor=mentor, now=now, starts_at=now + timedelta(days=7), minutes=90,
                             mode=SessionMode.IN_PERSON, place="Phòng họp tầng 3, Vườn ươm",
                             topics=[Topic.FINANCE.value], action_items=None, notes=None)
        funding.grant(own.company, partners["Weangles"], actor=founder)
        funding.move(partners["Weangles"].id, own.company, actor=fund_manager, stage="first_meeting",
                     on=date(2026, 10, 15), notes="Đội ngũ tốt; chờ số liệu doanh thu quý IV")
        other = members[-1]
        funding.grant(other.company, partners["Weangles"], actor=founder)
        funding.move(partners["Weangles"].id, other.company, actor=fund_manager, stage="invested",
                     on=date(2026, 6, 30), amount=Decimal(2_000_000_000), instrument="convertible")
    return 1
