"""identity: the audit log (audit_events), append-only

Revision ID: 0012_audit_events
Revises: 0011_user_sessions
Create Date: 2026-12-02 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_audit_events'
down_revision = '0011_user_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=80), nullable=True),
        sa.Column('action', sa.String(length=60), nullable=False),
        sa.Column('object_type', sa.String(length=40), nullable=True),
        sa.Column('object_id', sa.String(length=64), nullable=True),
        sa.Column('summary', sa.String(length=500), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('ip', sa.String(length=64), nullable=True),
        sa.Column('status', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name='fk_audit_events_actor_id_users',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_audit_events'),
    )
    op.create_index('ix_audit_events_created', 'audit_events', ['created_at'])
    op.create_index('ix_audit_events_actor_created', 'audit_events', ['actor_id', 'created_at'])
    op.create_index('ix_audit_events_action_created', 'audit_events', ['action', 'created_at'])
    op.create_index('ix_audit_events_object', 'audit_events', ['object_type', 'object_id'])


def downgrade():
    op.drop_table('audit_events')
