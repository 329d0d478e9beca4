"""incubators: one installation serves a network; every first-level row belongs to one incubator

Revision ID: 48a37242a2d7
Revises: c7e2a9d41f08
Create Date: 2026-12-03 09:00:00

Creates ``incubators`` with the one incubator every installation had so far, code ``VUHN``, named as the
pages, e-mails and reports name it, and gives the first-level tables (intake rounds, cohorts, residencies,
graduation outcomes, service deliveries, partner agreements, fund consents, the fund pipeline, periodic
reports) an ``incubator_id``: added empty, filled with VUHN's id, then required, indexed and referring to
``incubators``. Every existing row is VUHN's; nothing else changes. Targets and the names reports print are
left for a later step.

``user_roles`` gets an ``incubator_id`` that may stay empty: empty means a role held across the network, or in
no incubator. Of the roles of ``incubator/auth/enums.py`` Role:
- ``staff`` (the incubator's staff), ``reviewer`` (members of its intake panels), ``mentor`` (its mentors) and
  ``fund_manager`` (a fund's people reading its pipeline) act within an incubator: today's become VUHN's;
- ``admin`` (administrators of the installation) and ``official`` (the Department of Science and Technology's
  officials, who read every incubator) are network-wide: empty;
- ``founder``: a founder belongs to no incubator (their businesses apply where they choose): empty.
"""
import sqlalchemy as sa
from alembic import op

revision = '48a37242a2d7'
down_revision = 'c7e2a9d41f08'
branch_labels = None
depends_on = None

SCOPED_TABLES = ('intake_rounds', 'cohorts', 'residencies', 'graduation_outcomes', 'service_deliveries',
                 'partner_agreements', 'fund_consents', 'fund_pipeline', 'periodic_reports')
ROLES_IN_AN_INCUBATOR = ('staff', 'reviewer', 'mentor', 'fund_manager')

DEFAULT_CODE = 'VUHN'
DEFAULT_NAME_VI = 'Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội'
DEFAULT_NAME_EN = 'Hà Nội innovation ICT business incubator'


def upgrade():
    incubators = op.create_table(
        'incubators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=10), nullable=False),
        sa.Column('name_vi', sa.String(length=300), nullable=False),
        sa.Column('name_en', sa.String(length=300), nullable=True),
        sa.Column('address', sa.String(length=300), nullable=True),
        sa.Column('logo', sa.String(length=100), nullable=True),
        sa.Column('report_number_suffix', sa.String(length=50), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incubators')),
        sa.UniqueConstraint('code', name=op.f('uq_incubators_code')),
    )
    conn = op.get_bind()
    conn.execute(incubators.insert().values(code=DEFAULT_CODE, name_vi=DEFAULT_NAME_VI, name_en=DEFAULT_NAME_EN,
                                            created_at=sa.func.current_timestamp()))
    default_id = conn.scalar(sa.select(incubators.c.id).where(incubators.c.code == DEFAULT_CODE))

    for name in SCOPED_TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('incubator_id', sa.Integer(), nullable=True))
        table = sa.table(name, sa.column('incubator_id', sa.Integer))
        conn.execute(table.update().values(incubator_id=default_id))
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('incubator_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{name}_incubator_id'), ['incubator_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{name}_incubator_id_incubators'), 'incubators',
                                        ['incubator_id'], ['id'])

    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incubator_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_roles_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_user_roles_incubator_id_incubators'), 'incubators',
                                    ['incubator_id'], ['id'])
    roles = sa.table('user_roles', sa.column('role', sa.String), sa.column('incubator_id', sa.Integer))
    conn.execute(roles.update().where(roles.c.role.in_(ROLES_IN_AN_INCUBATOR)).values(incubator_id=default_id))


def downgrade():
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_roles_incubator_id_incubators'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_roles_incubator_id'))
        batch_op.drop_column('incubator_id')
    for name in reversed(SCOPED_TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{name}_incubator_id_incubators'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{name}_incubator_id'))
            batch_op.drop_column('incubator_id')
    op.drop_table('incubators')
