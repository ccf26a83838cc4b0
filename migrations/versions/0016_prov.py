"""catalog counts: a covering index for the catalog page's header figures at province size

The catalog page counts the province's whole catalog (procedures in force: published, one-stop,
interconnected, postal, online, central/local, internal, by level). At 20 agencies × 1.000
procedures that read every wide row of `procedures` twice per page view (two sequential
scans, 72 ms measured on PostgreSQL); one statement grouped by level over this narrow index
reads it once, index-only (27 ms, same data, same load). Plain B-tree: the same on SQLite
and PostgreSQL.

Revision ID: 0016_prov
Revises: 0015_search_index
"""
from alembic import op

revision = "0016_prov"
down_revision = "0015_search_index"
branch_labels = None
depends_on = None

COLUMNS = ["status", "level", "internal", "one_stop", "interconnected", "postal", "online_service", "set_by"]


def upgrade():
    op.create_index("ix_procedures_counts", "procedures", COLUMNS)


def downgrade():
    op.drop_index("ix_procedures_counts", table_name="procedures")
