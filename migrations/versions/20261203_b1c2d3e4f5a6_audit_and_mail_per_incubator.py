"""the audit log and the e-mail outbox: each entry and message belongs to an incubator, or to the installation

Revision ID: b1c2d3e4f5a6
Revises: 9a4e5b6c7d84
Create Date: 2026-12-03 13:00:00

``audit_log`` and ``mail_outbox`` get an ``incubator_id`` that may stay empty: empty is the installation's
(a person's account, a city-wide list, a command run on the whole installation), a value an incubator's, so that
the staff of one incubator read none of another's entries and e-mails (organisation/scoping.py).

Existing audit entries take their object's incubator where the object's table carries one (``object_type`` is
the table's name, ``object_id`` its id; an entry about an incubator takes that incubator). With a single
incubator every other entry and every e-mail take that one (its staff see them as before); with several they
stay empty: an account or a city-wide list is no incubator's, and which incubator an old e-mail was sent for
cannot be told.

Downgrade drops both columns.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b1c2d3e4f5a6'
down_revision = '9a4e5b6c7d84'
branch_labels = None
depends_on = None

TABLES = ('audit_log', 'mail_outbox')


def upgrade():
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('incubator_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{name}_incubator_id'), ['incubator_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{name}_incubator_id_incubators'), 'incubators',
                                        ['incubator_id'], ['id'])

    conn = op.get_bind()
    audit = sa.table('audit_log', sa.column('incubator_id', sa.Integer), sa.column('object_type', sa.String),
                     sa.column('object_id', sa.String))
    inspector = sa.inspect(conn)
    placed = sorted(name for name in inspector.get_table_names()
                    if name not in TABLES
                    and {'id', 'incubator_id'} <= {column['name'] for column in inspector.get_columns(name)})
    for name in placed:
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('incubator_id', sa.Integer)).alias('o')
        of_object = (sa.select(table.c.incubator_id)
                     .where(sa.cast(table.c.id, sa.String(40)) == audit.c.object_id).scalar_subquery())
        conn.execute(audit.update().where(audit.c.object_type == name).values(incubator_id=of_object))
    incubators = sa.table('incubators', sa.column('id', sa.Integer)).alias('i')
    the_incubator = (sa.select(incubators.c.id).where(sa.cast(incubators.c.id, sa.String(40)) == audit.c.object_id)
                     .scalar_subquery())
    conn.execute(audit.update().where(audit.c.object_type == 'incubators').values(incubator_id=the_incubator))

    ids = conn.execute(sa.text('SELECT id FROM incubators ORDER BY id LIMIT 2')).scalars().all()
    if len(ids) == 1:
        for name in TABLES:
            table = sa.table(name, sa.column('incubator_id', sa.Integer))
            conn.execute(table.update().where(table.c.incubator_id.is_(None)).values(incubator_id=ids[0]))


def downgrade():
    for name in reversed(TABLES):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{name}_incubator_id_incubators'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{name}_incubator_id'))
            batch_op.drop_column('incubator_id')
