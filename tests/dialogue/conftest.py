"""A world for dialogue conferences: a verified business with its founder, two members of staff, a body, the
seeded categories, and open requests of the business."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.requests import services as requests
from incubator.requests.enums import BodyKind, PublicationConsent, RequestKind
from incubator.requests.models import RequestCategory

PAST = datetime(2026, 3, 5, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội


@pytest.fixture
def world(make, db):
    requests.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER, full_name="Nguyễn Văn An", email="an@songhong.example")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, full_name="Trần Thị Bình")
    second = make.user(Role.STAFF, full_name="Lê Văn Cường")
    body = requests.save_body(None, actor=staff, name_vi="Cục Thuế thành phố Hà Nội", name_en="Hà Nội Tax Department",
                              kind=BodyKind.OTHER_DEPARTMENT, contact_email="cucthue@example.vn")
    category = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))

    def file(title="Hoàn thuế giá trị gia tăng cho phần mềm", consent=PublicationConsent.NAMED,
             text="Công ty Sông Hồng đề nghị hướng dẫn hoàn thuế. Người liên hệ: Nguyễn Văn An."):
        return requests.file(company, actor=founder, kind=RequestKind.REQUEST, category=category, title=title,
                             text=text, consent=consent)

    db.session.commit()
    return {"company": company, "founder": founder, "staff": staff, "second": second, "body": body,
            "category": category, "file": file}


def future(days: int = 14) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
