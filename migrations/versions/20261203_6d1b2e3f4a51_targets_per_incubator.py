"""targets per incubator: today's rows become the city's, and each incubator gets its own copies

Revision ID: 6d1b2e3f4a51
Revises: 5c0a1d2e3f40
Create Date: 2026-12-03 12:00:00

``targets`` gets an ``incubator_id`` that may stay empty: empty is the city's row (its figures count the whole
network, each business once), a value an incubator's own copy (its figures count that incubator's residencies
and outcomes). Every existing row stays as it is and becomes the city's; each incubator then gets a copy of
each of them with the same code, names, kind, threshold, window and source document, which its staff may edit.
A code was unique across the table; it is now unique among the city's rows (a partial unique index, since NULL
is distinct from NULL in a unique constraint on both databases) and among each incubator's (a unique
constraint on incubator and code).

Downgrade: the copies are deleted and the column dropped, the code unique across the table again.
"""
import sqlalchemy as sa
from alembic import op

revision = '6d1b2e3f4a51'
down_revision = '5c0a1d2e3f40'
branch_labels = None
depends_on = None

CITY_ROW = sa.text('incubator_id IS NULL')
COPIED = ('code', 'name_vi', 'name_en', 'kind', 'threshold', 'window_start', 'window_end', 'source_document')


def upgrade():
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incubator_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_targets_code'), type_='unique')
        batch_op.create_index(batch_op.f('ix_targets_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_targets_incubator_id_incubators'), 'incubators',
                                    ['incubator_id'], ['id'])
        batch_op.create_unique_constraint('uq_targets_incubator_id_code', ['incubator_id', 'code'])
    op.create_index('uq_targets_city_code', 'targets', ['code'], unique=True, sqlite_where=CITY_ROW,
                    postgresql_where=CITY_ROW)

    conn = op.get_bind()
    targets = sa.table('targets', sa.column('id', sa.Integer), sa.column('incubator_id', sa.Integer),
                       sa.column('version_id', sa.Integer), *(sa.column(name) for name in COPIED))
    incubators = sa.table('incubators', sa.column('id', sa.Integer))
    city = conn.execute(sa.select(*(targets.c[name] for name in COPIED))
                        .where(targets.c.incubator_id.is_(None)).order_by(targets.c.id)).mappings().all()
    incubator_ids = conn.execute(sa.select(incubators.c.id).order_by(incubators.c.id)).scalars().all()
    copies = [{**row, 'incubator_id': incubator_id, 'version_id': 1}
              for incubator_id in incubator_ids for row in city]
    if copies:
        conn.execute(targets.insert(), copies)


def downgrade():
    targets = sa.table('targets', sa.column('incubator_id', sa.Integer))
    op.execute(targets.delete().where(targets.c.incubator_id.is_not(None)))
    op.drop_index('uq_targets_city_code', table_name='targets', sqlite_where=CITY_ROW, postgresql_where=CITY_ROW)
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint('uq_targets_incubator_id_code', type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_targets_incubator_id_incubators'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_targets_incubator_id'))
        batch_op.drop_column('incubator_id')
        batch_op.create_unique_constraint(batch_op.f('uq_targets_code'), ['code'])
