"""an index for one incubator's confirmed mentoring hours of a period by partner (its periodic report), led by the
incubator: in a network of ten the period's sessions of every incubator were read to keep one's (issue 23)

Revision ID: b4c5d6e7f8a9
Revises: a3b4c5d6e7f8
Create Date: 2026-12-03 19:20:00

"""
from alembic import op

revision = 'b4c5d6e7f8a9'
down_revision = 'a3b4c5d6e7f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_mentoring_sessions_incubator_period_hours', 'mentoring_sessions',
                    ['incubator_id', 'status', 'starts_at', 'partner_id', 'minutes'], unique=False)


def downgrade():
    op.drop_index('ix_mentoring_sessions_incubator_period_hours', table_name='mentoring_sessions')
