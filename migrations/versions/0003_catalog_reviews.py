"""Catalog history (procedure_changes), procedure reviews (02/RS-KSTT, time cut, cost) and plan targets

Revision ID: 0003_catalog
Revises: 0001
Create Date: 2026-11-23 18:46:26.191539

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_catalog'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('procedure_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_procedure_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_procedure_changes_procedure_id_procedures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_changes'))
    )
    with op.batch_alter_table('procedure_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_changes_procedure_id'), ['procedure_id'], unique=False)

    op.create_table('procedure_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('parts', sa.Text(), nullable=False),
    sa.Column('proposal', sa.String(length=10), nullable=True),
    sa.Column('proposal_detail', sa.Text(), nullable=True),
    sa.Column('legal_change', sa.Text(), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=True),
    sa.Column('current_days', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('proposed_days', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('cut_reason', sa.Text(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_procedure_reviews_procedure_id_procedures')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_procedure_reviews_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_procedure_reviews_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_reviews')),
    sa.UniqueConstraint('task_id', 'procedure_id', name=op.f('uq_procedure_reviews_task_id'))
    )
    with op.batch_alter_table('procedure_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_reviews_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procedure_reviews_proposal'), ['proposal'], unique=False)
        batch_op.create_index(batch_op.f('ix_procedure_reviews_task_id'), ['task_id'], unique=False)

    op.create_table('review_cost_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('phase', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('income_per_hour', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fees', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('other_costs', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('per_year', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['procedure_reviews.id'], name=op.f('fk_review_cost_items_review_id_procedure_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_cost_items'))
    )
    with op.batch_alter_table('review_cost_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cost_items_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_cut_target', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.add_column(sa.Column('cost_cut_target', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.add_column(sa.Column('simplified_target', sa.Numeric(precision=5, scale=2), nullable=True))



def downgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('simplified_target')
        batch_op.drop_column('cost_cut_target')
        batch_op.drop_column('time_cut_target')

    with op.batch_alter_table('review_cost_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_cost_items_review_id'))

    op.drop_table('review_cost_items')
    with op.batch_alter_table('procedure_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_reviews_task_id'))
        batch_op.drop_index(batch_op.f('ix_procedure_reviews_proposal'))
        batch_op.drop_index(batch_op.f('ix_procedure_reviews_procedure_id'))

    op.drop_table('procedure_reviews')
    with op.batch_alter_table('procedure_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_changes_procedure_id'))

    op.drop_table('procedure_changes')
