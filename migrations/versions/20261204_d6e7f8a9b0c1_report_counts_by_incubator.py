"""a report's counts of one incubator from indexes that hold the incubator (applications received and accepted,
funding reported), and whether a counted business is an IT business from an index instead of the city's
register (issue 23)

Revision ID: d6e7f8a9b0c1
Revises: c5d6e7f8a9b0
Create Date: 2026-12-04 04:30:00

"""
from alembic import op

revision = 'd6e7f8a9b0c1'
down_revision = 'c5d6e7f8a9b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_applications_incubator_submitted', 'applications',
                    ['incubator_id', 'submitted_at', 'status'], unique=False)
    op.create_index('ix_applications_incubator_decided', 'applications',
                    ['incubator_id', 'status', 'decided_at'], unique=False)
    op.create_index('ix_progress_reports_incubator_funding', 'progress_reports',
                    ['incubator_id', 'status', 'period_start', 'funding_raised'], unique=False)
    op.create_index('ix_companies_id_is_it', 'companies', ['id', 'is_it'], unique=False)


def downgrade():
    op.drop_index('ix_companies_id_is_it', table_name='companies')
    op.drop_index('ix_progress_reports_incubator_funding', table_name='progress_reports')
    op.drop_index('ix_applications_incubator_decided', table_name='applications')
    op.drop_index('ix_applications_incubator_submitted', table_name='applications')
