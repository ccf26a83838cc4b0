"""identity: directory login (users.auth_source, users.directory_dn, directory_mappings)

Revision ID: 0010_ldap_directory
Revises: 0009_unit_tasks
Create Date: 2026-12-02 15:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_ldap_directory'
down_revision = '0010_fid_forms'
branch_labels = None
depends_on = None


def upgrade():
    # `users` carries no trigger: plain ADD COLUMN works on both databases.
    op.add_column('users', sa.Column('auth_source', sa.String(length=20), nullable=False,
                                     server_default='local'))
    op.add_column('users', sa.Column('directory_dn', sa.String(length=500), nullable=True))
    op.create_table(
        'directory_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_dn', sa.String(length=500), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=True),
        sa.Column('priority', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name='fk_directory_mappings_unit_id_units'),
        sa.PrimaryKeyConstraint('id', name='pk_directory_mappings'),
        sa.UniqueConstraint('group_dn', name='uq_directory_mappings_group_dn'),
    )
    op.create_index('ix_directory_mappings_unit_id', 'directory_mappings', ['unit_id'])


def downgrade():
    op.drop_index('ix_directory_mappings_unit_id', table_name='directory_mappings')
    op.drop_table('directory_mappings')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('directory_dn')
        batch.drop_column('auth_source')
