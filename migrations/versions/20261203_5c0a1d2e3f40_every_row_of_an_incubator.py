"""every row of an incubator's work carries its incubator, taken from its parent

Revision ID: 5c0a1d2e3f40
Revises: 48a37242a2d7
Create Date: 2026-12-03 11:00:00

48a37242a2d7 gave the first-level tables an ``incubator_id``. This gives one to every table below them, so that
the scoping that limits a request to its incubators (organisation/scoping.py) finds no row of another one: a
round's questions, documents, applications and review stages; an application's documents; a stage's criteria,
panel, entries and assignments; an assignment's review and a review's scores; a cohort's members and a
member's progress reports, reminders and mentor assignments; an assignment's mentoring sessions; a service's
recipients; a pipeline entry's moves. Each is added empty, filled from its parent's (parents before children),
then required, indexed and referring to ``incubators``. The rejection reasons staff keep have no parent: each
incubator keeps its own, and today's are VUHN's (as is any row whose parent could not be found).

The tables that stay city-wide, and why, are listed in tests/organisation/test_every_table_is_placed.py.
"""
import sqlalchemy as sa
from alembic import op

revision = '5c0a1d2e3f40'
down_revision = '48a37242a2d7'
branch_labels = None
depends_on = None

DEFAULT_CODE = 'VUHN'

# (table, its column naming the parent, the parent's table), parents before children. None: no parent.
PLACED = (
    ('round_questions', 'round_id', 'intake_rounds'),
    ('round_documents', 'round_id', 'intake_rounds'),
    ('applications', 'round_id', 'intake_rounds'),
    ('application_documents', 'application_id', 'applications'),
    ('review_stages', 'round_id', 'intake_rounds'),
    ('review_criteria', 'stage_id', 'review_stages'),
    ('review_panel_members', 'stage_id', 'review_stages'),
    ('rejection_reasons', None, None),
    ('review_stage_entries', 'stage_id', 'review_stages'),
    ('review_assignments', 'stage_id', 'review_stages'),
    ('reviews', 'assignment_id', 'review_assignments'),
    ('review_scores', 'review_id', 'reviews'),
    ('cohort_members', 'cohort_id', 'cohorts'),
    ('progress_reports', 'member_id', 'cohort_members'),
    ('report_reminders', 'member_id', 'cohort_members'),
    ('mentor_assignments', 'member_id', 'cohort_members'),
    ('mentoring_sessions', 'assignment_id', 'mentor_assignments'),
    ('service_recipients', 'service_id', 'service_deliveries'),
    ('fund_pipeline_moves', 'entry_id', 'fund_pipeline'),
)


def upgrade():
    conn = op.get_bind()
    default_id = conn.execute(sa.text('SELECT id FROM incubators WHERE code = :code'),
                              {'code': DEFAULT_CODE}).scalar()
    if default_id is None:  # an installation whose VUHN was renamed: its first incubator
        default_id = conn.execute(sa.text('SELECT MIN(id) FROM incubators')).scalar()

    for name, parent_column, parent_name in PLACED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('incubator_id', sa.Integer(), nullable=True))
        table = sa.table(name, sa.column('incubator_id', sa.Integer))
        if parent_name is None:
            conn.execute(table.update().values(incubator_id=default_id))
        else:
            child = sa.table(name, sa.column('incubator_id', sa.Integer), sa.column(parent_column, sa.Integer))
            parent = sa.table(parent_name, sa.column('id', sa.Integer),
                              sa.column('incubator_id', sa.Integer)).alias('p')
            of_parent = (sa.select(parent.c.incubator_id).where(parent.c.id == child.c[parent_column])
                         .scalar_subquery())
            conn.execute(child.update().values(incubator_id=sa.func.coalesce(of_parent, default_id)))
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('incubator_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{name}_incubator_id'), ['incubator_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{name}_incubator_id_incubators'), 'incubators',
                                        ['incubator_id'], ['id'])


def downgrade():
    for name, _parent_column, _parent_name in reversed(PLACED):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{name}_incubator_id_incubators'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{name}_incubator_id'))
            batch_op.drop_column('incubator_id')
