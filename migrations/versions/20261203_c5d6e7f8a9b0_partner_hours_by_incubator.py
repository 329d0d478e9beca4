"""a partner's hours by month, startup and mentor from covering indexes that hold the incubator: the staff of one
incubator read the partner's sessions there from the indexes alone, in one statement (issue 23)

Revision ID: c5d6e7f8a9b0
Revises: b4c5d6e7f8a9
Create Date: 2026-12-03 22:30:00

"""
from alembic import op

revision = 'c5d6e7f8a9b0'
down_revision = 'b4c5d6e7f8a9'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_mentoring_sessions_partner_month', table_name='mentoring_sessions')
    op.drop_index('ix_mentoring_sessions_partner_company', table_name='mentoring_sessions')
    op.create_index('ix_mentoring_sessions_partner_month', 'mentoring_sessions',
                    ['partner_id', 'status', 'incubator_id', 'local_month', 'minutes'], unique=False)
    op.create_index('ix_mentoring_sessions_partner_company', 'mentoring_sessions',
                    ['partner_id', 'status', 'incubator_id', 'company_id', 'minutes'], unique=False)
    op.create_index('ix_mentoring_sessions_partner_mentor', 'mentoring_sessions',
                    ['partner_id', 'status', 'incubator_id', 'mentor_id', 'minutes'], unique=False)


def downgrade():
    op.drop_index('ix_mentoring_sessions_partner_mentor', table_name='mentoring_sessions')
    op.drop_index('ix_mentoring_sessions_partner_company', table_name='mentoring_sessions')
    op.drop_index('ix_mentoring_sessions_partner_month', table_name='mentoring_sessions')
    op.create_index('ix_mentoring_sessions_partner_month', 'mentoring_sessions',
                    ['partner_id', 'status', 'local_month', 'minutes'], unique=False)
    op.create_index('ix_mentoring_sessions_partner_company', 'mentoring_sessions',
                    ['partner_id', 'status', 'company_id', 'minutes'], unique=False)
