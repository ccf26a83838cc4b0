"""scale: partial index on open submissions

Overdue and due-soon lists and counts filter `submissions.state <> 'accepted'`; at province
size (200 000 tasks, most accepted) both SQLite and PostgreSQL then walked every task by due
date. A partial index over the open submissions only lets them start from the few open
ones (SQLite: overdue count 1,7 s -> 0,04 s on gen-data province).

Revision ID: 0006_scale
Revises: 0001
Create Date: 2026-11-23 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_scale'
down_revision = '0001'
branch_labels = None
depends_on = None

OPEN = sa.text("state <> 'accepted'")


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_open', ['task_id', 'state'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_open')
