"""yearly survey: an incubator's survey of its businesses for a year (issue 22), its questions (the default ones
with a key that stays the same every year, so years compare) and each invited business's response (status,
answers, who submitted it, the last reminder)

Revision ID: e4f5a6b7c8d9
Revises: d3e4f5a6b7c8
Create Date: 2026-12-03 10:57:31.566492

"""
import sqlalchemy as sa
from alembic import op

revision = 'e4f5a6b7c8d9'
down_revision = 'd3e4f5a6b7c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title_vi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('deadline >= opens_on', name=op.f('ck_surveys_deadline_after_opening')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_surveys_created_by_id_users')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_surveys_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_surveys_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('incubator_id', 'year', name='uq_surveys_incubator_year')
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveys_status'), ['status'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('label_vi', sa.String(length=500), nullable=False),
    sa.Column('label_en', sa.String(length=500), nullable=False),
    sa.Column('help_vi', sa.String(length=1000), nullable=True),
    sa.Column('help_en', sa.String(length=1000), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('max_length', sa.Integer(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                            name=op.f('fk_survey_questions_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'],
                            name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions'))
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('residency_kind', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('last_reminded_on', sa.Date(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_survey_responses_company_id_companies')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'],
                            name=op.f('fk_survey_responses_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_survey_responses_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'],
                            name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_survey_responses_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('survey_id', 'company_id', name='uq_survey_responses_company')
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_status'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_incubator_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_company_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))
        batch_op.drop_index(batch_op.f('ix_survey_questions_incubator_id'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_status'))
        batch_op.drop_index(batch_op.f('ix_surveys_incubator_id'))

    op.drop_table('surveys')
