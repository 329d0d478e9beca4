"""indexes for the report to the Department: applications, progress reports and confirmed hours of a period

Revision ID: a2d9c4e81f57
Revises: 7c3e5a1f2b64
Create Date: 2026-11-23 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2d9c4e81f57'
down_revision = '7c3e5a1f2b64'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_submitted_at', ['submitted_at'], unique=False)
        batch_op.create_index('ix_applications_status_decided_at', ['status', 'decided_at'], unique=False)
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index('ix_progress_reports_period_status', ['period_start', 'status'], unique=False)
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_mentoring_sessions_period_hours',
                              ['status', 'starts_at', 'partner_id', 'minutes'], unique=False)


def downgrade():
    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentoring_sessions_period_hours')
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_reports_period_status')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_status_decided_at')
        batch_op.drop_index('ix_applications_submitted_at')
