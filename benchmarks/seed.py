"""Invented, plausible data for the benchmark, written in bulk (PostgreSQL's COPY; on SQLite, SQLAlchemy Core
``insert()`` with lists of dicts, i.e. executemany) into a fresh database whose schema the migrations made.

Scale 1 is about a real year of the programme: 40 businesses (by valid tax codes, Vietnamese names), 200
applications in 5 intake rounds with a review stage each (a panel of 10, three reviews per application, the
six-criterion rubric), 3 cohorts of 8 startups with monthly progress reports, 3 partners (VINASA, MISA,
Weangles) with agreements, 12 mentors and 1,000 mentoring sessions, services delivered, a fund's pipeline,
and residencies over the last 12 quarters.

Scale 100 has 100 times the rows (4,000 businesses, 20,000 applications, 100,000 sessions …): ten times as
many rounds, stages, cohorts, partners and reviewers, each ten times as full (a round of 400 applications,
a stage ranking about 350, a cohort of 80 startups, a partner with 60 mentors and 5,000 sessions). Every
table grows 100 times, and every page's own object 10 times: an incubator a hundred times busier.

``seed(scale, today, incubators)`` with several incubators (1000× is ten incubators of 100×): the default
one (VUHN) and HN2, HN3 … made by ``organisation.services.create``, each given the data of ``scale``; the
administrator and the Department's official once, every other account (canbo@hn2.vuonuom.example …) and row
in its incubator. Every table's rows are written in chunks with executemany and let go incubator by
incubator, so that ten incubators of 100× need no more memory than one.

Every name, tax code and address is made up. Nothing here goes through the services (that would take hours
at scale 100); the rows are those the services would write.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from incubator import models as m
from incubator.applications.eligibility import SectorKind
from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.auth.enums import ROLES_IN_AN_INCUBATOR, Role
from incubator.cohorts.enums import MemberStatus, ProductStatus, ReportStatus, Rhythm, ServiceKind
from incubator.cohorts.periods import periods
from incubator.companies import presence
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.companies.taxcode import invented as tax_code
from incubator.extensions import db
from incubator.funding.enums import Instrument, PipelineStage
from incubator.mentoring.enums import SessionMode, SessionStatus, Topic
from incubator.outcomes.enums import Decision as Outcome
from incubator.partners.enums import PartnerKind
from incubator.reviews import ranking, standings
from incubator.reviews.enums import AssignmentStatus, Decision, ReviewStatus
from incubator.reviews.rubric import DEFAULT_RUBRIC
from incubator.text import fold, vietnamese_sort_key

PASSWORD = "Vuon-uom-benchmark-2026"  # noqa: S105 (invented accounts of a throw-away database)
STAFF_EMAIL = "canbo@vuonuom.example"
OFFICIAL_EMAIL = "sotttt@vuonuom.example"
HANOI = timedelta(hours=7)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Hữu", "Thanh", "Hải", "Xuân", "Kim", "Bảo"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hằng", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Trung",
         "Tuấn", "Vân", "Yến", "Đạt", "Khoa", "Thắng", "Uyên", "Vy", "Lộc"]
FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH Một thành viên"]
TRADES = ["Công nghệ", "Giải pháp Số", "Phần mềm", "Dữ liệu", "Trí tuệ Nhân tạo", "Công nghệ Giáo dục",
          "Y tế Số", "Thanh toán Điện tử", "Nông nghiệp Thông minh", "An ninh Mạng", "Đô thị Thông minh",
          "Thương mại Điện tử", "Chuỗi khối", "Điện toán Đám mây", "IoT", "Bản đồ Số", "Du lịch Thông minh",
          "Logistics Số", "Nhân sự Số", "Dịch vụ Công Trực tuyến"]
NON_IT_TRADES = ["Tư vấn Luật", "Kế toán Thuế", "Cà phê Sách", "Thiết kế Nội thất", "In ấn Quảng cáo"]
SYLLABLES = ["Sao", "Khuê", "Thăng", "Long", "Hồng", "Hà", "Đông", "Đô", "Bách", "Niên", "Tri", "Thức", "Việt",
             "Hòa", "Bình", "Minh", "Bạch", "Phương", "Nam", "Xanh", "Kim", "Ngân", "Tây", "Hồ", "Văn", "Miếu",
             "Cổ", "Loa", "Phúc", "An", "Trúc", "Lạc", "Hưng", "Thịnh", "Gia", "Khang", "Tâm", "Đức", "Tín",
             "Nghĩa", "Sen", "Mai", "Lam", "Sơn", "Thủy", "Ngọc", "Hải", "Vân", "Quang", "Trung", "Tiến", "Đạt"]
SECTORS = ["Chính quyền số", "Kinh tế số", "Xã hội số", "Y tế số", "Giáo dục số", "Tài chính số", "Nông nghiệp số",
           "Đô thị thông minh", "Trí tuệ nhân tạo", "An toàn thông tin", "Thương mại điện tử", "Logistics"]
STREETS = ["Duy Tân", "Trần Thái Tông", "Xuân Thủy", "Hoàng Quốc Việt", "Nguyễn Phong Sắc", "Tôn Thất Thuyết",
           "Phạm Hùng", "Láng Hạ", "Thái Hà", "Kim Mã", "Liễu Giai", "Đội Cấn", "Nguyễn Chí Thanh", "Trần Duy Hưng"]
DISTRICTS = ["Cầu Giấy", "Ba Đình", "Đống Đa", "Nam Từ Liêm", "Bắc Từ Liêm", "Thanh Xuân", "Hai Bà Trưng",
             "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Hoàng Mai", "Hà Đông"]
PRODUCTS = ["Cổng tiếp nhận phản ánh hiện trường", "Ứng dụng truy xuất nguồn gốc nông sản", "Nền tảng học trực tuyến",
            "Phần mềm quản lý phòng khám", "Ví điện tử cho hộ kinh doanh", "Hệ thống giám sát giao thông",
            "Trợ lý ảo tra cứu thủ tục hành chính", "Sàn giao dịch việc làm", "Nền tảng điều phối giao hàng",
            "Bộ điều khiển IoT cho điện mặt trời", "Phần mềm kế toán cho hộ kinh doanh", "Dịch vụ chữ ký số từ xa"]


def split_scale(scale: int) -> tuple[int, float]:
    """Scale = containers × fill: 1 → (1, 1), 100 → (10, 10)."""
    containers = max(1, round(math.sqrt(scale)))
    return containers, scale / containers


def local_instant(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A time of day in Hà Nội, as the UTC instant the database keeps."""
    return datetime.combine(day, time(hour, minute), UTC) - HANOI


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


class Seeder:
    def __init__(self, scale: int, today: date, password_hash: str, *, incubator_id: int | None = None,
                 number: int = 0, code: str = "VU", ids: dict[str, int] | None = None):
        self.scale = scale
        # The incubator whose rows these are (every scoped table's ``incubator_id``), its place among those
        # seeded (0: the first, which keeps today's names and accounts) and its code (application references).
        self.incubator_id, self.number, self.code = incubator_id, number, code
        self.containers, self.fill = split_scale(scale)
        self.today = today
        self.now = datetime.now(UTC)
        self.rng = random.Random(2026)  # noqa: S311 (invented data, not secrets)
        self.password_hash = password_hash
        self.rows: dict[str, list[dict]] = defaultdict(list)
        # The last id of each table, shared by the incubators seeded into one database.
        self.ids: dict[str, int] = ids if ids is not None else defaultdict(int)
        # The first quarter of the 12 the dashboard shows (its last day is the first point).
        q_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        self.start = add_months(q_start, -3 * 12)
        self.bench: dict = {}

    # ---- helpers ------------------------------------------------------------------------------------------

    def n(self, base: float) -> int:
        """A per-container count, grown by the fill."""
        return max(1, round(base * self.fill))

    def add(self, table: str, **row) -> int:
        self.ids[table] += 1
        row["id"] = self.ids[table]
        self.rows[table].append(row)
        return row["id"]

    def person(self) -> str:
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def brand(self) -> str:
        a, b = self.rng.sample(SYLLABLES, 2)
        return f"{a} {b}"

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def user(self, email: str, full_name: str, *roles: Role, partner_id: int | None = None) -> int:
        created = local_instant(self.start, 8)
        uid = self.add("users", email=email, full_name=full_name, name_folded=fold(full_name),
                       password_hash=self.password_hash, active=True, email_verified_at=created, locale=None,
                       partner_id=partner_id, created_at=created, updated_at=None, last_login_at=None,
                       password_changed_at=created, version_id=1)
        for role in roles:
            self.rows["user_roles"].append({"user_id": uid, "role": role, "granted_at": created, "incubator_id":
                                            self.incubator_id if role in ROLES_IN_AN_INCUBATOR else None})
        return uid

    # ---- the data -----------------------------------------------------------------------------------------

    def build(self) -> None:
        self.people()
        self.partners()
        self.companies()
        self.rounds()
        self.cohorts()
        self.mentoring()
        self.services()
        self.funding()

    def people(self) -> None:
        # The administrator and the Department's official read the whole network: the first incubator's seeding
        # makes them. Another incubator's accounts carry its number (canbo@hn2.vuonuom.example …).
        here = "" if self.number == 0 else f"{self.code.lower()}."
        if self.number == 0:
            self.admin = self.user("quantri@vuonuom.example", "Trần Quang Huy", Role.ADMIN)
        self.staff = [self.user(f"canbo@{here}vuonuom.example", "Nguyễn Thị Thu Hà", Role.STAFF)]
        for i in range(2):
            self.staff.append(self.user(f"canbo{i + 2}@{here}vuonuom.example", self.person(), Role.STAFF))
        if self.number == 0:
            self.user(OFFICIAL_EMAIL, "Hoàng Thị Lan", Role.OFFICIAL)
        self.reviewers = [self.user(f"chuyengia{i + 1}@{here}chuyengia.example", self.person(), Role.REVIEWER)
                          for i in range(10 * self.containers)]

    def partners(self) -> None:
        self.partner_ids, self.mentors_of, self.fund_ids, self.fund_people = [], {}, [], []
        programmes = [("Chương trình phối hợp phát triển vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà "
                       "Nội giai đoạn 2024–2025", date(2024, 1, 1), date(2025, 12, 31)),
                      ("Chương trình phối hợp phát triển vườn ươm giai đoạn 2026–2027", date(2026, 1, 1),
                       date(2027, 12, 31))]
        for g in range(self.containers):
            if g == 0 and self.number == 0:
                trio = [("Hiệp hội Phần mềm và Dịch vụ CNTT Việt Nam", "VINASA", PartnerKind.ASSOCIATION),
                        ("Công ty Cổ phần MISA", "MISA", PartnerKind.SOFTWARE_COMPANY),
                        ("Công ty Quản lý quỹ Weangles", "Weangles", PartnerKind.FUND_MANAGER)]
            else:
                b1, b2, b3 = self.brand(), self.brand(), self.brand()
                trio = [(f"Hiệp hội Doanh nghiệp Số {b1} ({g})", None, PartnerKind.ASSOCIATION),
                        (f"Công ty Cổ phần Phần mềm {b2} ({g})", None, PartnerKind.SOFTWARE_COMPANY),
                        (f"Công ty Quản lý quỹ {b3} Capital ({g})", None, PartnerKind.FUND_MANAGER)]
                if self.number:
                    trio = [(f"{name} – {self.code}", short, kind) for name, short, kind in trio]
            for name, short, kind in trio:
                number = self.ids["partners"] + 1
                pid = self.add("partners", kind=kind, name=name, short_name=short,
                               tax_code=tax_code(9_000_000 + number),
                               contact_name=self.person(), contact_email=f"lienhe{number}@doitac.example",
                               contact_phone=f"024 3{self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}",
                               website=None, address=f"Số {self.rng.randint(1, 200)} {self.rng.choice(STREETS)}, "
                                                     f"{self.rng.choice(DISTRICTS)}, Hà Nội",
                               created_at=local_instant(self.start), version_id=1)
                for programme, starts, ends in programmes:
                    self.add("partner_agreements", partner_id=pid, programme=programme, starts_on=starts, ends_on=ends,
                             scope="Cố vấn cho doanh nghiệp khởi nghiệp, đào tạo, hỗ trợ kỹ thuật, kết nối thị trường.",
                             mentoring_hours=None if kind is PartnerKind.FUND_MANAGER else self.n(400),
                             created_at=local_instant(starts))
                if kind is PartnerKind.FUND_MANAGER:
                    self.fund_ids.append(pid)
                    for _ in range(2):
                        i = self.ids["users"] + 1
                        self.fund_people.append(self.user(f"quy{i}@quy.example", self.person(), Role.FUND_MANAGER,
                                                          partner_id=pid))
                    continue
                self.partner_ids.append(pid)
                mentors = []
                for _ in range(self.n(6)):
                    i = self.ids["users"] + 1
                    uid = self.user(f"covan{i}@doitac.example", self.person(), Role.MENTOR, partner_id=pid)
                    mentors.append(uid)
                    self.add("mentor_profiles", user_id=uid,
                             topics=[t.value for t in self.rng.sample(list(Topic), 3)],
                             languages=["vi", "en"] if self.rng.random() < 0.5 else ["vi"],
                             bio="Hơn mười năm kinh nghiệm phát triển sản phẩm phần mềm và tư vấn khởi nghiệp.",
                             capacity=3, updated_at=local_instant(self.start))
                self.mentors_of[pid] = mentors
        self.bench["partner_id"] = self.partner_ids[1]  # MISA

    def companies(self) -> None:
        """Kinds by the index modulo 20: 12 in 20 are startups (cohort members), 2 IT tenants that are not
        incubated (a partner's office, a service tenant), 2 non-IT tenants, 4 applicants never admitted."""
        count = 40 * self.scale
        self.company_ids, self.startups, self.founder_of, self.is_it = [], [], {}, {}
        for i in range(count):
            slot = i % 20
            is_it = slot not in (13, 17)
            trade = self.rng.choice(TRADES if is_it else NON_IT_TRADES)
            name = f"{self.rng.choice(FORMS)} {trade} {self.brand()}"
            created = local_instant(self.start - timedelta(days=30))
            cid = self.add("companies", tax_code=tax_code(self.ids["companies"] + 1), tax_code_note=None, name=name,
                           name_folded=fold(name),
                           name_sort=vietnamese_sort_key(name), is_it=is_it,
                           founded_on=date(self.rng.randint(2012, 2025), self.rng.randint(1, 12),
                                           self.rng.randint(1, 28)),
                           sector=self.rng.choice(SECTORS) if is_it else "Dịch vụ",
                           address=f"Số {self.rng.randint(1, 300)} {self.rng.choice(STREETS)}, "
                                   f"{self.rng.choice(DISTRICTS)}, Hà Nội",
                           website=None, employees=self.rng.randint(3, 60), created_at=created, verified_at=created,
                           version_id=1)
            self.company_ids.append(cid)
            self.is_it[cid] = is_it
            founder = self.user(f"sanglap{cid}@khoinghiep.example", self.person(), Role.FOUNDER)
            self.founder_of[cid] = founder
            self.add("company_members", company_id=cid, user_id=founder, status=MembershipStatus.APPROVED,
                     position="Giám đốc", created_at=created, decided_at=created, decided_by_id=self.staff[0])
            if slot < 12:
                self.startups.append(cid)
            elif slot in (12, 14, 13, 17):
                kind = {12: ResidencyKind.PARTNER_OFFICE, 14: ResidencyKind.SERVICE_TENANT,
                        13: ResidencyKind.SERVICE_TENANT, 17: ResidencyKind.OTHER}[slot]
                starts = self.day_between(self.start, self.today - timedelta(days=60))
                ends = None if self.rng.random() < 0.7 else self.day_between(starts + timedelta(days=30), self.today)
                self.residency(cid, kind, starts, ends)

    def residency(self, company_id: int, kind: ResidencyKind, starts: date, ends: date | None) -> int:
        return self.add("residencies", company_id=company_id, kind=kind, starts_on=starts, ends_on=ends, note=None,
                        created_at=local_instant(starts), version_id=1)

    def rounds(self) -> None:
        count = 5 * self.containers
        per_round = self.n(40)
        span = (self.today - self.start).days - 60
        reasons = list(db.session.scalars(sa.select(m.RejectionReason.id).where(
            m.RejectionReason.incubator_id == self.incubator_id))) or [None]
        per_year: dict[int, int] = defaultdict(int)
        companies = self.company_ids
        self.round_ids, self.accepted_in_round = [], defaultdict(list)
        for r in range(count):
            opens = self.start + timedelta(days=span * r // count)
            closes = opens + timedelta(days=30)
            last = r == count - 1
            rid = self.add("intake_rounds",
                           name_vi=f"Đợt tuyển chọn doanh nghiệp khởi nghiệp sáng tạo {r + 1}/{opens.year}",
                           name_en=f"Innovative startup intake {r + 1}/{opens.year}",
                           description_vi="Dành cho doanh nghiệp CNTT khởi nghiệp phục vụ chính quyền số, kinh tế số, "
                                          "xã hội số của Thủ đô.",
                           description_en="For IT startups serving the capital's digital government, economy, society.",
                           opens_at=local_instant(opens, 8), closes_at=local_instant(closes, 17),
                           cohort_name=f"Khóa ươm tạo {opens.year}", eligibility={},
                           created_at=local_instant(opens - timedelta(days=14)), version_id=1)
            self.round_ids.append(rid)
            q_product = self.add("round_questions", round_id=rid, position=1, kind=QuestionKind.TEXT,
                                 label_vi="Tên sản phẩm hoặc dịch vụ", label_en="Product or service", help_vi=None,
                                 help_en=None, required=True, max_length=200, choices=[], hidden=False)
            q_problem = self.add("round_questions", round_id=rid, position=2, kind=QuestionKind.LONG_TEXT,
                                 label_vi="Sản phẩm giải quyết vấn đề gì, cho ai?",
                                 label_en="What problem does it solve, for whom?", help_vi=None, help_en=None,
                                 required=True, max_length=3000, choices=[], hidden=False)
            q_money = self.add("round_questions", round_id=rid, position=3, kind=QuestionKind.MONEY,
                               label_vi="Vốn đã huy động (đồng)", label_en="Funding raised so far (VND)", help_vi=None,
                               help_en=None, required=False, max_length=None, choices=[], hidden=False)
            doc = self.add("round_documents", round_id=rid, position=1, name_vi="Kế hoạch kinh doanh",
                           name_en="Business plan", required=True)
            stage = self.add("review_stages", round_id=rid, position=1, name_vi="Vòng đánh giá hồ sơ",
                             name_en="Dossier review", reviewers_per_application=3, share_scores=True,
                             closes_at=local_instant(closes + timedelta(days=45 if not last else 400), 17),
                             spread_threshold=25, created_at=local_instant(closes), version_id=1)
            criteria = []
            for position, c in enumerate(DEFAULT_RUBRIC, start=1):
                criteria.append(self.add("review_criteria", stage_id=stage, position=position, name_vi=c["name_vi"],
                                         name_en=c["name_en"], guidance_vi=c["guidance_vi"],
                                         guidance_en=c["guidance_en"], weight=c["weight"], scale_min=1, scale_max=5))
            panel = self.reviewers[:min(len(self.reviewers), self.n(10))]
            for reviewer in panel:
                self.add("review_panel_members", stage_id=stage, user_id=reviewer, added_at=local_instant(closes),
                         reminded_at=None)
            if last:
                self.bench.update(round_id=rid, stage_id=stage)
            offset = (r * 13) % len(companies)
            for j in range(per_round):
                cid = companies[(offset + j) % len(companies)]
                per_year[opens.year] += 1
                roll = self.rng.random()
                submitted = roll >= 0.08
                withdrawn = 0.08 <= roll < 0.11
                quality = self.rng.random()
                status = ApplicationStatus.DRAFT if not submitted else (
                    ApplicationStatus.WITHDRAWN if withdrawn else ApplicationStatus.UNDER_REVIEW)
                submitted_at = local_instant(opens + timedelta(days=self.rng.randint(1, 29)), self.rng.randint(8, 22))
                decision = None
                if status is ApplicationStatus.UNDER_REVIEW and not last:
                    decision = (Decision.ACCEPT if quality > 0.7 else Decision.WAITLIST if quality > 0.55
                                else Decision.REJECT)
                    status = {Decision.ACCEPT: ApplicationStatus.ACCEPTED,
                              Decision.WAITLIST: ApplicationStatus.WAITLISTED,
                              Decision.REJECT: ApplicationStatus.REJECTED}[decision]
                decided_at = local_instant(closes + timedelta(days=50), 10) if decision else None
                product = f"{self.rng.choice(PRODUCTS)} {self.brand()}"
                aid = self.add("applications", round_id=rid, company_id=cid, created_by_id=self.founder_of[cid],
                               status=status,
                               reference=f"{self.code}-{opens.year}-{per_year[opens.year]:04d}" if submitted else None,
                               answers={str(q_product): product,
                                        str(q_problem): "Giúp người dân và doanh nghiệp Hà Nội tiết kiệm thời gian "
                                                        "làm thủ tục; khách hàng là các phường và hộ kinh doanh.",
                                        str(q_money): str(self.rng.randint(0, 50) * 100_000_000)},
                               is_public_company=False, sector_kind=SectorKind.OTHER,
                               employees=self.rng.randint(3, 60), revenue=self.rng.randint(0, 40) * 500_000_000,
                               capital=self.rng.randint(1, 20) * 500_000_000,
                               eligibility_summary="passed" if quality > 0.1 else "failed",
                               eligibility_override=None, created_at=submitted_at - timedelta(days=3),
                               updated_at=submitted_at, submitted_at=submitted_at if submitted else None,
                               decided_at=decided_at, version_id=1)
                if not submitted:
                    continue
                self.add("application_documents", application_id=aid, document_id=doc,
                         stored_name=f"{self.rng.getrandbits(128):032x}.pdf", original_name="ke-hoach-kinh-doanh.pdf",
                         size=self.rng.randint(200_000, 4_000_000), uploaded_at=submitted_at,
                         uploaded_by_id=self.founder_of[cid])
                if withdrawn:
                    continue
                if decision is Decision.ACCEPT:
                    self.accepted_in_round[rid].append((cid, aid))
                self.add("review_stage_entries", stage_id=stage, application_id=aid, added_at=local_instant(closes, 18),
                         decision=decision,
                         reason_id=self.rng.choice(reasons) if decision is Decision.REJECT else None,
                         reason_text=None, decided_by_id=self.staff[0] if decision else None, decided_at=decided_at,
                         version_id=1)
                for k in range(3):
                    reviewer = panel[(j * 3 + k) % len(panel)]
                    assigned_at = local_instant(closes + timedelta(days=2), 9)
                    asg = self.add("review_assignments", stage_id=stage, application_id=aid, reviewer_id=reviewer,
                                   status=AssignmentStatus.CONFIRMED, assigned_by_id=self.staff[0],
                                   created_at=assigned_at,
                                   confirmed_at=assigned_at + timedelta(days=1), ended_at=None, version_id=1)
                    state = self.rng.random()
                    if last and state < 0.06:
                        continue  # not begun
                    done = not last or state >= 0.15
                    at = assigned_at + timedelta(days=self.rng.randint(2, 20))
                    review = self.add("reviews", assignment_id=asg,
                                      status=ReviewStatus.SUBMITTED if done else ReviewStatus.DRAFT,
                                      comment_for_applicant="Sản phẩm có tiềm năng; cần làm rõ mô hình doanh thu.",
                                      private_note=None, created_at=at, updated_at=at,
                                      submitted_at=at if done else None, version_id=1)
                    bias = self.rng.uniform(-0.8, 0.8)  # a reviewer's harshness, per review
                    values = {}
                    for criterion in criteria:
                        values[criterion] = value = min(5, max(1, round(1 + 4 * quality + bias
                                                                        + self.rng.uniform(-1, 1))))
                        self.add("review_scores", review_id=review, criterion_id=criterion, value=value,
                                 comment=None)
                    self.rows["reviews"][-1]["weighted_total"] = (
                        ranking.weighted_total(values, [ranking.CriterionScale(c, rubric["weight"], 1, 5)
                                                        for c, rubric in zip(criteria, DEFAULT_RUBRIC, strict=True)])
                        if done else None)

    def cohorts(self) -> None:
        """3 cohorts per container: one starting each year of the three, the latest running now."""
        count = 3 * self.containers
        per_cohort = self.n(8)
        startups = list(self.startups)
        self.rng.shuffle(startups)
        self.members = []  # (member id, company id, cohort id, joined, left or None)
        cursor = 0
        for k in range(count):
            year = self.today.year - 2 + k % 3
            starts = date(year, 3 + (k // 3) % 10, 1)
            if starts > self.today:
                starts = date(year - 1, starts.month, 1)
            ends = add_months(starts, 12) - timedelta(days=1)
            name = (f"Khóa ươm tạo {year}" + (f" – nhóm {k // 3 + 1}" if self.containers > 1 else "")
                    + (f" – {self.code}" if self.number else ""))
            round_id = self.round_ids[k] if k < len(self.round_ids) else None
            cohort = self.add("cohorts", name=name, starts_on=starts, ends_on=ends, owner_id=self.staff[k % 3],
                              round_id=round_id, rhythm=Rhythm.MONTHLY, mentoring_allowance_hours=20,
                              created_at=local_instant(starts - timedelta(days=20)), version_id=1)
            if k == 2:
                self.bench["cohort_id"] = cohort
            finished = ends < self.today
            cohort_periods = periods(starts, ends, Rhythm.MONTHLY)
            for _ in range(per_cohort):
                cid = startups[cursor % len(startups)]
                cursor += 1
                roll = self.rng.random()
                if finished:
                    status = (MemberStatus.GRADUATED if roll < 0.6 else MemberStatus.EXTENDED if roll < 0.75
                              else MemberStatus.WITHDRAWN if roll < 0.9 else MemberStatus.FAILED)
                else:
                    status = MemberStatus.WITHDRAWN if roll < 0.05 else MemberStatus.ACTIVE
                left = None
                if status in (MemberStatus.GRADUATED, MemberStatus.FAILED):
                    left = ends
                elif status is MemberStatus.WITHDRAWN:
                    left = self.day_between(starts + timedelta(days=60), min(ends, self.today))
                residency = self.residency(cid, ResidencyKind.INCUBATED, starts, left)
                outcome = None
                if left is not None:
                    graduated = status is MemberStatus.GRADUATED
                    evidence = graduated and self.rng.random() < 0.85
                    pillar = graduated and self.rng.random() < 0.9
                    decision = {MemberStatus.GRADUATED: Outcome.GRADUATED, MemberStatus.WITHDRAWN: Outcome.WITHDRAWN,
                                MemberStatus.FAILED: Outcome.FAILED}[status]
                    outcome = self.add(
                        "graduation_outcomes", company_id=cid, cohort_name=name, decision=decision, decided_on=left,
                        product=f"{self.rng.choice(PRODUCTS)}" if graduated else None,
                        evidence_text="Hợp đồng với khách hàng trả phí" if evidence else None,
                        evidence_url=None, evidence_file=None, evidence_filename=None,
                        serves_government=pillar and self.rng.random() < 0.5, serves_economy=pillar,
                        serves_society=pillar and self.rng.random() < 0.3, note=None,
                        created_at=local_instant(left, 16), version_id=1)
                    if graduated and self.rng.random() < 0.5:
                        self.residency(cid, ResidencyKind.ALUMNUS, left + timedelta(days=1), None)
                member = self.add("cohort_members", cohort_id=cohort, company_id=cid, application_id=None,
                                  status=status, joined_on=starts, left_on=left, residency_id=residency,
                                  outcome_id=outcome, created_at=local_instant(starts - timedelta(days=1)),
                                  version_id=1)
                self.members.append((member, cid, cohort, starts, left))
                self.reports(member, cid, [p for p in cohort_periods if p.start <= (left or ends)])

    def reports(self, member: int, company: int, member_periods) -> None:
        revenue, customers = self.rng.randint(0, 5) * 50_000_000, self.rng.randint(0, 3)
        for p in member_periods:
            if p.due_on >= self.today or self.rng.random() < 0.08:
                continue  # not due yet, or late
            revenue += self.rng.randint(0, 8) * 25_000_000
            customers += self.rng.randint(0, 3)
            at = local_instant(p.due_on - timedelta(days=self.rng.randint(0, 8)), 20)
            versions = 2 if self.rng.random() < 0.05 else 1
            for version in range(1, versions + 1):
                self.add("progress_reports", member_id=member, period_start=p.start, period_end=p.end,
                         due_on=p.due_on, version=version, status=ReportStatus.SUBMITTED, revenue=revenue,
                         paying_customers=customers, employees=self.rng.randint(3, 40),
                         funding_raised=0 if self.rng.random() < 0.9 else self.rng.randint(1, 20) * 100_000_000,
                         funding_source=None,
                         product_status=self.rng.choice([ProductStatus.PILOT, ProductStatus.ON_MARKET,
                                                         ProductStatus.SCALING]),
                         highlights="Ký thêm hợp đồng với khách hàng mới; ra mắt tính năng thanh toán.",
                         problems="Tuyển dụng lập trình viên khó.", help_needed="Kết nối nhà đầu tư, tư vấn pháp lý.",
                         created_by_id=self.founder_of[company], created_at=at, updated_at=at, submitted_at=at,
                         version_id=1)

    def mentoring(self) -> None:
        """Each startup of a cohort gets a mentor (the partners' mentors in turn); 1,000 sessions per scale
        unit, shared among the assignments, weekly from the start of the cohort."""
        mentors = [(pid, uid) for pid in self.partner_ids for uid in self.mentors_of[pid]]
        assignments = []
        for i, (member, cid, cohort, joined, left) in enumerate(self.members):
            pid, mentor = mentors[i % len(mentors)]
            aid = self.add("mentor_assignments", mentor_id=mentor, member_id=member, assigned_by_id=self.staff[0],
                           created_at=local_instant(joined), ended_at=local_instant(left, 17) if left else None)
            assignments.append((aid, mentor, pid, cid, cohort, joined, left))
        total = 1000 * self.scale
        per = total // len(assignments)
        extra = total - per * len(assignments)
        for i, (aid, mentor, pid, cid, cohort, joined, left) in enumerate(assignments):
            last = min(left or self.today + timedelta(days=30), self.today + timedelta(days=30))
            span = max(1, (last - joined).days)
            for s in range(per + (1 if i < extra else 0)):
                day = joined + timedelta(days=span * s // (per + 1) + 1)
                starts = local_instant(day, self.rng.choice([9, 10, 14, 15, 16]))
                if starts > self.now:
                    status = SessionStatus.SCHEDULED
                else:
                    roll = self.rng.random()
                    status = (SessionStatus.CONFIRMED if roll < 0.85 else SessionStatus.HELD if roll < 0.92
                              else SessionStatus.DISPUTED if roll < 0.94 else SessionStatus.CANCELLED)
                mode = SessionMode.ONLINE if self.rng.random() < 0.4 else SessionMode.IN_PERSON
                self.add("mentoring_sessions", assignment_id=aid, mentor_id=mentor, partner_id=pid, company_id=cid,
                         cohort_id=cohort, starts_at=starts, local_month=day.strftime("%Y-%m"),
                         minutes=self.rng.choice([60, 60, 90, 120]), mode=mode,
                         place="Phòng họp 3, Tòa nhà Vườn ươm" if mode is SessionMode.IN_PERSON else None,
                         link="https://meet.vuonuom.example/phong-3" if mode is SessionMode.ONLINE else None,
                         topics=[self.rng.choice(list(Topic)).value],
                         notes="Rà soát mô hình kinh doanh và kế hoạch bán hàng quý tới.",
                         action_items="Hoàn thiện bảng giá; gửi bản demo cho hai khách hàng.", status=status,
                         dispute_reason="Buổi này không diễn ra" if status is SessionStatus.DISPUTED else None,
                         decided_by_id=None, decided_at=None, sequence=0,
                         created_at=starts - timedelta(days=2), version_id=1)

    def services(self) -> None:
        kinds = list(ServiceKind)
        titles = {ServiceKind.TRAINING: "Khóa đào tạo gọi vốn cho nhà sáng lập",
                  ServiceKind.CONSULTING: "Tư vấn pháp lý", ServiceKind.OFFICE: "Chỗ ngồi làm việc tại Vườn ươm",
                  ServiceKind.CMMI_ISO: "Hỗ trợ áp dụng ISO 27001",
                  ServiceKind.INVESTOR: "Buổi gặp nhà đầu tư", ServiceKind.MARKET: "Gian hàng tại Techfest Hà Nội",
                  ServiceKind.OTHER: "Hỗ trợ truyền thông"}
        for i in range(30 * self.scale):
            kind = kinds[i % len(kinds)]
            day = self.day_between(self.start, self.today)
            provider = self.partner_ids[i % len(self.partner_ids)] if i % 2 else None
            sid = self.add("service_deliveries", kind=kind, title=titles[kind], delivered_on=day, provider_id=provider,
                           hours=self.rng.choice([2, 4, 8, 16]), note=None, created_by_id=self.staff[0],
                           created_at=local_instant(day, 17), version_id=1)
            for cid in self.rng.sample(self.startups, self.rng.randint(1, 5)):
                self.add("service_recipients", service_id=sid, company_id=cid,
                         attended=True if kind is ServiceKind.TRAINING else None)

    def funding(self) -> None:
        for pid in self.fund_ids:
            for cid in self.rng.sample(self.startups, min(len(self.startups), self.n(5))):
                granted = local_instant(self.day_between(self.start, self.today))
                self.add("fund_consents", company_id=cid, partner_id=pid, granted_by_id=self.founder_of[cid],
                         granted_at=granted, withdrawn_at=None)
                stage = self.rng.choice(list(PipelineStage))
                self.add("fund_pipeline", partner_id=pid, company_id=cid, stage=stage,
                         stage_on=(granted + timedelta(days=30)).date(), notes="Đã gặp nhóm sáng lập.",
                         amount=self.rng.randint(1, 30) * 1_000_000_000 if stage is PipelineStage.INVESTED else None,
                         instrument=Instrument.EQUITY if stage is PipelineStage.INVESTED else None,
                         updated_at=granted, version_id=1)

    # ---- writing ------------------------------------------------------------------------------------------

    ORDER = ["partners", "users", "user_roles", "partner_agreements", "mentor_profiles", "companies",
             "company_members", "residencies", "intake_rounds", "round_questions", "round_documents",
             "applications", "application_documents", "review_stages", "review_criteria", "review_panel_members",
             "review_stage_entries", "review_assignments", "reviews", "review_scores", "graduation_outcomes",
             "cohorts", "cohort_members", "progress_reports", "mentor_assignments", "mentoring_sessions",
             "service_deliveries", "service_recipients", "fund_consents", "fund_pipeline"]

    def write(self, chunk: int = 5000) -> dict[str, int]:
        """Write the rows built, in bulk (PostgreSQL's COPY, else executemany by chunks), every scoped table's
        rows in this seeder's incubator; the rows are then let go (ten incubators of 100× are not held in memory
        at once)."""
        metadata = db.Model.metadata
        missing = set(self.rows) - set(self.ORDER)
        assert not missing, missing
        counts = {}
        for name in self.ORDER:
            rows = self.rows.get(name, [])
            if not rows:
                continue
            table = metadata.tables[name]
            if "incubator_id" in table.c and name != "user_roles":
                for row in rows:
                    row["incubator_id"] = self.incubator_id
            if db.engine.dialect.name == "postgresql":
                copy_rows(table, rows)
            else:
                for i in range(0, len(rows), chunk):
                    db.session.execute(sa.insert(table), rows[i:i + chunk])
            counts[name] = len(rows)
        if db.engine.dialect.name == "postgresql":
            for name in self.ORDER:
                if "id" in metadata.tables[name].c and self.rows.get(name):
                    db.session.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))  # noqa: S608
        # Written past the ORM: the stages' standings are worked out here, as each review's flush would have.
        stage_ids = [row["id"] for row in self.rows.get("review_stages", [])]
        standings.refresh(db.session.connection(), stage_ids)
        counts["review_stage_standings"] = len(self.rows.get("review_stage_entries", []))
        db.session.commit()
        self.rows.clear()
        return counts


def copy_rows(table: sa.Table, rows: list[dict]) -> None:
    """The rows into the table with PostgreSQL's COPY (psycopg's ``cursor.copy``), in the session's transaction:
    several times faster than executemany. Each value goes through its column type's bind processing first
    (enums to their values, JSON to text, the app's UTC datetimes), as an INSERT would send it."""
    dialect = db.engine.dialect
    columns = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]
    names = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([process(row[name]) if process else row[name]
                            for name, process in zip(columns, processors, strict=True)])


def seed(scale: int, today: date, incubators: int = 1) -> tuple[dict, dict]:
    """Fill the (fresh, migrated) database of the current app: ``incubators`` incubators (the default one, VUHN,
    then HN2, HN3 … made by ``organisation.services.create``, as an administrator would), each with the data of
    ``scale``. Returns (the ids of the objects whose pages are timed, all in the first incubator; the number of
    rows per table, all incubators together)."""
    from incubator import security
    from incubator.organisation import services as organisation
    from incubator.organisation.models import Incubator

    password_hash = security.hash_password(PASSWORD)
    organisation.ensure_default()
    places = [db.session.scalar(sa.select(Incubator).order_by(Incubator.id).limit(1))]
    for k in range(2, incubators + 1):
        places.append(organisation.create(f"HN{k}", f"Vườn ươm doanh nghiệp CNTT Hà Nội số {k}",
                                          f"Hà Nội ICT business incubator no. {k}"))
    db.session.commit()
    place_ids = [(place.id, place.code) for place in places]
    ids: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    bench: dict = {}
    for number, (incubator_id, code) in enumerate(place_ids):
        seeder = Seeder(scale, today, password_hash, incubator_id=incubator_id, number=number,
                        code="VU" if number == 0 else code, ids=ids)
        seeder.build()
        for table, n in seeder.write().items():
            counts[table] += n
        if number == 0:
            bench = seeder.bench
    # Written past the ORM: where each business is, as each residency's, outcome's and application's flush would
    # have kept it.
    presence.refresh_all(db.session.connection())
    counts["company_presence"] = db.session.scalar(sa.select(sa.func.count()).select_from(presence.PRESENCE))
    db.session.commit()
    return bench, dict(counts)
