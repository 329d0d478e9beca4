"""evidence stored stripped or null

Revision ID: 43fd7bdb02e6
Revises: 833af24bef50
Create Date: 2026-11-23 11:36:41.827397

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43fd7bdb02e6'
down_revision = '833af24bef50'
branch_labels = None
depends_on = None


def upgrade():
    """Whitespace is no evidence: blank values become NULL, so one rule (NOT NULL) decides everywhere."""
    for column in ("evidence_text", "evidence_url", "evidence_file", "product"):
        op.execute(f"UPDATE graduation_outcomes SET {column} = NULL WHERE TRIM({column}) = ''")


def downgrade():
    pass
