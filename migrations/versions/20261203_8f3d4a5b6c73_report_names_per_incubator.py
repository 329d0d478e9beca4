"""the names a periodic report prints belong to an incubator

Revision ID: 8f3d4a5b6c73
Revises: 7e2c3f4a5b62
Create Date: 2026-12-03 13:00:00

``report_names`` (the governing body, the issuing body, the addressees, the place and the signer's title, with
their dates) was shared by the whole network. Each incubator now keeps its own: the column ``incubator_id`` is
added empty, today's rows are given to the first incubator (VUHN, else the lowest numbered), then it is required,
indexed and refers to ``incubators``. Any other incubator already created gets a copy of those rows, except the
issuing body, which is its own name (the organisation that runs it), with the same dates.

The first incubator's reports are numbered "…/BC-VƯTT" (its report number suffix, when it has none yet), and
the incubator record gets a ``version_id``: an administrator edits it on a page (its names, address, suffix and
logo), version-checked.

Downgrade: the copies are deleted (only the first incubator's rows stay, shared again) and the column dropped.
"""
import sqlalchemy as sa
from alembic import op

revision = '8f3d4a5b6c73'
down_revision = '7e2c3f4a5b62'
branch_labels = None
depends_on = None

DEFAULT_CODE = 'VUHN'
COPIED = ('kind', 'name_vi', 'name_en', 'valid_from', 'valid_until', 'position')


def _first_incubator(conn):
    found = conn.execute(sa.text('SELECT id FROM incubators WHERE code = :code'), {'code': DEFAULT_CODE}).scalar()
    if found is None:  # an installation whose VUHN was renamed: its first incubator
        found = conn.execute(sa.text('SELECT MIN(id) FROM incubators')).scalar()
    return found


DEFAULT_SUFFIX = 'BC-VƯTT'


def upgrade():
    conn = op.get_bind()
    with op.batch_alter_table('incubators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
    incubators = sa.table('incubators', sa.column('id', sa.Integer), sa.column('version_id', sa.Integer),
                          sa.column('report_number_suffix', sa.String))
    conn.execute(incubators.update().values(version_id=1))
    with op.batch_alter_table('incubators', schema=None) as batch_op:
        batch_op.alter_column('version_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('report_names', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incubator_id', sa.Integer(), nullable=True))
    first_id = _first_incubator(conn)
    conn.execute(incubators.update()
                 .where(incubators.c.id == first_id, incubators.c.report_number_suffix.is_(None))
                 .values(report_number_suffix=DEFAULT_SUFFIX))
    names = sa.table('report_names', sa.column('id', sa.Integer), sa.column('incubator_id', sa.Integer),
                     sa.column('version_id', sa.Integer), *(sa.column(name) for name in COPIED))
    conn.execute(names.update().values(incubator_id=first_id))

    incubators = sa.table('incubators', sa.column('id', sa.Integer), sa.column('name_vi', sa.String),
                          sa.column('name_en', sa.String))
    others = conn.execute(sa.select(incubators.c.id, incubators.c.name_vi, incubators.c.name_en)
                          .where(incubators.c.id != first_id).order_by(incubators.c.id)).all()
    rows = conn.execute(sa.select(*(names.c[name] for name in COPIED)).where(names.c.incubator_id == first_id)
                        .order_by(names.c.id)).mappings().all()
    copies = []
    for incubator_id, name_vi, name_en in others:
        for row in rows:
            copy = {**row, 'incubator_id': incubator_id, 'version_id': 1}
            if row['kind'] == 'issuing_body':
                copy.update(name_vi=name_vi, name_en=name_en or name_vi)
            copies.append(copy)
    if copies:
        conn.execute(names.insert(), copies)

    with op.batch_alter_table('report_names', schema=None) as batch_op:
        batch_op.alter_column('incubator_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_report_names_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_report_names_incubator_id_incubators'), 'incubators',
                                    ['incubator_id'], ['id'])


def downgrade():
    conn = op.get_bind()
    first_id = _first_incubator(conn)
    names = sa.table('report_names', sa.column('incubator_id', sa.Integer))
    if first_id is not None:
        conn.execute(names.delete().where(names.c.incubator_id != first_id))
    with op.batch_alter_table('report_names', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_names_incubator_id_incubators'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_report_names_incubator_id'))
        batch_op.drop_column('incubator_id')
    with op.batch_alter_table('incubators', schema=None) as batch_op:
        batch_op.drop_column('version_id')
