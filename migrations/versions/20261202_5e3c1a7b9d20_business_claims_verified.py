"""business claims wait for staff; businesses verified by staff

Revision ID: 5e3c1a7b9d20
Revises: a2d9c4e81f57
Create Date: 2026-12-02 06:30:00

Companies get verified_at/verified_by_id; memberships get the refusal reason and the registration
certificate a founder attaches to a claim. Existing rows:
- a company is verified (at its creation) unless a founder was let into its file without staff, i.e. it has
  an approved membership that no staff member decided: those businesses are shown as not yet verified;
- a membership approved without staff more than a minute after its company was on file is a claim of a
  business already on the register that the earlier code gave away at once: it goes back to waiting for staff
  (a founder who registered a new business keeps it: the company and the membership were made together).
"""
from alembic import op
import sqlalchemy as sa


revision = '5e3c1a7b9d20'
down_revision = 'a2d9c4e81f57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_companies_verified_at'), ['verified_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_companies_verified_by_id_users'), 'users', ['verified_by_id'],
                                    ['id'])
    with op.batch_alter_table('company_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('certificate_file', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('certificate_filename', sa.String(length=255), nullable=True))

    backfill(op.get_bind())


def backfill(conn):
    """Mark the businesses on file as verified, but those a founder was let into without staff; send back to
    staff the claims that were given away at once (see the module's docstring). Tested on both databases."""
    companies = sa.table('companies', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                         sa.column('verified_at', sa.DateTime))
    members = sa.table('company_members', sa.column('id', sa.Integer), sa.column('company_id', sa.Integer),
                       sa.column('status', sa.String), sa.column('decided_by_id', sa.Integer),
                       sa.column('decided_at', sa.DateTime), sa.column('created_at', sa.DateTime))
    self_approved = sa.select(members.c.company_id).where(members.c.status == 'approved',
                                                          members.c.decided_by_id.is_(None))
    conn.execute(companies.update().where(companies.c.id.not_in(self_approved), companies.c.verified_at.is_(None))
                 .values(verified_at=companies.c.created_at))
    # Claims given away at once: approved by nobody, made more than a minute after the company was on file.
    late = []
    rows = conn.execute(sa.select(members.c.id, members.c.created_at, companies.c.created_at)
                        .join(companies, companies.c.id == members.c.company_id)
                        .where(members.c.status == 'approved', members.c.decided_by_id.is_(None))).all()
    for member_id, joined, company_created in rows:
        if joined is not None and company_created is not None and _naive(joined) - _naive(company_created) \
                > _MINUTE:
            late.append(member_id)
    if late:
        conn.execute(members.update().where(members.c.id.in_(late)).values(status='pending', decided_at=None))


_MINUTE = __import__('datetime').timedelta(minutes=1)


def _naive(value):
    if isinstance(value, str):  # SQLite returns text through a plain table()
        from datetime import datetime

        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=None) if value.tzinfo else value


def downgrade():
    with op.batch_alter_table('company_members', schema=None) as batch_op:
        batch_op.drop_column('certificate_filename')
        batch_op.drop_column('certificate_file')
        batch_op.drop_column('decision_reason')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_companies_verified_by_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_companies_verified_at'))
        batch_op.drop_column('verified_by_id')
        batch_op.drop_column('verified_at')
