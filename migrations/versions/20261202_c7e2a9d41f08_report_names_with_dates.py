"""the names a periodic report prints (bodies, addressees, place, signer's title) as records with dates; a
finalised report keeps the names it was issued with

Revision ID: c7e2a9d41f08
Revises: d5b1e7a3c920
Create Date: 2026-12-02 12:45:00

Seeds the names in force: the Hà Nội Department of Information and Communications until 28/02/2025, the
Department of Science and Technology (into which it was merged) from 01/03/2025, as the governing body of the
Hà Nội ICT Training and Consulting Centre, which issues the reports, and as their addressee; the place "Hà Nội"
and the signer's title, in both languages. Drafts whose addressees are still the old default (the Department
of Information and Communications whatever the period) drop them, so they take the names in force.
"""
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = 'c7e2a9d41f08'
down_revision = 'd5b1e7a3c920'
branch_labels = None
depends_on = None

SEEDS = (
    ('governing_body', 'Sở Thông tin và Truyền thông Hà Nội', 'Hà Nội Department of Information and Communications',
     date(2000, 1, 1), date(2025, 2, 28), 0),
    ('governing_body', 'Sở Khoa học và Công nghệ Hà Nội', 'Hà Nội Department of Science and Technology',
     date(2025, 3, 1), None, 0),
    ('issuing_body', 'Trung tâm Đào tạo, tư vấn CNTT và Truyền thông Hà Nội',
     'Hà Nội ICT Training and Consulting Centre', date(2000, 1, 1), None, 0),
    ('addressee', 'Sở Thông tin và Truyền thông Hà Nội', 'Hà Nội Department of Information and Communications',
     date(2000, 1, 1), date(2025, 2, 28), 1),
    ('addressee', 'Sở Khoa học và Công nghệ Hà Nội', 'Hà Nội Department of Science and Technology',
     date(2025, 3, 1), None, 1),
    ('addressee', 'Lưu: VT', 'Archives', date(2000, 1, 1), None, 9),
    ('place', 'Hà Nội', 'Hà Nội', date(2000, 1, 1), None, 0),
    ('signer_title', 'Giám đốc', 'Director', date(2000, 1, 1), None, 0),
)
OLD_DEFAULTS = ('- Sở Thông tin và Truyền thông;\n- Lưu: VT.',
                '- Department of Information and Communications;\n- Archives.')


def upgrade():
    names = op.create_table(
        'report_names',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('governing_body', 'issuing_body', 'addressee', 'place', 'signer_title',
                                  name='namekind', native_enum=False, create_constraint=False, length=20),
                  nullable=False),
        sa.Column('name_vi', sa.String(length=300), nullable=False),
        sa.Column('name_en', sa.String(length=300), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.CheckConstraint('valid_until IS NULL OR valid_until >= valid_from',
                           name=op.f('ck_report_names_dates_ordered')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_names')),
    )
    with op.batch_alter_table('periodic_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=True))
    op.bulk_insert(names, [{'kind': kind, 'name_vi': vi, 'name_en': en, 'valid_from': start, 'valid_until': until,
                            'position': position, 'version_id': 1}
                           for kind, vi, en, start, until, position in SEEDS])
    reports = sa.table('periodic_reports', sa.column('recipients', sa.Text), sa.column('status', sa.String))
    op.execute(reports.update().where(reports.c.status == 'draft', reports.c.recipients.in_(OLD_DEFAULTS))
               .values(recipients=None))


def downgrade():
    with op.batch_alter_table('periodic_reports', schema=None) as batch_op:
        batch_op.drop_column('names')
    op.drop_table('report_names')
