"""dialogue conferences: the conferences between the city and its businesses (issue 21), the bodies attending,
their agenda of requests with the answers given, the people invited and registered, the questions raised
beforehand and from the floor, and the minutes

Revision ID: c2d3e4f5a6b7
Revises: b1c2d3e4f5a6
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c2d3e4f5a6b7'
down_revision = 'b1c2d3e4f5a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dialogue_conferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes_long', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('chair', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('minutes_number', sa.String(length=40), nullable=True),
    sa.Column('attendance', sa.Text(), nullable=True),
    sa.Column('conclusions', sa.Text(), nullable=True),
    sa.Column('minutes_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('minutes_made_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes_long BETWEEN 15 AND 1440', name=op.f('ck_dialogue_conferences_length_in_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dialogue_conferences_created_by_id_users')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_dialogue_conferences_incubator_id_incubators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_conferences'))
    )
    with op.batch_alter_table('dialogue_conferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_conferences_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_conferences_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_conferences_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_conferences_status'), ['status'], unique=False)

    op.create_table('dialogue_conference_bodies',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['answering_bodies.id'], name=op.f('fk_dialogue_conference_bodies_body_id_answering_bodies')),
    sa.ForeignKeyConstraint(['conference_id'], ['dialogue_conferences.id'], name=op.f('fk_dialogue_conference_bodies_conference_id_dialogue_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conference_id', 'body_id', name=op.f('pk_dialogue_conference_bodies'))
    )
    op.create_table('dialogue_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_dialogue_registrations_company_id_companies')),
    sa.ForeignKeyConstraint(['conference_id'], ['dialogue_conferences.id'], name=op.f('fk_dialogue_registrations_conference_id_dialogue_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_dialogue_registrations_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dialogue_registrations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_registrations')),
    sa.UniqueConstraint('conference_id', 'email', name='one_per_address')
    )
    with op.batch_alter_table('dialogue_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_registrations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_registrations_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_registrations_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_registrations_user_id'), ['user_id'], unique=False)

    op.create_table('dialogue_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('answered_by_body_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_body_id'], ['answering_bodies.id'], name=op.f('fk_dialogue_agenda_items_answered_by_body_id_answering_bodies')),
    sa.ForeignKeyConstraint(['conference_id'], ['dialogue_conferences.id'], name=op.f('fk_dialogue_agenda_items_conference_id_dialogue_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_dialogue_agenda_items_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_dialogue_agenda_items_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['business_requests.id'], name=op.f('fk_dialogue_agenda_items_request_id_business_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_agenda_items')),
    sa.UniqueConstraint('conference_id', 'request_id', name='one_place_per_request')
    )
    with op.batch_alter_table('dialogue_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_agenda_items_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_agenda_items_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_agenda_items_request_id'), ['request_id'], unique=False)

    op.create_table('dialogue_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('asked_by', sa.String(length=300), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['answering_bodies.id'], name=op.f('fk_dialogue_questions_body_id_answering_bodies')),
    sa.ForeignKeyConstraint(['conference_id'], ['dialogue_conferences.id'], name=op.f('fk_dialogue_questions_conference_id_dialogue_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_dialogue_questions_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_dialogue_questions_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['registration_id'], ['dialogue_registrations.id'], name=op.f('fk_dialogue_questions_registration_id_dialogue_registrations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['business_requests.id'], name=op.f('fk_dialogue_questions_request_id_business_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_questions'))
    )
    with op.batch_alter_table('dialogue_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogue_questions_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogue_questions_incubator_id'), ['incubator_id'], unique=False)



def downgrade():
    with op.batch_alter_table('dialogue_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_questions_incubator_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_questions_conference_id'))

    op.drop_table('dialogue_questions')
    with op.batch_alter_table('dialogue_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_agenda_items_request_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_agenda_items_incubator_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_agenda_items_conference_id'))

    op.drop_table('dialogue_agenda_items')
    with op.batch_alter_table('dialogue_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_registrations_user_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_registrations_incubator_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_registrations_conference_id'))
        batch_op.drop_index(batch_op.f('ix_dialogue_registrations_company_id'))

    op.drop_table('dialogue_registrations')
    op.drop_table('dialogue_conference_bodies')
    with op.batch_alter_table('dialogue_conferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogue_conferences_status'))
        batch_op.drop_index(batch_op.f('ix_dialogue_conferences_starts_at'))
        batch_op.drop_index(batch_op.f('ix_dialogue_conferences_published_at'))
        batch_op.drop_index(batch_op.f('ix_dialogue_conferences_incubator_id'))

    op.drop_table('dialogue_conferences')
