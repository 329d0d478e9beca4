"""users.partner_id index (a partner's page lists its people)

Revision ID: 9d4e1c2b7a30
Revises: cccdcd35aa52
Create Date: 2026-11-23 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4e1c2b7a30'
down_revision = 'cccdcd35aa52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_partner_id'), ['partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_partner_id'))
