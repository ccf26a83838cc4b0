"""merge feature branches

Revision ID: 0007_merge
Revises: 0003_catalog, 0004_deadlines, 0005_report, 0006_scale
Create Date: 2026-11-23 20:07:15.140701

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_merge'
down_revision = ('0003_catalog', '0004_deadlines', '0005_report', '0006_scale')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
