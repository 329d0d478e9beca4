"""change counters: a number raised in the same transaction as every write to what the targets count
(targets.freshness), so that the dashboard knows with one read of one row whether the figures it remembers are
still today's (issue 23)

Revision ID: f2a3b4c5d6e7
Revises: e1f2a3b4c5d6
Create Date: 2026-12-03 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f2a3b4c5d6e7'
down_revision = 'e1f2a3b4c5d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'change_counters',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_change_counters')),
    )


def downgrade():
    op.drop_table('change_counters')
