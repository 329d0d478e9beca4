"""Demonstration of the review: a closed intake round whose dossier review is under way. Invented data.

Three panel members have scored their share; the demo reviewer (chuyengia@) has applications waiting, the
first of them still asking whether they have a conflict of interest."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from incubator import security
from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import Application, IntakeRound, RoundQuestion
from incubator.auth.enums import Role
from incubator.auth.models import User, UserRole
from incubator.db import utcnow
from incubator.extensions import db
from incubator.reviews import assigning, scoring, stages
from incubator.reviews.models import Assignment

REVIEW_ROUND_VI = "Đợt tuyển chọn khởi nghiệp sáng tạo năm 2026 – đợt 1 (thử nghiệm)"

PRODUCTS = [
    ("Cổng dịch vụ công trực tuyến cho phường", "Người dân phải đến trụ sở phường nhiều lần cho một thủ tục."),
    ("Sổ tay nông hộ số", "Hợp tác xã không theo dõi được mùa vụ và vật tư của các hộ thành viên."),
    ("Đặt lịch khám bệnh cho trạm y tế", "Trạm y tế phường quá tải vào buổi sáng, người bệnh chờ lâu."),
    ("Kho học liệu số cho trường phổ thông", "Giáo viên khó tìm học liệu số phù hợp chương trình mới."),
    ("Bản đồ ngập úng đô thị theo thời gian thực", "Người tham gia giao thông không biết trước tuyến đường ngập."),
    ("Ví thanh toán cho chợ truyền thống", "Tiểu thương chợ truyền thống chưa nhận được thanh toán không tiền mặt."),
    ("Trợ lý ảo tra cứu thủ tục hành chính", "Câu hỏi lặp lại về thủ tục chiếm nhiều thời gian của cán bộ một cửa."),
    ("Nền tảng quản lý chung cư", "Ban quản trị chung cư thu phí và thông báo bằng giấy, dễ thất lạc."),
    ("Truy xuất nguồn gốc nông sản", "Người mua không kiểm chứng được nguồn gốc rau quả tại siêu thị nhỏ."),
    ("Hệ thống thông tin du lịch làng nghề", "Du khách khó tìm thông tin và đặt trải nghiệm tại làng nghề."),
    ("Phần mềm kế toán cho hộ kinh doanh", "Hộ kinh doanh phải kê khai thuế theo phương pháp mới nhưng thiếu công cụ."),
    ("Quản lý phòng khám nha khoa trên đám mây", "Phòng khám nhỏ lưu hồ sơ bệnh nhân trên giấy và bảng tính."),
]

EXTRA_REVIEWERS = [("chuyengia2", "Đỗ Minh Khoa"), ("chuyengia3", "Vũ Thị Hạnh"), ("chuyengia4", "Ngô Thanh Bình")]


def load(companies: list, password: str, domain: str) -> int:
    """Idempotent: nothing is added when the round exists."""
    if db.session.scalar(sa.select(IntakeRound.id).where(IntakeRound.name_vi == REVIEW_ROUND_VI)) is not None:
        return 0
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    staff = users[f"canbo@{domain}"]
    founder = users[f"sanglap@{domain}"]
    reviewer = users[f"chuyengia@{domain}"]
    password_hash = security.hash_password(password)
    panel = [reviewer]  # reviewers only: staff on a panel would not be blind (they see the ranking)
    for local, name in EXTRA_REVIEWERS:
        user = users.get(f"{local}@{domain}")
        if user is None:
            user = User(email=f"{local}@{domain}", full_name=name, password_hash=password_hash,
                        email_verified_at=utcnow(), password_changed_at=utcnow())
            user.role_rows.append(UserRole(role=Role.REVIEWER))
            db.session.add(user)
        panel.append(user)

    now = utcnow()
    intake_round = IntakeRound(
        name_vi=REVIEW_ROUND_VI, name_en="Innovative startup intake 2026, first call (demonstration)",
        description_vi="Đợt đã đóng, đang đánh giá hồ sơ.", description_en="Closed; applications under review.",
        opens_at=now - timedelta(days=70), closes_at=now - timedelta(days=20), cohort_name="Khóa ươm tạo 2026")
    title_q = RoundQuestion(position=1, kind=QuestionKind.TEXT, label_vi="Tên sản phẩm hoặc dịch vụ",
                            label_en="Product or service", required=True, max_length=200)
    problem_q = RoundQuestion(position=2, kind=QuestionKind.LONG_TEXT, label_vi="Sản phẩm giải quyết vấn đề gì?",
                              label_en="What problem does it solve?", required=True, max_length=3000)
    intake_round.questions.extend([title_q, problem_q])
    db.session.add(intake_round)
    db.session.flush()
    applications = []
    for i, (company, (product, problem)) in enumerate(zip(companies, PRODUCTS, strict=False), start=1):
        application = Application(
            round_id=intake_round.id, company_id=company.id, created_by_id=founder.id,
            status=ApplicationStatus.SUBMITTED, reference=f"VU-{now.year}-{i:04d}",
            answers={str(title_q.id): product, str(problem_q.id): problem}, is_public_company=False,
            employees=company.employees, submitted_at=now - timedelta(days=20 + i), eligibility_summary="passed")
        db.session.add(application)
        applications.append(application)
    db.session.flush()

    stage = stages.create_stage(intake_round, actor=staff, name_vi="Vòng đánh giá hồ sơ",
                                name_en="Dossier review", reviewers_per_application=3, share_scores=True,
                                closes_at=now + timedelta(days=10), spread_threshold=25)
    stages.create_stage(intake_round, actor=staff, default_rubric=True, name_vi="Ngày thuyết trình",
                        name_en="Pitch day", reviewers_per_application=4, share_scores=False,
                        closes_at=now + timedelta(days=30), spread_threshold=25)
    stages.take_into_review(stage, applications, actor=staff)
    assigning.add_to_panel(stage, panel, actor=staff)
    assigning.auto_assign(stage, actor=staff)
    assignments = db.session.scalars(sa.select(Assignment).where(Assignment.stage_id == stage.id)
                                     .order_by(Assignment.id)).all()
    for n, a in enumerate(assignments):
        if a.reviewer_id == reviewer.id:
            continue  # the demo reviewer's own work is left for whoever tries the demonstration
        assigning.confirm_no_conflict(a, actor=a.reviewer)
        # Scores from 2 to 5, varied, with each reviewer's own habit (one harsh, one generous).
        habit = {panel[1].id: 0, panel[2].id: 1, panel[3].id: -1}.get(a.reviewer_id, 0)
        scores = {c.id: (max(1, min(5, 3 + habit + ((n * 7 + c.position * 3) % 3) - 1)), None)
                  for c in stage.criteria}
        scoring.save_review(a, actor=a.reviewer, scores=scores, submit=True, now=now,
                            comment_for_applicant="Cần làm rõ mô hình doanh thu và khách hàng trả tiền đầu tiên.",
                            private_note=None)
    first_of_reviewer = [a for a in assignments if a.reviewer_id == reviewer.id]
    for a in first_of_reviewer[1:3]:
        assigning.confirm_no_conflict(a, actor=reviewer)
    db.session.flush()
    return 1
