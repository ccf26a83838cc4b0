"""Report forms: open a report for a period, edit its narrative, move it (submit/return/issue)."""
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.forms_common import VnForm, VnIntegerField
from app.domain.periods import PERIOD_KINDS


class OpenForm(VnForm):
    kind = SelectField("Loại kỳ báo cáo", choices=list(PERIOD_KINDS.items()))
    number = SelectField("Kỳ", coerce=int, choices=[
        (1, "Quý I / 6 tháng đầu năm"), (2, "Quý II / 6 tháng cuối năm"), (3, "Quý III"), (4, "Quý IV")])
    plan_id = SelectField("Kế hoạch (khi báo cáo theo kế hoạch)", coerce=int, validate_choice=False,
                          choices=[(0, "—")])
    year = VnIntegerField("Năm", grouping=False, validators=[DataRequired("Nhập năm báo cáo."),
                                           NumberRange(2000, 2100, "Năm không hợp lệ.")])


class EditForm(VnForm):
    title = TextAreaField("Trích yếu", validators=[DataRequired("Nhập trích yếu (tên) báo cáo.")])
    basis = TextAreaField("Căn cứ, mở đầu", validators=[Optional()])
    number = StringField("Số ký hiệu", validators=[Optional()])
    recipients = TextAreaField("Nơi nhận (mỗi dòng một nơi)", validators=[Optional()])
    lock_version = HiddenField()


class MoveForm(VnForm):
    comment = TextAreaField("Ý kiến", validators=[Optional()])
    # The register gives the number: "" takes the next one, or a number the office reserved.
    number = SelectField("Số ký hiệu (sổ văn bản đi)", choices=[("", "Số tiếp theo của sổ")],
                         validators=[Optional()], validate_choice=False)
    issued_on = StringField("Ngày ban hành (dd/mm/yyyy)", validators=[Optional()])
