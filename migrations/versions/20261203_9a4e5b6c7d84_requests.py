"""requests: businesses' requests and complaints to the city, the bodies that answer them, the categories
with their time limits in working days, and the government's announced days off and make-up working days

Revision ID: 9a4e5b6c7d84
Revises: 8f3d4a5b6c73
Create Date: 2026-12-03 08:00:00

The eight categories of issue 21 are seeded (15 working days each); staff may change them. A fresh database
made without the migrations gets them from ``requests.services.ensure_default_categories``.
"""
import sqlalchemy as sa
from alembic import op

revision = '9a4e5b6c7d84'
down_revision = '8f3d4a5b6c73'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answering_bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_vi', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answering_bodies'))
    )
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )
    op.create_table('request_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_vi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('time_limit_days BETWEEN 1 AND 365', name=op.f('ck_request_categories_time_limit_in_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_request_categories_code'))
    )
    op.create_table('request_number_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_request_number_counters'))
    )
    op.create_table('business_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('consent', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_on', sa.Date(), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('routed_on', sa.Date(), nullable=True),
    sa.Column('pauses', sa.JSON(), nullable=False),
    sa.Column('paused_since', sa.Date(), nullable=True),
    sa.Column('paused_working_days', sa.Integer(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('rating_satisfied', sa.Boolean(), nullable=True),
    sa.Column('rating_comment', sa.Text(), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('public_title', sa.String(length=300), nullable=True),
    sa.Column('public_text', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_folded', sa.Text(), nullable=False),
    sa.Column('public_folded', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['answering_bodies.id'], name=op.f('fk_business_requests_body_id_answering_bodies')),
    sa.ForeignKeyConstraint(['category_id'], ['request_categories.id'], name=op.f('fk_business_requests_category_id_request_categories')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_business_requests_company_id_companies')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_business_requests_filed_by_id_users')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_business_requests_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['business_requests.id'], name=op.f('fk_business_requests_merged_into_id_business_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_business_requests_number'))
    )
    with op.batch_alter_table('business_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_business_requests_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_requests_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_requests_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_requests_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_requests_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_requests_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_business_requests_status'), ['status'], unique=False)

    op.create_table('request_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('stored_name', sa.String(length=100), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=True),
    sa.Column('drafted_by_id', sa.Integer(), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('approved_by_id IS NULL OR approved_by_id <> drafted_by_id', name=op.f('ck_request_answers_approved_by_another')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_request_answers_approved_by_id_users')),
    sa.ForeignKeyConstraint(['body_id'], ['answering_bodies.id'], name=op.f('fk_request_answers_body_id_answering_bodies')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_request_answers_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_request_answers_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['request_id'], ['business_requests.id'], name=op.f('fk_request_answers_request_id_business_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_answers')),
    sa.UniqueConstraint('request_id', name=op.f('uq_request_answers_request_id'))
    )
    with op.batch_alter_table('request_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_answers_incubator_id'), ['incubator_id'], unique=False)

    op.create_table('request_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=100), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_request_attachments_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['request_id'], ['business_requests.id'], name=op.f('fk_request_attachments_request_id_business_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_request_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_attachments'))
    )
    with op.batch_alter_table('request_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_attachments_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_attachments_request_id'), ['request_id'], unique=False)

    op.create_table('request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('visible_to_business', sa.Boolean(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_request_events_actor_id_users')),
    sa.ForeignKeyConstraint(['incubator_id'], ['incubators.id'], name=op.f('fk_request_events_incubator_id_incubators')),
    sa.ForeignKeyConstraint(['request_id'], ['business_requests.id'], name=op.f('fk_request_events_request_id_business_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_events'))
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_events_incubator_id'), ['incubator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_request_events_request_id'), ['request_id'], unique=False)

    categories = sa.table('request_categories', sa.column('code', sa.String), sa.column('name_vi', sa.String),
                          sa.column('name_en', sa.String), sa.column('time_limit_days', sa.Integer),
                          sa.column('position', sa.Integer), sa.column('active', sa.Boolean),
                          sa.column('version_id', sa.Integer))
    op.bulk_insert(categories, [
        {'code': code, 'name_vi': name_vi, 'name_en': name_en, 'time_limit_days': 15, 'position': position,
         'active': True, 'version_id': 1}
        for position, (code, name_vi, name_en) in enumerate(CATEGORIES, start=1)])


# The same list as incubator/requests/services.py DEFAULT_CATEGORIES (a migration does not import the application).
CATEGORIES = [
    ('administrative_procedures', 'Thủ tục hành chính', 'Administrative procedures'),
    ('tax_finance', 'Thuế và tài chính', 'Tax and finance'),
    ('premises_land', 'Mặt bằng, trụ sở và đất đai', 'Office space and land'),
    ('market_procurement', 'Tiếp cận thị trường, mua sắm công và đặt hàng nền tảng số trong nước',
     'Market access and public procurement, including the city ordering domestic digital platforms'),
    ('human_resources', 'Nguồn nhân lực và đào tạo', 'Human resources and training'),
    ('intellectual_property', 'Sở hữu trí tuệ', 'Intellectual property'),
    ('digital_infrastructure', 'Hạ tầng số', 'Digital infrastructure'),
    ('other', 'Khác', 'Other'),
]


def downgrade():
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_events_request_id'))
        batch_op.drop_index(batch_op.f('ix_request_events_incubator_id'))

    op.drop_table('request_events')
    with op.batch_alter_table('request_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_attachments_request_id'))
        batch_op.drop_index(batch_op.f('ix_request_attachments_incubator_id'))

    op.drop_table('request_attachments')
    with op.batch_alter_table('request_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_answers_incubator_id'))

    op.drop_table('request_answers')
    with op.batch_alter_table('business_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_business_requests_status'))
        batch_op.drop_index(batch_op.f('ix_business_requests_published_at'))
        batch_op.drop_index(batch_op.f('ix_business_requests_incubator_id'))
        batch_op.drop_index(batch_op.f('ix_business_requests_due_on'))
        batch_op.drop_index(batch_op.f('ix_business_requests_company_id'))
        batch_op.drop_index(batch_op.f('ix_business_requests_category_id'))
        batch_op.drop_index(batch_op.f('ix_business_requests_body_id'))

    op.drop_table('business_requests')
    op.drop_table('request_number_counters')
    op.drop_table('request_categories')
    op.drop_table('calendar_days')
    op.drop_table('answering_bodies')
