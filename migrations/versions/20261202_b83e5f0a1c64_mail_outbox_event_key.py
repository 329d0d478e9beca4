"""mail outbox: the event a message tells of, once per address; the recipient's name

Revision ID: b83e5f0a1c64
Revises: a4d91c6e2b57
Create Date: 2026-12-02 10:00:00

``event_key`` names what a message announces (an assignment, a session waiting for confirmation, a report
finalised …); unique with the address, so the same event is mailed to the same person once. Existing messages
have none (NULLs never collide). ``to_name`` is shown in the To header.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b83e5f0a1c64'
down_revision = 'a4d91c6e2b57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('event_key', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_mail_outbox_event_key_to_address', ['event_key', 'to_address'])


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_constraint('uq_mail_outbox_event_key_to_address', type_='unique')
        batch_op.drop_column('event_key')
        batch_op.drop_column('to_name')
