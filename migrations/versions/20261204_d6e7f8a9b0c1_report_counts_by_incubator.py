"""a report's sum of the funding one incubator's startups reported from an index that holds the incubator, and
whether a counted business is an IT business from an index instead of the city's register (issue 23). (Indexes
of one incubator's applications by date were tried and left out: SQLite's planner then counted a round's
applications by status through them, reading the incubator's every application instead of the round's.)

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
    op.create_index('ix_progress_reports_incubator_funding', 'progress_reports',
                    ['incubator_id', 'status', 'period_start', 'funding_raised'], unique=False)
    op.create_index('ix_companies_id_is_it', 'companies', ['id', 'is_it'], unique=False)


def downgrade():
    op.drop_index('ix_companies_id_is_it', table_name='companies')
    op.drop_index('ix_progress_reports_incubator_funding', table_name='progress_reports')
