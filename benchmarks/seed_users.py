"""Accounts for the load test, added to a database that already holds the demonstration (``flask demo``).

    INCUBATOR_DATABASE_URL=sqlite:////tmp/…/incubator.sqlite .venv/bin/python benchmarks/seed_users.py \
        --founders 20 --reviewers 12

The demo has one account per role. Founders and reviewers write versioned records (a founder's draft, a
reviewer's score sheet): fifty sessions of one account editing one record would mostly answer "changed by
someone else" (409), which is the application doing its job, not load. So each simulated founder gets an
account of their own with a company of its own (``load-founder-01@vuonuom.example`` …), and each simulated
reviewer an account of their own on the demo's dossier-review panel with two applications, conflict of
interest already declared none (``load-reviewer-01@…``). Mentors and officials share the demo's ``covan@`` and
``sotttt@``: each logged session is a new record, and officials only read. Every account has the demo's
password. Running it twice adds nothing.

``--deadline N --plan PATH`` prepares the deadline-day scenario instead (``benchmarks/load.py --scenario
deadline``): a round of the demo's incubator, open since yesterday and closing in six hours, with three
required questions and no document to upload; N founders (``load-deadline-001@vuonuom.example`` …), each with a
company of their own and a draft in that round (``applications.services.start_application``, as the founder's
"Apply" does); reviewers as above. The plan (the round, its questions, each founder's draft, the staff and
reviewers' accounts) is written as JSON to PATH for the locustfile and for counting lost drafts.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DOMAIN = "vuonuom.example"


def deadline_email(n: int) -> str:
    return f"load-deadline-{n:03d}@{DOMAIN}"


def founder_email(n: int) -> str:
    return f"load-founder-{n:02d}@{DOMAIN}"


def reviewer_email(n: int) -> str:
    return f"load-reviewer-{n:02d}@{DOMAIN}"


def seed(founders: int, reviewers: int) -> dict:
    import sqlalchemy as sa

    from incubator import security
    from incubator.applications.models import IntakeRound
    from incubator.auth.enums import Role
    from incubator.auth.models import User, UserRole
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import Company, CompanyMember
    from incubator.db import utcnow
    from incubator.demo.data import DEMO_PASSWORD, demo_tax_code
    from incubator.demo.reviews import REVIEW_ROUND_VI
    from incubator.extensions import db
    from incubator.reviews import assigning as reviews
    from incubator.reviews.models import ReviewStage

    password_hash = security.hash_password(DEMO_PASSWORD)
    staff = db.session.scalar(sa.select(User).where(User.email == f"canbo@{DOMAIN}"))
    if staff is None:
        raise SystemExit("Load the demonstration first: flask --app incubator demo")

    def user(email: str, name: str, role: Role) -> tuple[User, bool]:
        found = db.session.scalar(sa.select(User).where(User.email == email))
        if found is not None:
            return found, False
        new = User(email=email, full_name=name, password_hash=password_hash, email_verified_at=utcnow(),
                   password_changed_at=utcnow())
        new.role_rows.append(UserRole(role=role))
        db.session.add(new)
        db.session.flush()
        return new, True

    seed_number = 5000
    for n in range(1, founders + 1):
        founder, new = user(founder_email(n), f"Người sáng lập thử tải {n:02d}", Role.FOUNDER)
        if not new:
            continue
        while db.session.scalar(sa.select(Company.id).where(Company.tax_code == demo_tax_code(seed_number))):
            seed_number += 1
        company = Company(tax_code=demo_tax_code(seed_number), name=f"Công ty TNHH Thử tải {n:02d}", is_it=True,
                          sector="Kinh tế số", founded_on=date(2024, 1, 1 + n % 28), employees=5,
                          address="Cầu Giấy, Hà Nội")
        seed_number += 1
        db.session.add(company)
        db.session.flush()
        db.session.add(CompanyMember(company_id=company.id, user_id=founder.id, status=MembershipStatus.APPROVED,
                                     position="Giám đốc", decided_at=utcnow()))

    stage = db.session.scalar(sa.select(ReviewStage).join(IntakeRound).where(IntakeRound.name_vi == REVIEW_ROUND_VI)
                              .order_by(ReviewStage.position))
    applications = _applications_of(stage)
    for n in range(1, reviewers + 1):
        reviewer, new = user(reviewer_email(n), f"Chuyên gia thử tải {n:02d}", Role.REVIEWER)
        if not new:
            continue
        for k in range(2):
            application = applications[(2 * n + k) % len(applications)]
            assignment = reviews.assign(stage, application, reviewer, actor=staff)
            reviews.confirm_no_conflict(assignment, actor=reviewer)
    db.session.flush()
    return {"founders": founders, "reviewers": reviewers}


DEADLINE_ROUND_VI = "Đợt tuyển chọn thử tải ngày hết hạn"


def seed_deadline(founders: int) -> dict:
    """The deadline round, its founders and their drafts (see the module's docstring); returns the plan."""
    from datetime import timedelta

    import sqlalchemy as sa

    from incubator import security
    from incubator.applications import services as applications
    from incubator.applications.enums import QuestionKind
    from incubator.applications.models import Application, IntakeRound
    from incubator.auth.enums import Role
    from incubator.auth.models import User, UserRole
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import Company, CompanyMember
    from incubator.db import utcnow
    from incubator.demo.data import DEMO_PASSWORD, demo_tax_code
    from incubator.extensions import db
    from incubator.organisation.current import use_incubator
    from incubator.organisation.models import Incubator

    staff = db.session.scalar(sa.select(User).where(User.email == f"canbo@{DOMAIN}"))
    if staff is None:
        raise SystemExit("Load the demonstration first: flask --app incubator demo")
    incubator = db.session.scalar(sa.select(Incubator).order_by(Incubator.id).limit(1))
    now = utcnow()
    with use_incubator(incubator.id):
        intake = db.session.scalar(sa.select(IntakeRound).where(IntakeRound.name_vi == DEADLINE_ROUND_VI))
        if intake is None:
            intake = applications.create_round(
                actor=staff, name_vi=DEADLINE_ROUND_VI, name_en="Deadline-day load test intake",
                description_vi="Đợt tuyển chọn dùng cho thử tải.", description_en="An intake for the load test.",
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(hours=6), cohort_name=None,
                eligibility={})
            for kind, label_vi, label_en, length in (
                    (QuestionKind.TEXT, "Tên sản phẩm", "Product name", 200),
                    (QuestionKind.LONG_TEXT, "Sản phẩm giải quyết vấn đề gì?", "What problem does it solve?", 3000),
                    (QuestionKind.LONG_TEXT, "Khách hàng là ai?", "Who are the customers?", 3000)):
                applications.add_question(intake, actor=staff, kind=kind, label_vi=label_vi, label_en=label_en,
                                          help_vi=None, help_en=None, required=True, max_length=length, choices=[],
                                          hidden=False)
    password_hash = security.hash_password(DEMO_PASSWORD)
    drafts = {}
    seed_number = 7000
    for n in range(1, founders + 1):
        email = deadline_email(n)
        founder = db.session.scalar(sa.select(User).where(User.email == email))
        if founder is None:
            founder = User(email=email, full_name=f"Người sáng lập ngày hết hạn {n:03d}", password_hash=password_hash,
                           email_verified_at=now, password_changed_at=now)
            founder.role_rows.append(UserRole(role=Role.FOUNDER))
            db.session.add(founder)
            while db.session.scalar(sa.select(Company.id).where(Company.tax_code == demo_tax_code(seed_number))):
                seed_number += 1
            company = Company(tax_code=demo_tax_code(seed_number), name=f"Công ty TNHH Hạn chót {n:03d}", is_it=True,
                              sector="Kinh tế số", founded_on=date(2024, 1, 1 + n % 28), employees=5,
                              address="Cầu Giấy, Hà Nội")
            seed_number += 1
            db.session.add(company)
            db.session.flush()
            db.session.add(CompanyMember(company_id=company.id, user_id=founder.id, status=MembershipStatus.APPROVED,
                                         position="Giám đốc", decided_at=now))
            db.session.flush()
        company = db.session.scalar(sa.select(Company).join(CompanyMember).where(CompanyMember.user_id == founder.id))
        draft = applications.start_application(intake, company, actor=founder, now=now)
        drafts[email] = draft.id
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)
                             .where(Application.round_id == intake.id)) >= founders
    return {"round_id": intake.id, "questions": [q.id for q in intake.questions], "founders": drafts,
            "staff": staff.email}


def _applications_of(stage) -> list:
    import sqlalchemy as sa

    from incubator.applications.models import Application
    from incubator.extensions import db
    from incubator.reviews.models import StageEntry

    return list(db.session.scalars(sa.select(Application).join(StageEntry, StageEntry.application_id == Application.id)
                                   .where(StageEntry.stage_id == stage.id).order_by(Application.id)))


@contextmanager
def in_first_incubator():
    """The demo's first incubator (VUHN), where its staff, its review round and the load test's reviewers are:
    the demonstration holds several, and a role held in one must be given it."""
    import sqlalchemy as sa

    from incubator.extensions import db
    from incubator.organisation.current import use_incubator
    from incubator.organisation.models import Incubator

    with use_incubator(db.session.scalar(sa.select(Incubator.id).order_by(Incubator.id).limit(1))):
        yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--founders", type=int, default=20)
    parser.add_argument("--reviewers", type=int, default=12)
    parser.add_argument("--deadline", type=int, metavar="N", help="the deadline-day scenario's N founders instead")
    parser.add_argument("--plan", type=Path, help="where the deadline-day plan is written (JSON)")
    args = parser.parse_args()

    from incubator import create_app
    from incubator.db import write_lock
    from incubator.extensions import db

    # A secret key only to build the application object: this script serves nothing.
    app = create_app({"SECRET_KEY": "seed-users-not-serving", "PUBLIC_URL": "http://127.0.0.1:5000"})
    with app.app_context(), write_lock(), in_first_incubator():
        if args.deadline:
            import json

            summary = seed(0, args.reviewers)
            plan = seed_deadline(args.deadline)
            plan["reviewers"] = [reviewer_email(n) for n in range(1, args.reviewers + 1)]
            db.session.commit()
            args.plan.write_text(json.dumps(plan))
            print(f"Deadline day: {args.deadline} founders with a draft in round {plan['round_id']}, "
                  f"{args.reviewers} reviewers.")
            return
        summary = seed(args.founders, args.reviewers)
        db.session.commit()
    print(f"Load-test accounts: {summary['founders']} founders, {summary['reviewers']} reviewers.")


if __name__ == "__main__":
    main()
