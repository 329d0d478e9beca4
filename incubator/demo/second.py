"""The demonstration's second, smaller incubator (HL): one intake round, closed and decided; one cohort of the
round's accepted startups, with MISA's mentor (whose partner has an agreement with both incubators) and
sessions; a graduate; its own staff member. One business sits in both incubators: incubated in VUHN (an
alumnus there now), a service tenant in HL since 2025. Invented data; every row is made inside
``use_incubator(HL)`` so it belongs to HL. Loading twice changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from incubator import security
from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import Application, IntakeRound, RoundQuestion
from incubator.auth.enums import Role
from incubator.auth.models import User, UserRole
from incubator.cohorts import services as cohorts
from incubator.cohorts.enums import Rhythm
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.db import utcnow
from incubator.extensions import db
from incubator.mentoring import services as mentoring
from incubator.mentoring.enums import SessionMode, SessionStatus, Topic
from incubator.mentoring.models import Agreement, MentoringSession
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome

CODE = "HL"
NAME_VI = "Vườn ươm CNTT Hòa Lạc"
NAME_EN = "Hòa Lạc ICT incubator"
ADDRESS = "Khu Công nghệ cao Hòa Lạc, Thạch Thất, Hà Nội"
# The organisation that runs it (the issuing body its reports print) and what its reports' numbers end with.
OPERATOR_VI = "Trung tâm Ươm tạo Doanh nghiệp Công nghệ cao Hòa Lạc"
OPERATOR_EN = "Hòa Lạc High-Tech Business Incubation Centre"
NUMBER_SUFFIX = "BC-VƯHL"
STAFF = ("canbo.hl", "Trịnh Văn Long")
ROUND_VI = "Đợt tuyển chọn khởi nghiệp Hòa Lạc năm 2025 (thử nghiệm)"
COHORT = "Khóa ươm tạo Hòa Lạc 2025–2026 (thử nghiệm)"
# The VUHN demo company (its index in data.COMPANIES) that is also a service tenant in HL.
SHARED_INDEX = 0
SHARED_RESIDENCY = (ResidencyKind.SERVICE_TENANT, date(2025, 1, 1))

INC, ALUM = ResidencyKind.INCUBATED, ResidencyKind.ALUMNUS
# (name, sector, founded, employees, application: accepted / rejected / None, residencies)
COMPANIES = [
    ("Công ty TNHH Thiết kế Vi mạch Tản Viên", "Vi mạch bán dẫn", date(2023, 5, 10), 6, "accepted", []),
    ("Công ty Cổ phần Nông nghiệp Chính xác Ba Vì", "Nông nghiệp số", date(2024, 1, 15), 5, "accepted", []),
    ("Công ty TNHH Phân tích Dữ liệu Thạch Thất", "Dữ liệu lớn", date(2023, 11, 2), 4, "accepted", []),
    ("Công ty TNHH Thực tế Ảo Xứ Đoài", "Du lịch số", date(2024, 3, 20), 3, "rejected", []),
    ("Công ty TNHH Robot Tự hành Hòa Lạc", "Tự động hóa", date(2022, 4, 4), 10, None,
     [(INC, date(2023, 7, 1), date(2025, 6, 30)), (ALUM, date(2025, 7, 1), None)]),
]
PRODUCTS = ["Lõi vi mạch cảm biến cho thiết bị IoT", "Tưới tiêu tự động theo dữ liệu độ ẩm đất",
            "Phân tích dữ liệu bán lẻ cho hộ kinh doanh", "Tham quan làng cổ Đường Lâm bằng thực tế ảo"]
OUTCOME = (4, Decision.GRADUATED, date(2025, 6, 27), "Khóa ươm tạo Hòa Lạc 2023", "Xe tự hành chở hàng trong nhà máy",
           "Hợp đồng cung cấp cho hai nhà máy tại Khu Công nghệ cao Hòa Lạc", ["economy"])
AGREEMENT = ("MISA", "Chương trình cố vấn tài chính cho doanh nghiệp khởi nghiệp Hòa Lạc 2025–2026",
             date(2025, 7, 1), date(2026, 6, 30), "Cố vấn tài chính, kế toán và thuế tại Hòa Lạc.", 40)


def sizes() -> dict:
    """What HL adds to the demo's summary: its businesses, residencies (the shared business's and the admitted
    startups' included) and outcomes."""
    admitted = sum(1 for spec in COMPANIES if spec[4] == "accepted")
    return {"companies": len(COMPANIES), "residencies": sum(len(spec[5]) for spec in COMPANIES) + 1 + admitted,
            "outcomes": 1}


def tax_code(n: int) -> str:
    from incubator.demo.data import demo_tax_code

    return demo_tax_code(400 + n)


def _incubator(actor) -> tuple[Incubator, int]:
    incubator = db.session.scalar(sa.select(Incubator).where(Incubator.code == CODE))
    if incubator is not None:
        return incubator, 0
    incubator = organisation.create(CODE, NAME_VI, NAME_EN, ADDRESS, actor=actor, operator_vi=OPERATOR_VI,
                                    operator_en=OPERATOR_EN)  # its names: VUHN's in force, its own issuing body
    incubator.report_number_suffix = NUMBER_SUFFIX
    return incubator, 1


def _user(local: str, full_name: str, role: Role, incubator: Incubator, password: str, domain: str) -> tuple:
    email = f"{local}@{domain}"
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is not None:
        return user, 0
    user = User(email=email, full_name=full_name, password_hash=security.hash_password(password),
                email_verified_at=utcnow(), password_changed_at=utcnow())
    user.role_rows.append(UserRole(role=role, incubator_id=incubator.id))
    db.session.add(user)
    db.session.flush()
    return user, 1


def load(vuhn_companies: list, users: dict, partners: dict, password: str, domain: str) -> tuple[int, list]:
    """Returns the rows created and the logins to print."""
    from incubator.demo.data import _get_or_create

    hl, created = _incubator(users["admin"])
    staff, new = _user(*STAFF, Role.STAFF, hl, password, domain)
    created += new
    mentor = users["covan"]  # MISA's mentor works in both incubators
    if Role.MENTOR not in mentor.roles_in(hl.id):
        mentor.role_rows.append(UserRole(role=Role.MENTOR, incubator_id=hl.id))
        db.session.flush()
        created += 1
    logins = [(f"{Role.STAFF.value} ({CODE})", staff.email)]
    with use_incubator(hl):
        companies = []
        for i, (name, sector, founded, employees, _decision, residencies) in enumerate(COMPANIES):
            company, new = _get_or_create(Company, {"tax_code": tax_code(i)}, name=name, is_it=True, sector=sector,
                                          founded_on=founded, employees=employees,
                                          address=f"Lô {i + 3}, {ADDRESS}", verified_at=utcnow())
            created += new
            companies.append(company)
            db.session.flush()
            for kind, start, end in residencies:
                _row, new = _get_or_create(Residency, {"company_id": company.id, "kind": kind, "starts_on": start,
                                                       "incubator_id": hl.id}, ends_on=end)
                created += new
        shared = vuhn_companies[SHARED_INDEX]
        kind, start = SHARED_RESIDENCY
        _row, new = _get_or_create(Residency, {"company_id": shared.id, "kind": kind, "starts_on": start,
                                               "incubator_id": hl.id}, ends_on=None)
        created += new
        index, decision, decided_on, cohort_name, product, evidence, pillars = OUTCOME
        outcome, new = _get_or_create(GraduationOutcome, {"company_id": companies[index].id, "decision": decision,
                                                          "decided_on": decided_on, "incubator_id": hl.id},
                                      cohort_name=cohort_name, product=product, evidence_text=evidence)
        if new:
            outcome.pillars = pillars
            created += 1
        db.session.flush()
        created += _round_and_cohort(companies, staff, mentor, partners, users["sanglap"])
    return created, logins


def _round_and_cohort(companies: list, staff, mentor, partners: dict, founder) -> int:
    if db.session.scalar(sa.select(IntakeRound.id).where(IntakeRound.name_vi == ROUND_VI)) is not None:
        return 0
    decided_at = datetime(2025, 5, 20, 3, 0, tzinfo=UTC)
    intake_round = IntakeRound(
        name_vi=ROUND_VI, name_en="Hòa Lạc startup intake 2025 (demonstration)",
        description_vi="Đợt đã đóng và đã có kết quả.", description_en="Closed and decided.",
        opens_at=datetime(2025, 3, 1, 1, 0, tzinfo=UTC), closes_at=datetime(2025, 4, 15, 16, 59, tzinfo=UTC),
        cohort_name=COHORT)
    question = RoundQuestion(position=1, kind=QuestionKind.TEXT, label_vi="Tên sản phẩm hoặc dịch vụ",
                             label_en="Product or service", required=True, max_length=200)
    intake_round.questions.append(question)
    db.session.add(intake_round)
    db.session.flush()
    accepted = []
    for i, (company, spec, product) in enumerate(zip(companies, COMPANIES, PRODUCTS, strict=False), start=1):
        status = ApplicationStatus.ACCEPTED if spec[4] == "accepted" else ApplicationStatus.REJECTED
        application = Application(
            round_id=intake_round.id, company_id=company.id, created_by_id=founder.id, status=status,
            reference=f"HL-2025-{i:04d}", answers={str(question.id): product}, is_public_company=False,
            employees=company.employees, submitted_at=datetime(2025, 4, 1 + i, 2, 0, tzinfo=UTC),
            eligibility_summary="passed", decided_at=decided_at)
        db.session.add(application)
        if status is ApplicationStatus.ACCEPTED:
            accepted.append(application)
    db.session.flush()
    cohort = cohorts.create_cohort(actor=staff, name=COHORT, starts_on=date(2025, 7, 1), ends_on=date(2026, 6, 30),
                                   owner_id=staff.id, round_id=intake_round.id, rhythm=Rhythm.QUARTERLY)
    members = [cohorts.admit(cohort, application.company, actor=staff, application=application)
               for application in accepted]
    short, programme, start, end, scope, hours = AGREEMENT
    if db.session.scalar(sa.select(Agreement.id).where(Agreement.programme == programme)) is None:
        mentoring.save_agreement(None, partners[short], actor=staff, programme=programme, starts_on=start,
                                 ends_on=end, scope=scope, mentoring_hours=hours)
    for n, member in enumerate(members[:2]):
        assignment = mentoring.assign_mentor(member, mentor, actor=staff)
        for k in range(2):
            starts = datetime(2025, 8, 12 + n, 7, 0, tzinfo=UTC) + timedelta(days=60 * k)  # 14:00 in Hà Nội
            db.session.add(MentoringSession(
                assignment_id=assignment.id, mentor_id=mentor.id, partner_id=mentor.partner_id,
                company_id=member.company_id, cohort_id=cohort.id, starts_at=starts, minutes=60,
                mode=SessionMode.ONLINE, link="https://hop.vuonuom.example/hoa-lac",
                topics=[Topic.FINANCE.value], action_items="Lập dự toán chi phí sáu tháng", notes=None,
                status=SessionStatus.CONFIRMED, decided_by_id=founder.id, decided_at=starts + timedelta(days=1)))
    db.session.flush()
    return 1
