"""Deadlines: calendar overrides, office settings, task stages, explanations, reminder log.

Revision ID: 0004_deadlines
Revises: 0001
Create Date: 2026-11-23 18:47:24.103741

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_deadlines'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calendar_days_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )
    op.create_table('reminder_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('emailed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_log_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('user_id', 'day', 'kind', name=op.f('uq_reminder_log_user_id'))
    )
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_log_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_log_user_id'), ['user_id'], unique=False)

    op.create_table('portal_settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_portal_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_portal_settings'))
    )
    op.create_table('task_explanations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_task_explanations_author_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_explanations_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_explanations'))
    )
    with op.batch_alter_table('task_explanations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_explanations_task_id'), ['task_id'], unique=False)

    op.create_table('task_stages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('budget_days', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_stages_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_stages_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_stages')),
    sa.UniqueConstraint('task_id', 'position', name=op.f('uq_task_stages_task_id'))
    )
    with op.batch_alter_table('task_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_stages_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_stages_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_stages_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('task_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_stages_unit_id'))
        batch_op.drop_index(batch_op.f('ix_task_stages_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_stages_due_on'))

    op.drop_table('task_stages')
    with op.batch_alter_table('task_explanations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_explanations_task_id'))

    op.drop_table('task_explanations')
    op.drop_table('portal_settings')
    with op.batch_alter_table('reminder_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_log_user_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_log_day'))

    op.drop_table('reminder_log')
    op.drop_table('calendar_days')
