"""An extended cohort member's new last day; partner agreements carry a version (edited in the UI)

Revision ID: a4d91c6e2b57
Revises: 5e3c1a7b9d20
Create Date: 2026-12-02 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a4d91c6e2b57'
down_revision = '5e3c1a7b9d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_to', sa.Date(), nullable=True))
    with op.batch_alter_table('partner_agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('partner_agreements', schema=None) as batch_op:
        batch_op.drop_column('version_id')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_column('extended_to')
