"""stage standings: each entry's figures in its stage's ranking (assigned, done, mean, median, normalised score,
spread, unreliable reviewers), kept in the same transaction as each write that changes them (issue 23), so that
the ranking's page reads a sorted page of rows; filled here for every existing stage, with the ranking's own
arithmetic (incubator.reviews.ranking.rank, a pure function). Report renders: a report's PDF (a draft's, a
finalised one's, the city's of a period) drawn in the background, its file in the upload store.

Revision ID: b8c9d0e1f2a3
Revises: a7b8c9d0e1f2
Create Date: 2026-12-03 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b8c9d0e1f2a3'
down_revision = 'a7b8c9d0e1f2'
branch_labels = None
depends_on = None

STAGES = sa.table("review_stages", sa.column("id", sa.Integer), sa.column("incubator_id", sa.Integer),
                  sa.column("spread_threshold", sa.Integer))
ENTRIES = sa.table("review_stage_entries", sa.column("id", sa.Integer), sa.column("stage_id", sa.Integer),
                   sa.column("application_id", sa.Integer))
ASSIGNMENTS = sa.table("review_assignments", sa.column("id", sa.Integer), sa.column("stage_id", sa.Integer),
                       sa.column("application_id", sa.Integer), sa.column("reviewer_id", sa.Integer),
                       sa.column("status", sa.String))
REVIEWS = sa.table("reviews", sa.column("assignment_id", sa.Integer), sa.column("status", sa.String),
                   sa.column("weighted_total", sa.Float))


def upgrade():
    standings = op.create_table(
        'review_stage_standings',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('stage_id', sa.Integer(), nullable=False),
        sa.Column('assigned', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('unreliable_reviewers', sa.Integer(), nullable=False),
        sa.Column('mean', sa.Float(), nullable=True),
        sa.Column('median', sa.Float(), nullable=True),
        sa.Column('normalised', sa.Float(), nullable=True),
        sa.Column('spread', sa.Float(), nullable=True),
        sa.Column('wide', sa.Boolean(), nullable=False),
        sa.Column('incubator_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['review_stage_entries.id'],
                                name=op.f('fk_review_stage_standings_entry_id_review_stage_entries'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                                name=op.f('fk_review_stage_standings_incubator_id_incubators')),
        sa.ForeignKeyConstraint(['stage_id'], ['review_stages.id'],
                                name=op.f('fk_review_stage_standings_stage_id_review_stages'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_review_stage_standings')),
    )
    op.create_index('ix_review_stage_standings_stage_normalised', 'review_stage_standings',
                    ['stage_id', 'normalised'], unique=False)
    op.create_index(op.f('ix_review_stage_standings_incubator_id'), 'review_stage_standings', ['incubator_id'],
                    unique=False)
    _fill(op.get_bind(), standings)
    op.create_table(
        'report_renders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('draft', 'final', 'citywide', name='renderkind', native_enum=False,
                                  create_constraint=False, length=10), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=True),
        sa.Column('incubator_id', sa.Integer(), nullable=True),
        sa.Column('period', sa.String(length=20), nullable=True),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='renderstatus', native_enum=False,
                                    create_constraint=False, length=10), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('stored_name', sa.String(length=100), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.CheckConstraint("lang IN ('vi', 'en')", name=op.f('ck_report_renders_lang_known')),
        sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                                name=op.f('fk_report_renders_incubator_id_incubators')),
        sa.ForeignKeyConstraint(['report_id'], ['periodic_reports.id'],
                                name=op.f('fk_report_renders_report_id_periodic_reports'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_report_renders_requested_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_renders')),
    )
    op.create_index(op.f('ix_report_renders_report_id'), 'report_renders', ['report_id'], unique=False)


def _fill(conn, standings) -> None:
    from incubator.reviews.ranking import rank

    counted = sa.and_(REVIEWS.c.status == "submitted", REVIEWS.c.weighted_total.is_not(None))
    for stage_id, incubator_id, threshold in conn.execute(sa.select(STAGES.c.id, STAGES.c.incubator_id,
                                                                    STAGES.c.spread_threshold)).all():
        entries = conn.execute(sa.select(ENTRIES.c.id, ENTRIES.c.application_id)
                               .where(ENTRIES.c.stage_id == stage_id)).all()
        if not entries:
            continue
        assigned, reviews = {}, []
        for application, reviewer, total in conn.execute(
                sa.select(ASSIGNMENTS.c.application_id, ASSIGNMENTS.c.reviewer_id,
                          sa.case((counted, REVIEWS.c.weighted_total)))
                .outerjoin(REVIEWS, REVIEWS.c.assignment_id == ASSIGNMENTS.c.id)
                .where(ASSIGNMENTS.c.stage_id == stage_id, ASSIGNMENTS.c.status.in_(("assigned", "confirmed")))):
            assigned[application] = assigned.get(application, 0) + 1
            if total is not None:
                reviews.append((application, reviewer, total))
        rows = rank([application for _id, application in entries], assigned, reviews, threshold)
        conn.execute(sa.insert(standings), [
            {"entry_id": entry_id, "stage_id": stage_id, "incubator_id": incubator_id,
             "assigned": rows[a].assigned, "done": rows[a].done, "unreliable_reviewers": rows[a].unreliable_reviewers,
             "mean": rows[a].mean, "median": rows[a].median, "normalised": rows[a].normalised,
             "spread": rows[a].spread, "wide": rows[a].wide} for entry_id, a in entries])


def downgrade():
    op.drop_index(op.f('ix_report_renders_report_id'), table_name='report_renders')
    op.drop_table('report_renders')
    op.drop_index(op.f('ix_review_stage_standings_incubator_id'), table_name='review_stage_standings')
    op.drop_index('ix_review_stage_standings_stage_normalised', table_name='review_stage_standings')
    op.drop_table('review_stage_standings')
