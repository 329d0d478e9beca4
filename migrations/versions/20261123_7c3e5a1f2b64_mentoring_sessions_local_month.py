"""mentoring_sessions.local_month (the Hà Nội month of a session) and covering indexes for a partner's hours

Revision ID: 7c3e5a1f2b64
Revises: 4b8f2d6e9a13
Create Date: 2026-11-23 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e5a1f2b64'
down_revision = '4b8f2d6e9a13'
branch_labels = None
depends_on = None


# The Hà Nội month of starts_at, in each database's SQL (Hà Nội has no summer time).
LOCAL_MONTH_SQL = {
    'postgresql': "to_char(timezone('Asia/Ho_Chi_Minh', starts_at), 'YYYY-MM')",
    'sqlite': "strftime('%Y-%m', starts_at, '+7 hours')",
}


def upgrade():
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_month', sa.String(length=7), nullable=True))
    # The month as the queries worked it out until now (no table references mentoring_sessions, so the copy
    # SQLite's batch makes below for NOT NULL deletes nothing elsewhere).
    dialect = op.get_bind().dialect.name
    op.execute(f"UPDATE mentoring_sessions SET local_month = {LOCAL_MONTH_SQL.get(dialect, LOCAL_MONTH_SQL['sqlite'])}")
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.alter_column('local_month', existing_type=sa.String(length=7), nullable=False)
        batch_op.create_index('ix_mentoring_sessions_partner_month',
                              ['partner_id', 'status', 'local_month', 'minutes'], unique=False)
        batch_op.create_index('ix_mentoring_sessions_partner_company',
                              ['partner_id', 'status', 'company_id', 'minutes'], unique=False)
        batch_op.create_index('ix_mentoring_sessions_mentor_hours',
                              ['mentor_id', 'partner_id', 'status', 'minutes'], unique=False)


def downgrade():
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_sessions_mentor_hours')
        batch_op.drop_index('ix_mentoring_sessions_partner_company')
        batch_op.drop_index('ix_mentoring_sessions_partner_month')
        batch_op.drop_column('local_month')
