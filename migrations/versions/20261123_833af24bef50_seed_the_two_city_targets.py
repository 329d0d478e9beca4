"""seed the two city targets

Revision ID: 833af24bef50
Revises: f0e1bdaf0c8c
Create Date: 2026-11-23 11:27:54.053141

"""
from alembic import op
from datetime import date

import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '833af24bef50'
down_revision = 'f0e1bdaf0c8c'
branch_labels = None
depends_on = None


TARGETS = sa.table(
    "targets", sa.column("code", sa.String), sa.column("name_vi", sa.String), sa.column("name_en", sa.String),
    sa.column("kind", sa.String), sa.column("threshold", sa.Numeric), sa.column("window_start", sa.Date),
    sa.column("window_end", sa.Date), sa.column("source_document", sa.String), sa.column("version_id", sa.Integer),
)

SEEDS = [
    {"code": "IT70",
     "name_vi": "Tỷ lệ doanh nghiệp CNTT khởi nghiệp được ươm tạo trong tổng số doanh nghiệp CNTT hoạt động "
                "trong Vườn ươm",
     "name_en": "Share of incubated IT startups among the IT businesses operating in the incubator",
     "kind": "incubated_it_ratio", "threshold": 70, "window_start": None, "window_end": None,
     "source_document": "Kế hoạch phát triển công nghiệp CNTT thành phố Hà Nội giai đoạn 2016–2020",
     "version_id": 1},
    {"code": "GRAD10",
     "name_vi": "Doanh nghiệp khởi nghiệp đổi mới sáng tạo về công nghệ số được ươm tạo, có sản phẩm phục vụ "
                "chính quyền số, kinh tế số, xã hội số",
     "name_en": "Innovative digital-technology startups incubated with products serving digital government, "
                "economy or society",
     "kind": "graduate_count", "threshold": 10, "window_start": date(2024, 1, 1), "window_end": date(2025, 12, 31),
     "source_document": "Kế hoạch phát triển doanh nghiệp công nghệ số Việt Nam trên địa bàn thành phố Hà Nội "
                        "đến năm 2025",
     "version_id": 1},
]


def upgrade():
    """Every installation starts with the two targets of the city's plans (staff may edit them later)."""
    conn = op.get_bind()
    existing = set(conn.execute(sa.select(TARGETS.c.code)).scalars())
    rows = [row for row in SEEDS if row["code"] not in existing]
    if rows:
        op.bulk_insert(TARGETS, rows)


def downgrade():
    op.execute(TARGETS.delete().where(TARGETS.c.code.in_(["IT70", "GRAD10"])))
