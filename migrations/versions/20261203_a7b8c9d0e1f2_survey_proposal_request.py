"""survey proposal request: the request a survey response's proposals were filed as
(survey_responses.proposal_request_id, the once-only rule and the results' link) and where a request staff
filed on a business's behalf comes from (business_requests.origin: dialogue, survey). Filled from the audit
log for the proposals already filed, and from the filing step's note for the conferences' requests.

Revision ID: a7b8c9d0e1f2
Revises: f5a6b7c8d9e0
Create Date: 2026-12-03 11:55:31.236867

"""
import sqlalchemy as sa
from alembic import op

revision = 'a7b8c9d0e1f2'
down_revision = 'f5a6b7c8d9e0'
branch_labels = None
depends_on = None

audit_log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('action', sa.String),
                     sa.column('object_type', sa.String), sa.column('object_id', sa.String),
                     sa.column('details', sa.JSON))
survey_responses = sa.table('survey_responses', sa.column('id', sa.Integer),
                            sa.column('proposal_request_id', sa.Integer))
business_requests = sa.table('business_requests', sa.column('id', sa.Integer), sa.column('origin', sa.String))
request_events = sa.table('request_events', sa.column('request_id', sa.Integer), sa.column('kind', sa.String),
                          sa.column('note', sa.String))


def upgrade():
    with op.batch_alter_table('business_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=32), nullable=True))

    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_survey_responses_proposal_request_id'), ['proposal_request_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_survey_responses_proposal_request_id_business_requests'),
                                    'business_requests', ['proposal_request_id'], ['id'])

    # The proposals filed so far: the audit log named the request ("survey.proposal_request" on the response).
    bind = op.get_bind()
    existing = set(bind.scalars(sa.select(business_requests.c.id)))
    survey_requests = set()
    for response_id, details in bind.execute(sa.select(audit_log.c.object_id, audit_log.c.details).where(
            audit_log.c.action == 'survey.proposal_request', audit_log.c.object_type == 'survey_responses')
            .order_by(audit_log.c.id)):
        request_id = (details or {}).get('request')
        if request_id in existing and str(response_id or '').isdigit():
            bind.execute(survey_responses.update().where(survey_responses.c.id == int(response_id),
                                                         survey_responses.c.proposal_request_id.is_(None))
                         .values(proposal_request_id=request_id))
            survey_requests.add(request_id)
    if survey_requests:
        bind.execute(business_requests.update().where(business_requests.c.id.in_(survey_requests))
                     .values(origin='survey'))
    # The others filed by staff on a business's behalf were raised at a dialogue conference (the filing step's
    # note names it; a business's own filing has none).
    on_behalf = sa.select(request_events.c.request_id).where(request_events.c.kind == 'filed',
                                                             request_events.c.note.is_not(None))
    bind.execute(business_requests.update().where(business_requests.c.origin.is_(None),
                                                  business_requests.c.id.in_(on_behalf))
                 .values(origin='dialogue'))


def downgrade():
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_survey_responses_proposal_request_id_business_requests'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_survey_responses_proposal_request_id'))
        batch_op.drop_column('proposal_request_id')

    with op.batch_alter_table('business_requests', schema=None) as batch_op:
        batch_op.drop_column('origin')
