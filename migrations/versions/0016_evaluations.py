"""evaluations (issue 15): civil servants' monthly/quarterly results computed from the work

- `evaluation_schemes`: weights and rating bands as versioned data (JSON), per agency; a used
  version is never edited, a change is a new version.
- `evaluations`: one sheet per unit and period (month, quarter, year) and version, with its
  workflow state (workflow.EVALUATION) and, once closed, the frozen snapshot.
- `evaluation_marks`: per person the head's quality mark and comment, the person's comment.
- `evaluation_corrections`: a figure corrected by the head, with the computed value and the
  reason (history: every correction is a new row).
- `evaluation_events`: the sheet's moves (who, when, from, to, why).
- `tasks.priority`, `tasks.difficulty`: what the scheme's priority and difficulty weights read
  (NULL: normal).

Revision ID: 0016_evaluations
Revises: 0015_search_index
Create Date: 2026-12-07 23:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_evaluations'
down_revision = '0016_prov'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'evaluation_schemes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('weights', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name='fk_evaluation_schemes_agency_id_agencies'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_evaluation_schemes_created_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_evaluation_schemes'),
        sa.UniqueConstraint('agency_id', 'version', name='uq_evaluation_schemes_agency_version'),
    )
    op.create_table(
        'evaluations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('current', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('scheme_id', sa.Integer(), nullable=False),
        sa.Column('reopen_reason', sa.Text(), nullable=True),
        sa.Column('previous_id', sa.Integer(), nullable=True),
        sa.Column('snapshot', sa.JSON(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name='fk_evaluations_agency_id_agencies'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name='fk_evaluations_unit_id_units'),
        sa.ForeignKeyConstraint(['scheme_id'], ['evaluation_schemes.id'], name='fk_evaluations_scheme_id_evaluation_schemes'),
        sa.ForeignKeyConstraint(['previous_id'], ['evaluations.id'], name='fk_evaluations_previous_id_evaluations'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_evaluations_created_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_evaluations'),
        sa.UniqueConstraint('unit_id', 'kind', 'year', 'number', 'version', name='uq_evaluations_unit_period_version'),
    )
    op.create_index('ix_evaluations_agency_period', 'evaluations', ['agency_id', 'year', 'kind', 'number'])
    op.create_index('ix_evaluations_unit_period', 'evaluations', ['unit_id', 'year', 'kind', 'number'])
    op.create_table(
        'evaluation_marks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('quality', sa.Integer(), nullable=True),
        sa.Column('head_comment', sa.Text(), nullable=True),
        sa.Column('person_comment', sa.Text(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name='fk_evaluation_marks_evaluation_id_evaluations',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_evaluation_marks_user_id_users'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name='fk_evaluation_marks_updated_by_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_evaluation_marks'),
        sa.UniqueConstraint('evaluation_id', 'user_id', name='uq_evaluation_marks_evaluation_user'),
    )
    op.create_table(
        'evaluation_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('figure', sa.String(length=20), nullable=False),
        sa.Column('computed_value', sa.Integer(), nullable=False),
        sa.Column('corrected_value', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'],
                                name='fk_evaluation_corrections_evaluation_id_evaluations', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_evaluation_corrections_user_id_users'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name='fk_evaluation_corrections_actor_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_evaluation_corrections'),
    )
    op.create_index('ix_evaluation_corrections_evaluation', 'evaluation_corrections', ['evaluation_id', 'user_id'])
    op.create_table(
        'evaluation_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('from_state', sa.String(length=20), nullable=True),
        sa.Column('to_state', sa.String(length=20), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'],
                                name='fk_evaluation_events_evaluation_id_evaluations', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name='fk_evaluation_events_actor_id_users'),
        sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name='fk_evaluation_events_on_behalf_of_id_users'),
        sa.PrimaryKeyConstraint('id', name='pk_evaluation_events'),
    )
    op.create_index('ix_evaluation_events_evaluation_id', 'evaluation_events', ['evaluation_id'])
    # What the scheme's priority and difficulty weights read; NULL is "normal". Nullable columns
    # without a default: both databases add them in place (no rebuild of `tasks` or its triggers).
    op.add_column('tasks', sa.Column('priority', sa.String(length=10), nullable=True))
    op.add_column('tasks', sa.Column('difficulty', sa.String(length=10), nullable=True))
    # A unit's tasks due in a period (the evaluation's aggregate reads one range here).
    op.create_index('ix_tasks_lead_due', 'tasks', ['lead_unit_id', 'due_on'])


def downgrade():
    op.drop_index('ix_tasks_lead_due', table_name='tasks')
    # Plain DROP COLUMN on both (SQLite >= 3.35): a batch rebuild of `tasks` would drop its
    # triggers (0009, 0015_search_index).
    op.execute('ALTER TABLE tasks DROP COLUMN difficulty')
    op.execute('ALTER TABLE tasks DROP COLUMN priority')
    op.drop_index('ix_evaluation_events_evaluation_id', table_name='evaluation_events')
    op.drop_table('evaluation_events')
    op.drop_index('ix_evaluation_corrections_evaluation', table_name='evaluation_corrections')
    op.drop_table('evaluation_corrections')
    op.drop_table('evaluation_marks')
    op.drop_index('ix_evaluations_unit_period', table_name='evaluations')
    op.drop_index('ix_evaluations_agency_period', table_name='evaluations')
    op.drop_table('evaluations')
    op.drop_table('evaluation_schemes')
