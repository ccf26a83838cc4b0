"""delegation (ủy quyền): delegations, deputies' standing approval, "thay mặt" on events

- `delegations`: a head or a leader lends their approval rights to a named user for a date
  range (inclusive), optionally for one plan; revoked rows are kept (revoked_at, revoked_by).
- `users.standing_approval`: a deputy's standing right, set by the administrator.
- `submission_events`, `plan_events`, `report_events`: `on_behalf_of_id`, the user whose
  rights the actor used ("X, thay mặt Y").

Revision ID: 0015_delegations
Revises: 0014_province_agencies
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_delegations'
down_revision = '0015_report_sendup'
branch_labels = None
depends_on = None

EVENT_TABLES = ('submission_events', 'plan_events', 'report_events')


def upgrade():
    op.create_table(
        'delegations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delegator_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=True),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['delegator_id'], ['users.id'], name='fk_delegations_delegator_id_users'),
        sa.ForeignKeyConstraint(['delegate_id'], ['users.id'], name='fk_delegations_delegate_id_users'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_delegations_created_by_id_users'),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name='fk_delegations_revoked_by_id_users'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name='fk_delegations_unit_id_units'),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name='fk_delegations_plan_id_plans',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_delegations'),
    )
    op.create_index('ix_delegations_delegate_ends', 'delegations', ['delegate_id', 'ends_on'])
    op.create_index('ix_delegations_delegator_ends', 'delegations', ['delegator_id', 'ends_on'])
    op.create_index('ix_delegations_unit_id', 'delegations', ['unit_id'])
    op.create_index('ix_delegations_plan_id', 'delegations', ['plan_id'])
    op.add_column('users', sa.Column('standing_approval', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in EVENT_TABLES:
        if sqlite:
            # SQLite adds a nullable column with its reference in place (Alembic would ask for a
            # batch rebuild of the table, and of the triggers of 0009/0010 with it).
            op.execute(f'ALTER TABLE {table} ADD COLUMN on_behalf_of_id INTEGER REFERENCES users (id)')
        else:
            op.add_column(table, sa.Column('on_behalf_of_id', sa.Integer(), nullable=True))
            op.create_foreign_key(f'fk_{table}_on_behalf_of_id_users', table, 'users',
                                  ['on_behalf_of_id'], ['id'])


def downgrade():
    for table in EVENT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('on_behalf_of_id')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('standing_approval')
    for ix in ('ix_delegations_plan_id', 'ix_delegations_unit_id', 'ix_delegations_delegator_ends',
               'ix_delegations_delegate_ends'):
        op.drop_index(ix, table_name='delegations')
    op.drop_table('delegations')
