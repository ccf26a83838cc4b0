"""register and signing: the register of outgoing documents, signing certificates, trust roots

- `register_series`: one counter per agency, year and document type (KH, BC, ...).
- `register_entries`: every number given (issued, reserved, released), with who and when;
  the issued plans and reports already in the database are entered (their numbers kept).
- `signing_certificates`: PKCS#12 files of agencies and signers (the passphrase only named).
- `trust_materials`: root CA certificates and CRLs the verification page trusts.

Revision ID: 0016_register
Revises: 0015_search_index
Create Date: 2026-12-07 23:10:00

"""
import re
from datetime import datetime

from alembic import op
import sqlalchemy as sa


revision = '0016_register'
down_revision = "0016_evaluations"
branch_labels = None
depends_on = None

SYMBOL_RE = re.compile(r"^\s*(\d+)\s*/\s*([^\s/-]+)\s*-")


def upgrade():
    op.create_table(
        'register_series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('doc_type', sa.String(length=10), nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('opening_number', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('lock_count', sa.Integer(), nullable=False, server_default='0'),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name='fk_register_series_agency_id_agencies'),
        sa.PrimaryKeyConstraint('id', name='pk_register_series'),
        sa.UniqueConstraint('agency_id', 'year', 'doc_type', name='uq_register_series_key'),
    )
    op.create_index('ix_register_series_agency_id', 'register_series', ['agency_id'])
    op.create_table(
        'register_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('symbol', sa.String(length=80), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('doc_kind', sa.String(length=20), nullable=True),
        sa.Column('doc_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=500), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('issued_at', sa.DateTime(), nullable=True),
        sa.Column('reserved_by_id', sa.Integer(), nullable=True),
        sa.Column('reserved_at', sa.DateTime(), nullable=True),
        sa.Column('released_by_id', sa.Integer(), nullable=True),
        sa.Column('released_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['series_id'], ['register_series.id'], name='fk_register_entries_series_id_register_series'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name='fk_register_entries_issued_by_id_users', ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reserved_by_id'], ['users.id'], name='fk_register_entries_reserved_by_id_users', ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name='fk_register_entries_released_by_id_users', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_register_entries'),
        sa.UniqueConstraint('series_id', 'number', name='uq_register_entries_number'),
    )
    op.create_index('ix_register_entries_series_state', 'register_entries', ['series_id', 'state', 'number'])
    op.create_index('ix_register_entries_document', 'register_entries', ['doc_kind', 'doc_id'])
    op.create_table(
        'signing_certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('label', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('issuer', sa.String(length=500), nullable=False),
        sa.Column('serial', sa.String(length=100), nullable=False),
        sa.Column('not_before', sa.DateTime(), nullable=False),
        sa.Column('not_after', sa.DateTime(), nullable=False),
        sa.Column('fingerprint', sa.String(length=100), nullable=False),
        sa.Column('p12_path', sa.String(length=500), nullable=False),
        sa.Column('passphrase_ref', sa.String(length=200), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name='fk_signing_certificates_agency_id_agencies'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_signing_certificates_user_id_users', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_signing_certificates_created_by_id_users', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_signing_certificates'),
    )
    op.create_index('ix_signing_certificates_agency_id', 'signing_certificates', ['agency_id'])
    op.create_index('ix_signing_certificates_user_id', 'signing_certificates', ['user_id'])
    op.create_table(
        'trust_materials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('label', sa.String(length=500), nullable=False),
        sa.Column('der', sa.LargeBinary(), nullable=False),
        sa.Column('not_after', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_trust_materials_created_by_id_users', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_trust_materials'),
    )
    op.create_index('ix_trust_materials_kind', 'trust_materials', ['kind'])
    _enter_issued_documents(op.get_bind())


def _enter_issued_documents(conn):
    """The plans and reports issued before the register keep their numbers: each becomes an
    issued entry and its series continues after the highest number of the year."""
    docs = []
    for row in conn.execute(sa.text(
            "SELECT id, agency_id, number, issued_on, year, title FROM plans WHERE state = 'issued' ORDER BY id")):
        docs.append(("plan", row.id, row.agency_id, row.number, row.issued_on, row.year, row.title, None))
    for row in conn.execute(sa.text(
            "SELECT id, agency_id, number, issued_on, title, signer_id FROM reports WHERE state = 'issued' ORDER BY id")):
        docs.append(("report", row.id, row.agency_id, row.number, row.issued_on, None, row.title, row.signer_id))
    series: dict = {}
    taken: set = set()
    now = datetime.utcnow()
    for kind, doc_id, agency_id, number, issued_on, year, title, signer in docs:
        m = SYMBOL_RE.match(number or "")
        if not m or agency_id is None:
            continue
        if isinstance(issued_on, str):
            issued_on = datetime.strptime(issued_on[:10], "%Y-%m-%d").date()
        y = issued_on.year if issued_on else year
        if y is None:
            continue
        n, doc_type = int(m.group(1)), m.group(2)
        key = (agency_id, y, doc_type)
        if (key, n) in taken:
            continue  # two old documents under one number: the first keeps it
        taken.add((key, n))
        if key not in series:
            sid = conn.execute(sa.text(
                "INSERT INTO register_series (agency_id, year, doc_type, last_number, opening_number, lock_count) "
                "VALUES (:a, :y, :t, 0, 0, 0) RETURNING id"), {"a": agency_id, "y": y, "t": doc_type}).scalar()
            series[key] = [sid, 0]
        series[key][1] = max(series[key][1], n)
        conn.execute(sa.text(
            "INSERT INTO register_entries (series_id, number, symbol, state, doc_kind, doc_id, title, "
            "issued_on, issued_by_id, issued_at, created_at, note) VALUES (:s, :n, :sym, 'issued', :k, :d, :t, "
            ":on, :by, :at, :at, :note)"),
            {"s": series[key][0], "n": n, "sym": number.strip(), "k": kind, "d": doc_id, "t": (title or "")[:500],
             "on": issued_on, "by": signer, "at": now, "note": "Vào sổ khi nâng cấp (văn bản ban hành trước khi có sổ)"})
    for sid, last in series.values():
        conn.execute(sa.text("UPDATE register_series SET last_number = :n WHERE id = :s"), {"n": last, "s": sid})


def downgrade():
    op.drop_table('trust_materials')
    op.drop_table('signing_certificates')
    op.drop_table('register_entries')
    op.drop_table('register_series')
