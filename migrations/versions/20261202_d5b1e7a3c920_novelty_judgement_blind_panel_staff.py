"""novelty judged by staff (who, when, why); staff on a panel blind to the ranking until their reviews are in

Revision ID: d5b1e7a3c920
Revises: b83e5f0a1c64
Create Date: 2026-12-02 11:00:00

Applications get the staff's judgement of the checklist's novelty rule (met or not, the note, who and when);
existing applications stay "for staff to judge". Review stages get ``blind_panel_staff`` (false for existing
stages: staff keep seeing the ranking as before).
"""
from alembic import op
import sqlalchemy as sa


revision = 'd5b1e7a3c920'
down_revision = 'b83e5f0a1c64'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('novelty_met', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('novelty_note', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('novelty_judged_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('novelty_judged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_applications_novelty_judged_by_id_users'), 'users',
                                    ['novelty_judged_by_id'], ['id'])
    with op.batch_alter_table('review_stages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blind_panel_staff', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('review_stages', schema=None) as batch_op:
        batch_op.drop_column('blind_panel_staff')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_novelty_judged_by_id_users'), type_='foreignkey')
        batch_op.drop_column('novelty_judged_at')
        batch_op.drop_column('novelty_judged_by_id')
        batch_op.drop_column('novelty_note')
        batch_op.drop_column('novelty_met')
