"""jobs: background jobs, issued PDFs, and revision counters for the export cache (issues 13 and 16)

- `jobs`: what the UI shows of work done outside the request (RQ on Redis runs it): state,
  progress, step, error, attempts, the result file (path, size, sha256). `key` is unique for
  idempotent jobs (an export cache key, an issued document's PDF).
- `issued_files`: the PDF of each issued plan/report version.
- `revision` on `tasks`, `submissions` and `procedures`: a counter the database itself moves
  on every edit (triggers, like the work columns of 0008_task_work_columns), so the export
  cache's change stamp is one aggregate (count, max id, sum of revisions) over the rows an
  export reads, whatever path wrote them (ORM, bulk UPDATE). A counter, not a timestamp:
  app.clock.now() is capped on a pinned day (demo, tests) and two edits in one second
  would share a timestamp. A restore gives the rows their counters back (app/ops/backup.py).
  A task's cooperating units are counted by the stamp itself (count, sum of unit ids): a
  trigger on them would move the counters on every restore.

Revision ID: 0016_jobs
Revises: 0015_search_index
Create Date: 2026-12-07 23:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0016_jobs'
down_revision = "0016_register"
branch_labels = None
depends_on = None

TOUCHED = "position, group_label, content, lead_unit_id, due_text, due_on, product, parent_id, period_label"
COUNTED = ("tasks", "submissions", "procedures")

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER trg_tasks_revision AFTER UPDATE OF {TOUCHED} ON tasks
        WHEN NEW.revision = OLD.revision BEGIN
          UPDATE tasks SET revision = revision + 1 WHERE id = NEW.id;
        END""",
    """CREATE TRIGGER trg_submissions_revision AFTER UPDATE ON submissions
        WHEN NEW.revision = OLD.revision BEGIN
          UPDATE submissions SET revision = OLD.revision + 1 WHERE id = NEW.id;
        END""",
    """CREATE TRIGGER trg_procedures_revision AFTER UPDATE ON procedures
        WHEN NEW.revision = OLD.revision BEGIN
          UPDATE procedures SET revision = OLD.revision + 1 WHERE id = NEW.id;
        END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         -- an UPDATE that sets the counter itself (restore) is taken as is
         IF NEW.revision = OLD.revision THEN NEW.revision := OLD.revision + 1; END IF;
         RETURN NEW;
       END $$""",
    f"""CREATE TRIGGER trg_tasks_revision BEFORE UPDATE OF {TOUCHED} ON tasks
        FOR EACH ROW EXECUTE FUNCTION bump_revision()""",
    """CREATE TRIGGER trg_submissions_revision BEFORE UPDATE ON submissions
        FOR EACH ROW EXECUTE FUNCTION bump_revision()""",
    """CREATE TRIGGER trg_procedures_revision BEFORE UPDATE ON procedures
        FOR EACH ROW EXECUTE FUNCTION bump_revision()""",
]


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=True),
        sa.Column('cache_group', sa.String(length=255), nullable=True),
        sa.Column('scope', sa.String(length=120), nullable=False),
        sa.Column('object_kind', sa.String(length=20), nullable=True),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('params', sa.JSON(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=255), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('result_path', sa.String(length=500), nullable=True),
        sa.Column('result_name', sa.String(length=255), nullable=True),
        sa.Column('result_mimetype', sa.String(length=120), nullable=True),
        sa.Column('result_size', sa.Integer(), nullable=True),
        sa.Column('result_sha256', sa.String(length=64), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_jobs_created_by_id_users',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name='fk_jobs_agency_id_agencies',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_jobs'),
        sa.UniqueConstraint('key', name='uq_jobs_key'),
    )
    op.create_index('ix_jobs_group_state', 'jobs', ['cache_group', 'state'])
    op.create_index('ix_jobs_object', 'jobs', ['object_kind', 'object_id'])
    op.create_index('ix_jobs_creator', 'jobs', ['created_by_id', 'created_at'])
    op.create_index('ix_jobs_state', 'jobs', ['state'])
    op.create_index('ix_jobs_agency_id', 'jobs', ['agency_id'])
    op.create_table(
        'issued_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_kind', sa.String(length=20), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('pdf_path', sa.String(length=500), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('size', sa.Integer(), nullable=True),
        sa.Column('signed', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name='fk_issued_files_job_id_jobs',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_issued_files'),
        sa.UniqueConstraint('document_kind', 'document_id', 'version', name='uq_issued_files_document'),
    )
    # SQLite adds a column with a constant default in place (no batch copy: the tables'
    # triggers stay).
    for table in COUNTED:
        op.add_column(table, sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    postgres = op.get_bind().dialect.name == 'postgresql'
    for ddl in POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(ddl)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in COUNTED:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_revision ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_revision()")
        for table in COUNTED:
            op.drop_column(table, 'revision')
    else:
        for name in ("trg_tasks_revision", "trg_submissions_revision", "trg_procedures_revision"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in COUNTED:
            op.execute(f"ALTER TABLE {table} DROP COLUMN revision")
    op.drop_table('issued_files')
    op.drop_table('jobs')
