"""fix-small: folded search columns on tasks, plans and users (issue 17, item 8)

Every search box compares accent-free, lower-case text (app.domain.text.fold), as the catalog's
`procedures.name_folded` already did: `tasks.content_folded`, `plans.search_folded` (number and
title) and `users.search_folded` (user name and full name). The application keeps them in step
(app/models/folded.py); this migration fills them for the rows already there.

Plain ADD COLUMN (no SQLite batch rebuild), so the triggers of 0008/0009 on `tasks` stay, and
they fire only on UPDATE OF other columns, so the backfill does not touch unit_tasks.

Revision ID: 0010_fix_small_search_folded
Revises: 0009_unit_tasks
Create Date: 2026-12-02 15:45:00

"""
from alembic import op
import sqlalchemy as sa

from app.domain.text import fold_joined

revision = '0010_fix_small_search_folded'
down_revision = '0013_account_security'
branch_labels = None
depends_on = None

COLUMNS = [  # table, folded column, its sources
    ("tasks", "content_folded", ("content",)),
    ("plans", "search_folded", ("number", "title")),
    ("users", "search_folded", ("username", "full_name")),
]
BATCH = 5000


def upgrade():
    conn = op.get_bind()
    for table, column, sources in COLUMNS:
        op.add_column(table, sa.Column(column, sa.Text(), nullable=False, server_default=""))
        t = sa.table(table, sa.column("id"), sa.column(column), *(sa.column(s) for s in sources))
        update = sa.update(t).where(t.c.id == sa.bindparam("_id")).values({column: sa.bindparam("_v")})
        last = 0
        while True:
            rows = conn.execute(sa.select(t.c.id, *(t.c[s] for s in sources)).where(t.c.id > last)
                                .order_by(t.c.id).limit(BATCH)).all()
            if not rows:
                break
            conn.execute(update, [{"_id": r[0], "_v": fold_joined(*r[1:])} for r in rows])
            last = rows[-1][0]


def downgrade():
    # Plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of `tasks` would drop its triggers.
    for table, column, _ in reversed(COLUMNS):
        op.drop_column(table, column)
