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
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DOMAIN = "vuonuom.example"


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


def _applications_of(stage) -> list:
    import sqlalchemy as sa

    from incubator.applications.models import Application
    from incubator.extensions import db
    from incubator.reviews.models import StageEntry

    return list(db.session.scalars(sa.select(Application).join(StageEntry, StageEntry.application_id == Application.id)
                                   .where(StageEntry.stage_id == stage.id).order_by(Application.id)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--founders", type=int, default=20)
    parser.add_argument("--reviewers", type=int, default=12)
    args = parser.parse_args()

    from incubator import create_app
    from incubator.db import write_lock
    from incubator.extensions import db

    # A secret key only to build the application object: this script serves nothing.
    app = create_app({"SECRET_KEY": "seed-users-not-serving", "PUBLIC_URL": "http://127.0.0.1:5000"})
    with app.app_context(), write_lock():
        summary = seed(args.founders, args.reviewers)
        db.session.commit()
    print(f"Load-test accounts: {summary['founders']} founders, {summary['reviewers']} reviewers.")


if __name__ == "__main__":
    main()
