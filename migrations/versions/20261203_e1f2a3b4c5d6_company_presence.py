"""where each business is (company_presence): a row per incubator a business is in (a residency, an outcome, an
application submitted there) or one with no incubator while it is in none, kept in the same transaction as those
rows (incubator.companies.presence), so that the register's rule of which businesses an incubator's staff see
reads one indexed table (issue 23); filled here from the rows.

Revision ID: e1f2a3b4c5d6
Revises: d0e1f2a3b4c5
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e1f2a3b4c5d6'
down_revision = 'd0e1f2a3b4c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'company_presence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('company_id', sa.Integer(), nullable=False),
        sa.Column('incubator_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                                name=op.f('fk_company_presence_company_id_companies'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                                name=op.f('fk_company_presence_incubator_id_incubators')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_company_presence')),
        sa.UniqueConstraint('company_id', 'incubator_id', name='uq_company_presence_company_incubator'),
    )
    op.create_index('ix_company_presence_incubator_company', 'company_presence', ['incubator_id', 'company_id'],
                    unique=False)
    # The rows as the keeper writes them: what the packages register today (residencies, outcomes, applications
    # past the draft), and one row with no incubator for each business in none.
    op.execute("""
        INSERT INTO company_presence (company_id, incubator_id)
        SELECT DISTINCT company_id, incubator_id FROM (
            SELECT company_id, incubator_id FROM residencies
            UNION ALL SELECT company_id, incubator_id FROM graduation_outcomes
            UNION ALL SELECT company_id, incubator_id FROM applications WHERE status <> 'draft'
        ) AS presence
    """)
    op.execute("""
        INSERT INTO company_presence (company_id, incubator_id)
        SELECT id, NULL FROM companies
        WHERE NOT EXISTS (SELECT 1 FROM company_presence WHERE company_presence.company_id = companies.id)
    """)


def downgrade():
    op.drop_index('ix_company_presence_incubator_company', table_name='company_presence')
    op.drop_table('company_presence')
