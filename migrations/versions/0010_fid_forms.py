"""fid-forms: report forms as versioned data (validity, checks, options), figure values of
forms beyond Biểu II.06a, and the catalog fields of the national TTHC database's exports

report_forms gains valid_to, checks (consistency rules as data) and options (sheet name,
unit of count, row label, notes); figure_sets gains form_values ({form code: {key: n}}) for
the columns that are not figure_sets' own (Biểu II.07b and later forms); procedures gains
the executing agency as written (cơ quan thực hiện), lệ phí apart from phí, and the amounts
read from their text (the text is kept).

None of these tables carries triggers: plain ADD COLUMN on both databases.

Revision ID: 0010_fid_forms
Revises: 0010_fix_data
Create Date: 2026-12-02 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_fid_forms'
down_revision = '0010_fix_data'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('report_forms', sa.Column('valid_to', sa.Date(), nullable=True))
    op.add_column('report_forms', sa.Column('checks', sa.JSON(), nullable=True))
    op.add_column('report_forms', sa.Column('options', sa.JSON(), nullable=True))
    op.add_column('figure_sets', sa.Column('form_values', sa.JSON(), nullable=True))
    op.add_column('procedures', sa.Column('agency', sa.String(length=255), nullable=True))
    op.add_column('procedures', sa.Column('fee_amount', sa.Numeric(14, 0), nullable=True))
    op.add_column('procedures', sa.Column('charges', sa.Text(), nullable=True))
    op.add_column('procedures', sa.Column('charge_amount', sa.Numeric(14, 0), nullable=True))
    # Entries made before: read the amount from the fee words they hold ("Không" -> 0,
    # "50.000 đồng/hồ sơ" -> 50000; several amounts stay empty). The words are not touched.
    from app.domain.catalogtext import parse_money
    procedures = sa.table('procedures', sa.column('id', sa.Integer), sa.column('fees', sa.Text),
                          sa.column('fee_amount', sa.Numeric(14, 0)))
    conn = op.get_bind()
    rows = conn.execute(sa.select(procedures.c.id, procedures.c.fees)
                        .where(procedures.c.fees.is_not(None))).all()
    for pid, fees in rows:
        amount, _ = parse_money(fees)
        if amount is not None:
            conn.execute(procedures.update().where(procedures.c.id == pid).values(fee_amount=amount))


def downgrade():
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.drop_column('charge_amount')
        batch_op.drop_column('charges')
        batch_op.drop_column('fee_amount')
        batch_op.drop_column('agency')
    with op.batch_alter_table('figure_sets', schema=None) as batch_op:
        batch_op.drop_column('form_values')
    with op.batch_alter_table('report_forms', schema=None) as batch_op:
        batch_op.drop_column('options')
        batch_op.drop_column('checks')
        batch_op.drop_column('valid_to')
