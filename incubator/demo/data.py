"""Invented, plausible Vietnamese demonstration data. Every name, tax code and address here is made up.
Loading twice changes nothing: rows are found by their natural keys (tax code, e-mail, partner name)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from incubator import security
from incubator.applications.models import IntakeRound
from incubator.auth.enums import Role
from incubator.auth.models import User, UserRole
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.companies.models import Company, CompanyMember, Residency
from incubator.companies.taxcode import check_digit
from incubator.db import utcnow
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from incubator.partners.enums import PartnerKind
from incubator.partners.models import Partner
from incubator.targets.services import ensure_default_targets

DEMO_PASSWORD = "Vuon-uom-2025-demo"  # noqa: S105 (printed for the demonstration accounts)
DEMO_DOMAIN = "vuonuom.example"


def demo_tax_code(seed: int) -> str:
    """A made-up Hà Nội-style code (01…) that passes the check digit."""
    n = seed
    while True:
        first_nine = f"01{(n * 7919 + 123457) % 10_000_000:07d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"
        n += 1000


PARTNERS = [
    ("Hiệp hội Phần mềm và Dịch vụ CNTT Việt Nam", "VINASA", PartnerKind.ASSOCIATION),
    ("Công ty Cổ phần MISA", "MISA", PartnerKind.SOFTWARE_COMPANY),
    ("Công ty Quản lý quỹ Weangles", "Weangles", PartnerKind.FUND_MANAGER),
]

# (name, is_it, sector, founded, employees, residencies[(kind, start, end)])
INC, PART, SERV, ALUM, OTHER = (ResidencyKind.INCUBATED, ResidencyKind.PARTNER_OFFICE, ResidencyKind.SERVICE_TENANT,
                 ResidencyKind.ALUMNUS, ResidencyKind.OTHER)
COMPANIES = [
    ("Công ty TNHH Công nghệ Sao Khuê Số", True, "Chính quyền số", date(2022, 3, 14), 12,
     [(INC, date(2023, 3, 1), date(2024, 8, 31)), (ALUM, date(2024, 9, 1), None)]),
    ("Công ty Cổ phần Giải pháp Nông nghiệp Thông minh Đồng Xanh", True, "Nông nghiệp số", date(2021, 7, 2), 18,
     [(INC, date(2023, 3, 1), date(2024, 12, 31))]),
    ("Công ty TNHH Ứng dụng Y tế Bách Niên", True, "Y tế số", date(2022, 11, 20), 9,
     [(INC, date(2023, 9, 1), None)]),
    ("Công ty Cổ phần Học liệu Số Tri Thức Việt", True, "Giáo dục số", date(2021, 5, 5), 25,
     [(INC, date(2023, 9, 1), date(2025, 2, 28))]),
    ("Công ty TNHH Dữ liệu Đô thị Thăng Long", True, "Đô thị thông minh", date(2023, 1, 9), 7,
     [(INC, date(2024, 3, 1), None)]),
    ("Công ty Cổ phần Thanh toán Điện tử Hòa Bình Pay", True, "Tài chính số", date(2022, 6, 16), 15,
     [(INC, date(2024, 3, 1), None)]),
    ("Công ty TNHH Phần mềm Kế toán Minh Bạch", True, "Kinh tế số", date(2020, 10, 1), 30,
     [(INC, date(2023, 3, 1), date(2024, 2, 29)), (ALUM, date(2024, 3, 1), date(2025, 6, 30))]),
    ("Công ty TNHH Trí tuệ Nhân tạo Hồng Hà AI", True, "Trí tuệ nhân tạo", date(2023, 4, 12), 11,
     [(INC, date(2024, 9, 1), None)]),
    ("Công ty Cổ phần An ninh Mạng Lá Chắn Việt", True, "An toàn thông tin", date(2022, 8, 8), 14,
     [(INC, date(2024, 9, 1), None)]),
    ("Công ty TNHH Logistics Số Phương Nam Xanh", True, "Logistics", date(2021, 12, 1), 20,
     [(INC, date(2023, 9, 1), date(2025, 8, 31))]),
    ("Công ty TNHH Du lịch Thông minh Hồ Gươm", True, "Du lịch số", date(2023, 2, 27), 6,
     [(INC, date(2025, 3, 1), None)]),
    ("Công ty Cổ phần Nền tảng Việc làm Kết Nối", True, "Xã hội số", date(2022, 5, 19), 10,
     [(INC, date(2025, 3, 1), None)]),
    ("Công ty TNHH Chữ ký số Đông Đô", True, "Chính quyền số", date(2021, 9, 30), 16,
     [(INC, date(2023, 3, 1), date(2024, 8, 31)), (ALUM, date(2024, 9, 1), None)]),
    ("Công ty TNHH Thương mại Điện tử Chợ Quê", True, "Thương mại điện tử", date(2023, 6, 6), 8,
     [(INC, date(2025, 3, 1), None)]),
    ("Công ty Cổ phần IoT Năng lượng Mặt Trời Sáng", True, "Năng lượng", date(2022, 1, 17), 13,
     [(INC, date(2024, 3, 1), date(2025, 8, 31))]),
    ("Công ty TNHH Bản đồ Số Cổ Loa", True, "Đô thị thông minh", date(2023, 8, 21), 5,
     [(INC, date(2025, 9, 1), None)]),
    ("Công ty TNHH Giải pháp Nhân sự Bùi Gia", True, "Kinh tế số", date(2024, 2, 2), 4,
     [(INC, date(2025, 9, 1), None)]),
    ("Công ty Cổ phần Công nghệ Giáo dục Đặng Khoa", True, "Giáo dục số", date(2023, 10, 10), 9,
     [(INC, date(2025, 9, 1), None)]),
    ("Công ty TNHH Dịch vụ Công Trực tuyến Văn Miếu", True, "Chính quyền số", date(2022, 12, 12), 11,
     [(INC, date(2024, 9, 1), None)]),
    ("Công ty TNHH Y tế Từ xa Phúc An", True, "Y tế số", date(2023, 3, 3), 7,
     [(INC, date(2025, 3, 1), None)]),
    # Partners' offices and IT service tenants: IT businesses that are not incubated startups.
    ("Văn phòng đại diện VINASA tại Vườn ươm", True, "Hiệp hội", date(2002, 4, 1), 3,
     [(PART, date(2023, 1, 1), None)]),
    ("Chi nhánh Công ty Cổ phần MISA tại Vườn ươm", True, "Phần mềm", date(1994, 12, 24), 6,
     [(PART, date(2023, 6, 1), None)]),
    ("Công ty TNHH Dịch vụ Điện toán Đám mây Tây Hồ", True, "Hạ tầng CNTT", date(2018, 7, 7), 22,
     [(SERV, date(2023, 1, 1), date(2024, 12, 31))]),
    ("Công ty Cổ phần Gia công Phần mềm Long Biên", True, "Gia công phần mềm", date(2016, 3, 8), 40,
     [(SERV, date(2024, 4, 1), None)]),
    ("Công ty TNHH Kiểm thử Phần mềm Hoàn Kiếm", True, "Kiểm thử phần mềm", date(2019, 5, 15), 12,
     [(SERV, date(2025, 1, 1), None)]),
    # Non-IT tenants: in neither the numerator nor the denominator of the 70 % ratio.
    ("Công ty TNHH Tư vấn Luật Ngọc Hà", False, "Dịch vụ pháp lý", date(2015, 9, 9), 8,
     [(SERV, date(2023, 1, 1), None)]),
    ("Công ty TNHH Kế toán Thuế Ba Đình", False, "Kế toán", date(2017, 11, 11), 6,
     [(SERV, date(2023, 6, 1), date(2025, 5, 31))]),
    ("Công ty TNHH Cà phê Sách Trúc Bạch", False, "Dịch vụ ăn uống", date(2020, 2, 20), 5,
     [(OTHER, date(2024, 1, 1), None)]),
    # Applicants not (yet) in the building.
    ("Công ty TNHH Robot Giáo dục Nguyễn Trãi", True, "Giáo dục số", date(2024, 6, 1), 3, []),
    ("Công ty TNHH Nông sản Sạch Mê Linh", False, "Nông nghiệp", date(2023, 5, 5), 9, []),
]

# (company index, decision, decided on, cohort, product, evidence, url, pillars)
G, X, W = "graduated", "extended", "withdrawn"
OUTCOMES = [
    (0, G, date(2024, 8, 30), "Khóa ươm tạo 2023", "Cổng tiếp nhận phản ánh hiện trường cho phường",
     "Hợp đồng triển khai với UBND phường Dịch Vọng Hậu", None, ["government"]),
    (1, G, date(2024, 12, 20), "Khóa ươm tạo 2023", "Ứng dụng truy xuất nguồn gốc nông sản",
     "120 hợp tác xã trả phí thuê bao", "https://dongxanh.vuonuom.example", ["economy", "society"]),
    (6, G, date(2024, 2, 27), "Khóa ươm tạo 2023", "Phần mềm kế toán cho hộ kinh doanh",
     "Hơn 800 hộ kinh doanh đang dùng bản trả phí", None, ["economy"]),
    (12, G, date(2024, 8, 30), "Khóa ươm tạo 2023", "Dịch vụ chữ ký số từ xa",
     "Hợp đồng với hai sở, ngành của thành phố", None, ["government", "economy"]),
    (3, G, date(2025, 2, 26), "Khóa ươm tạo 2023–2024", "Kho học liệu số cho trường THCS",
     None, "https://trithuc.vuonuom.example/khach-hang", ["society"]),
    (9, G, date(2025, 8, 29), "Khóa ươm tạo 2023–2024", "Nền tảng điều phối giao hàng chặng cuối",
     "", None, ["economy"]),  # graduated, but no market evidence recorded yet: not counted
    (14, G, date(2025, 8, 29), "Khóa ươm tạo 2024", "Bộ điều khiển IoT cho điện mặt trời áp mái",
     "Hợp đồng cung cấp cho 3 khu công nghiệp", None, []),  # no pillar recorded: not counted
    (2, X, date(2025, 8, 29), "Khóa ươm tạo 2023–2024", None, None, None, []),
    (15, W, date(2025, 12, 15), "Khóa ươm tạo 2025", None, None, None, []),
]

USERS = [
    (Role.ADMIN, "admin", "Trần Quang Huy", None),
    (Role.STAFF, "canbo", "Nguyễn Thị Thu Hà", None),
    (Role.REVIEWER, "chuyengia", "Lê Minh Tuấn", None),
    (Role.MENTOR, "covan", "Phạm Đức Anh", "MISA"),
    (Role.FUND_MANAGER, "quy", "Đỗ Hải Yến", "Weangles"),
    (Role.FOUNDER, "sanglap", "Bùi Văn Khánh", None),
    (Role.OFFICIAL, "sotttt", "Hoàng Thị Lan", None),
]


def _get_or_create(model, where: dict, **values):
    row = db.session.scalar(sa.select(model).filter_by(**where))
    if row is not None:
        return row, False
    row = model(**where, **values)
    db.session.add(row)
    return row, True


def load() -> dict:
    """The demo's main incubator (VUHN) first, each of its rows made inside ``use_incubator(VUHN)``, then the
    second, smaller one (HL, ``demo/second.py``)."""
    from incubator.organisation.current import use_incubator

    with use_incubator(_main_incubator()):
        summary = _load_main()
    from incubator.demo import second

    by_local = {u.email.split("@")[0]: u for u in db.session.scalars(sa.select(User))}
    created, logins = second.load(summary.pop("companies_rows"), by_local, summary.pop("partners_rows"),
                                  DEMO_PASSWORD, DEMO_DOMAIN)
    created += ensure_default_targets()  # the city's targets, and HL's copies of them
    from incubator.demo import catalogue as catalogue_demo

    by_local = {u.email.split("@")[0]: u for u in db.session.scalars(sa.select(User))}
    created += catalogue_demo.load(by_local["canbo"], by_local["sanglap"], by_local.get("canbo.hl"))
    summary["created"] += created
    summary["logins"] += logins
    summary["users"] += len(logins)
    for key, count in second.sizes().items():
        summary[key] += count
    summary["incubators"] = 2
    db.session.flush()
    return summary


def _main_incubator():
    from incubator.organisation.models import Incubator
    from incubator.organisation.services import DEFAULT_CODE, ensure_default

    return (db.session.scalar(sa.select(Incubator).where(Incubator.code == DEFAULT_CODE)) or ensure_default()
            or db.session.scalar(sa.select(Incubator).order_by(Incubator.id).limit(1)))


def _load_main() -> dict:
    created = 0
    partners = {}
    for i, (name, short, kind) in enumerate(PARTNERS):
        partner, new = _get_or_create(Partner, {"name": name}, short_name=short, kind=kind,
                                      tax_code=demo_tax_code(900 + i),
                                      contact_email=f"lienhe@{short.lower()}.{DEMO_DOMAIN}")
        partners[short] = partner
        created += new
    db.session.flush()

    companies = []
    residency_count = 0
    for i, (name, is_it, sector, founded, employees, residencies) in enumerate(COMPANIES):
        company, new = _get_or_create(Company, {"tax_code": demo_tax_code(i + 1)}, name=name, is_it=is_it,
                                      sector=sector, founded_on=founded, employees=employees,
                                      address=f"Tầng {i % 9 + 2}, Tòa nhà Vườn ươm, Cầu Giấy, Hà Nội",
                                      verified_at=utcnow())  # entered by the incubator's staff
        created += new
        companies.append(company)
        db.session.flush()
        for kind, start, end in residencies:
            _row, new = _get_or_create(Residency, {"company_id": company.id, "kind": kind, "starts_on": start},
                                       ends_on=end)
            created += new
            residency_count += 1

    for index, decision, decided_on, cohort, product, evidence, url, pillars in OUTCOMES:
        outcome, new = _get_or_create(
            GraduationOutcome, {"company_id": companies[index].id, "decision": Decision(decision),
                                "decided_on": decided_on},
            cohort_name=cohort, product=product, evidence_text=evidence or None, evidence_url=url)
        if new:
            outcome.pillars = pillars
            created += 1

    logins = []
    password_hash = None
    for role, local, full_name, partner_short in USERS:
        email = f"{local}@{DEMO_DOMAIN}"
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or security.hash_password(DEMO_PASSWORD)
            user = User(email=email, full_name=full_name, password_hash=password_hash,
                        email_verified_at=utcnow(), password_changed_at=utcnow(),
                        partner=partners.get(partner_short) if partner_short else None)
            user.role_rows.append(UserRole(role=role))
            db.session.add(user)
            db.session.flush()
            created += 1
        if role is Role.FOUNDER:  # ensured on every run: the demo founder always holds a company's file
            _member, new = _get_or_create(CompanyMember, {"company_id": companies[4].id, "user_id": user.id},
                                          status=MembershipStatus.APPROVED, position="Giám đốc",
                                          decided_at=utcnow())
            created += new
        logins.append((role.value, email))

    created += _demo_round()
    from incubator.demo import reviews as review_demo

    created += review_demo.load([c for c in companies if c.is_it], DEMO_PASSWORD, DEMO_DOMAIN)
    from incubator.demo import cohorts as cohort_demo

    by_local = {u.email.split("@")[0]: u for u in db.session.scalars(sa.select(User))}
    review_round = db.session.scalar(sa.select(IntakeRound.id)
                                     .where(IntakeRound.name_vi == review_demo.REVIEW_ROUND_VI))
    created += cohort_demo.load(companies, by_local, partners, review_round, local_today())
    from incubator.demo import mentoring as mentoring_demo

    created += mentoring_demo.load(by_local, partners, utcnow())
    from incubator.demo import requests as requests_demo

    created += requests_demo.load(companies[4], by_local["sanglap"], by_local["canbo"], by_local["admin"],
                                  local_today(), DEMO_DOMAIN)
    from incubator.demo import dialogue as dialogue_demo

    created += dialogue_demo.load(by_local["canbo"], by_local["admin"], local_today(), DEMO_DOMAIN)
    from incubator.demo import surveys as surveys_demo

    created += surveys_demo.load(by_local["canbo"], by_local["sanglap"], companies[4], local_today())
    from incubator.demo import certificates as certificates_demo

    created += certificates_demo.load(by_local["canbo"], by_local["sanglap"], companies[4], local_today())
    created += ensure_default_targets()
    from incubator.reports.services import ensure_default_names

    created += ensure_default_names()  # the bodies' names a report prints, with the dates of the 2025 merger
    db.session.flush()
    return {"partners": len(partners), "companies": len(companies), "residencies": residency_count,
            "outcomes": len(OUTCOMES),
            "users": len(USERS), "created": created, "logins": logins, "companies_rows": companies,
            "partners_rows": partners}


DEMO_ROUND_VI = "Đợt tuyển chọn doanh nghiệp khởi nghiệp sáng tạo (thử nghiệm)"


def _demo_round() -> int:
    """One round open now (dated from the day the demo is loaded), so the applying flow can be tried."""
    from datetime import timedelta

    from incubator.applications.enums import QuestionKind
    from incubator.applications.models import IntakeRound, RoundDocument, RoundQuestion

    if db.session.scalar(sa.select(IntakeRound.id).where(IntakeRound.name_vi == DEMO_ROUND_VI)) is not None:
        return 0
    now = utcnow()
    intake_round = IntakeRound(
        name_vi=DEMO_ROUND_VI, name_en="Innovative startup intake (demonstration)",
        description_vi="Dành cho doanh nghiệp CNTT khởi nghiệp có sản phẩm phục vụ chính quyền số, kinh tế số "
                       "hoặc xã hội số của Thủ đô.",
        description_en="For IT startups whose products serve the capital's digital government, economy or society.",
        opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=30), cohort_name="Khóa ươm tạo thử nghiệm")
    questions = [
        (QuestionKind.TEXT, "Tên sản phẩm hoặc dịch vụ", "Product or service", True, 200, []),
        (QuestionKind.LONG_TEXT, "Sản phẩm giải quyết vấn đề gì, cho ai?", "What problem does it solve, for whom?",
         True, 3000, []),
        (QuestionKind.MULTIPLE_CHOICE, "Trụ cột chuyển đổi số phục vụ", "Digital pillars served", True, None,
         [{"value": "c1", "label_vi": "Chính quyền số", "label_en": "Digital government"},
          {"value": "c2", "label_vi": "Kinh tế số", "label_en": "Digital economy"},
          {"value": "c3", "label_vi": "Xã hội số", "label_en": "Digital society"}]),
        (QuestionKind.MONEY, "Vốn đã huy động (đồng)", "Funding raised so far (VND)", False, None, []),
        (QuestionKind.URL, "Trang giới thiệu sản phẩm", "Product web page", False, None, []),
    ]
    for position, (kind, label_vi, label_en, required, max_length, choices) in enumerate(questions, start=1):
        intake_round.questions.append(RoundQuestion(position=position, kind=kind, label_vi=label_vi,
                                                    label_en=label_en, required=required, max_length=max_length,
                                                    choices=choices))
    intake_round.documents.append(RoundDocument(position=1, name_vi="Kế hoạch kinh doanh",
                                                name_en="Business plan", required=True))
    intake_round.documents.append(RoundDocument(position=2, name_vi="Giấy chứng nhận đăng ký doanh nghiệp",
                                                name_en="Business registration certificate", required=False))
    db.session.add(intake_round)
    db.session.flush()
    return 1
