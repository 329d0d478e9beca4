"""reviews.weighted_total: a submitted review's weighted total on 100, kept for the stage's ranking

Revision ID: 4b8f2d6e9a13
Revises: 9d4e1c2b7a30
Create Date: 2026-11-23 18:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b8f2d6e9a13'
down_revision = '9d4e1c2b7a30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weighted_total', sa.Float(), nullable=True))
    backfill(op.get_bind())


def backfill(conn):
    """The totals of the reviews already submitted, with the arithmetic of incubator.reviews.ranking at the time
    of writing (copied, so that a later change there does not change what this migration does): each score
    placed on its criterion's scale (bottom 0, top 1), weighted, the weighted mean times 100; no total when a
    criterion of the stage has no score."""
    criteria: dict[int, list[tuple[int, int, int, int]]] = {}
    for cid, stage_id, weight, low, high in conn.execute(sa.text(
            "SELECT id, stage_id, weight, scale_min, scale_max FROM review_criteria ORDER BY position, id")):
        criteria.setdefault(stage_id, []).append((cid, weight, low, high))
    scores: dict[int, dict[int, int | None]] = {}
    stage_of: dict[int, int] = {}
    for review_id, stage_id, criterion_id, value in conn.execute(sa.text(
            "SELECT r.id, a.stage_id, s.criterion_id, s.value FROM reviews r "
            "JOIN review_assignments a ON a.id = r.assignment_id "
            "LEFT JOIN review_scores s ON s.review_id = r.id WHERE r.status = 'submitted'")):
        stage_of[review_id] = stage_id
        if criterion_id is not None:
            scores.setdefault(review_id, {})[criterion_id] = value
    rows = []
    for review_id, stage_id in stage_of.items():
        scale = criteria.get(stage_id, [])
        total_weight = sum(weight for _, weight, _, _ in scale)
        given = scores.get(review_id, {})
        if not scale or total_weight <= 0 or any(given.get(cid) is None for cid, _, _, _ in scale):
            continue
        acc = 0.0
        for cid, weight, low, high in scale:
            acc += weight * (given[cid] - low) / (high - low)
        rows.append({"review_id": review_id, "total": 100.0 * acc / total_weight})
    if rows:
        conn.execute(sa.text("UPDATE reviews SET weighted_total = :total WHERE id = :review_id"), rows)


def downgrade():
    # Not in batch mode: SQLite (3.35 and later) drops a column in place, where a batch would copy the table and
    # drop the old one, which with foreign keys on deletes every review's scores (ON DELETE CASCADE).
    op.drop_column('reviews', 'weighted_total')
