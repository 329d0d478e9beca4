"""stage reviewers: how many counted reviews each reviewer has in a stage (submitted, with a weighted total, of an
active assignment), kept with the stage's standings in the same transaction as each write that changes them, so
that the ranking tells which reviewers' normalised scores are not yet reliable without counting the stage's
reviews at each view (issue 23); filled here from the reviews.

Revision ID: a3b4c5d6e7f8
Revises: f2a3b4c5d6e7
Create Date: 2026-12-03 19:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a3b4c5d6e7f8'
down_revision = 'f2a3b4c5d6e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review_stage_reviewers',
        sa.Column('stage_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('incubator_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                                name=op.f('fk_review_stage_reviewers_incubator_id_incubators')),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_review_stage_reviewers_reviewer_id_users')),
        sa.ForeignKeyConstraint(['stage_id'], ['review_stages.id'],
                                name=op.f('fk_review_stage_reviewers_stage_id_review_stages'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('stage_id', 'reviewer_id', name=op.f('pk_review_stage_reviewers')),
    )
    op.create_index(op.f('ix_review_stage_reviewers_incubator_id'), 'review_stage_reviewers', ['incubator_id'],
                    unique=False)
    # As reviews.standings counts them: submitted reviews with a weighted total, of an assignment still active.
    op.execute("""
        INSERT INTO review_stage_reviewers (stage_id, reviewer_id, incubator_id, reviews)
        SELECT a.stage_id, a.reviewer_id, s.incubator_id, count(r.id)
        FROM review_assignments a
        JOIN reviews r ON r.assignment_id = a.id
        JOIN review_stages s ON s.id = a.stage_id
        WHERE a.status IN ('assigned', 'confirmed') AND r.status = 'submitted' AND r.weighted_total IS NOT NULL
        GROUP BY a.stage_id, a.reviewer_id, s.incubator_id
    """)


def downgrade():
    op.drop_index(op.f('ix_review_stage_reviewers_incubator_id'), table_name='review_stage_reviewers')
    op.drop_table('review_stage_reviewers')
