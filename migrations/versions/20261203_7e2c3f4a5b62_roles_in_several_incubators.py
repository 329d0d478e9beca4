"""roles in several incubators: a person may hold the same role once in each incubator

Revision ID: 7e2c3f4a5b62
Revises: 6d1b2e3f4a51
Create Date: 2026-12-03 12:00:00

``user_roles`` was keyed by (user, role), so a reviewer of HN1 could not review for HN2 too. It gets its own
``id`` as primary key; (user, role, incubator) is unique, and so is (user, role) among the roles held across the
network (an empty incubator: administrators, officials, founders), by a partial unique index. Every row is
kept as it is. Going back keeps one row per (user, role), the first numbered.
"""
import sqlalchemy as sa
from alembic import op

revision = '7e2c3f4a5b62'
down_revision = '6d1b2e3f4a51'
branch_labels = None
depends_on = None

NETWORK_WHERE = sa.text('incubator_id IS NULL')


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint('pk_user_roles', 'user_roles', type_='primary')
        op.execute('ALTER TABLE user_roles ADD COLUMN id SERIAL NOT NULL')
        op.create_primary_key('pk_user_roles', 'user_roles', ['id'])
        op.create_unique_constraint('uq_user_roles_user_role_incubator', 'user_roles',
                                    ['user_id', 'role', 'incubator_id'])
    else:
        # SQLite cannot change a primary key in place: the table is rebuilt, each row numbered as it is copied.
        op.create_table(
            '_user_roles_new',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column('role', sa.String(length=32), nullable=False),
            sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('incubator_id', sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                                    name='fk_user_roles_incubator_id_incubators'),
            sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_user_roles_user_id_users',
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name='pk_user_roles'),
            sa.UniqueConstraint('user_id', 'role', 'incubator_id', name='uq_user_roles_user_role_incubator'),
        )
        op.execute('INSERT INTO _user_roles_new (user_id, role, granted_at, incubator_id) '
                   'SELECT user_id, role, granted_at, incubator_id FROM user_roles ORDER BY granted_at, user_id, role')
        op.drop_table('user_roles')
        op.rename_table('_user_roles_new', 'user_roles')
        op.create_index('ix_user_roles_incubator_id', 'user_roles', ['incubator_id'], unique=False)
    op.create_index('uq_user_roles_network_role', 'user_roles', ['user_id', 'role'], unique=True,
                    sqlite_where=NETWORK_WHERE, postgresql_where=NETWORK_WHERE)


def downgrade():
    # One row per (user, role), as the old key wants, where a person held a role in several incubators.
    op.execute('DELETE FROM user_roles WHERE id NOT IN (SELECT MIN(id) FROM user_roles GROUP BY user_id, role)')
    op.drop_index('uq_user_roles_network_role', table_name='user_roles')
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint('uq_user_roles_user_role_incubator', type_='unique')
        batch_op.drop_constraint('pk_user_roles', type_='primary')
        batch_op.drop_column('id')
        batch_op.create_primary_key('pk_user_roles', ['user_id', 'role'])
