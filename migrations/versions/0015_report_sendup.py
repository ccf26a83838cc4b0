"""report send-up: agencies' issued reports go to the province; the province's requests

Issue 10, item 4 ("reports flow up"):
- `reports.sendup_state` (NULL: not sent; sent / returned / accepted, workflow.REPORT_SENDUP),
  `reports.sent_up_by_id`, `reports.sent_up_at`: an issued report sent to UBND tỉnh, frozen as
  issued (its snapshot), with who sent it and when; every send, return and acceptance is also a
  `report_events` row. Index (period_key, sendup_state) behind the province's status page.
- `reporting_requests`: the province office's request for a period (letter number and date,
  the agencies' deadline, the provincial targets for time and compliance-cost cuts).
- `reporting_reminders`: who reminded which agency of which request, and when.

Revision ID: 0015_report_sendup
Revises: 0014_province_agencies
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_report_sendup'
down_revision = '0014_province_agencies'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite adds a column with a foreign key by rebuilding the table (no
    # trigger lives on `reports`).
    with op.batch_alter_table('reports') as batch:
        batch.add_column(sa.Column('sendup_state', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('sent_up_by_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('sent_up_at', sa.DateTime(), nullable=True))
        batch.create_foreign_key('fk_reports_sent_up_by', 'users', ['sent_up_by_id'], ['id'])
    op.create_index('ix_reports_sendup', 'reports', ['period_key', 'sendup_state'])
    op.create_table(
        'reporting_requests',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('agency_id', sa.Integer(), sa.ForeignKey('agencies.id'), nullable=False),
        sa.Column('period_key', sa.String(length=20), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('letter_date', sa.Date(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('subject', sa.Text(), nullable=True),
        sa.Column('time_cut_target', sa.Numeric(5, 2), nullable=True),
        sa.Column('cost_cut_target', sa.Numeric(5, 2), nullable=True),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('agency_id', 'period_key', name='uq_reporting_requests_agency_period'),
    )
    op.create_table(
        'reporting_reminders',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('reporting_requests.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('agency_id', sa.Integer(), sa.ForeignKey('agencies.id'), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_reporting_reminders_request_agency', 'reporting_reminders', ['request_id', 'agency_id'])


def downgrade():
    op.drop_index('ix_reporting_reminders_request_agency', table_name='reporting_reminders')
    op.drop_table('reporting_reminders')
    op.drop_table('reporting_requests')
    op.drop_index('ix_reports_sendup', table_name='reports')
    with op.batch_alter_table('reports') as batch:
        batch.drop_constraint('fk_reports_sent_up_by', type_='foreignkey')
        batch.drop_column('sent_up_at')
        batch.drop_column('sent_up_by_id')
        batch.drop_column('sendup_state')
