"""Forms of the send-up: the province office's reporting request, a move's comment."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.domain.periods import PERIOD_KINDS
from app.forms_common import VnForm, VnIntegerField


class RequestForm(VnForm):
    kind = SelectField("Loại kỳ báo cáo", choices=[(k, v) for k, v in PERIOD_KINDS.items() if k != "plan"])
    number_in_year = SelectField("Kỳ", coerce=int, choices=[
        (1, "Quý I / 6 tháng đầu năm"), (2, "Quý II / 6 tháng cuối năm"), (3, "Quý III"), (4, "Quý IV")])
    year = VnIntegerField("Năm", grouping=False, validators=[DataRequired("Nhập năm báo cáo."),
                                                           NumberRange(2000, 2100, "Năm không hợp lệ.")])
    number = StringField("Số ký hiệu công văn", validators=[DataRequired("Nhập số ký hiệu công văn, ví dụ 2445/VP-TTPVHCC.")])
    letter_date = StringField("Ngày công văn (dd/mm/yyyy)", validators=[DataRequired("Nhập ngày công văn.")])
    deadline = StringField("Hạn gửi báo cáo (dd/mm/yyyy)", validators=[DataRequired("Nhập hạn gửi báo cáo.")])
    subject = TextAreaField("Trích yếu", validators=[Optional()])
    time_cut_target = StringField("Chỉ tiêu cắt giảm thời gian (%)", validators=[Optional()])
    cost_cut_target = StringField("Chỉ tiêu cắt giảm chi phí tuân thủ (%)", validators=[Optional()])


class MoveForm(VnForm):
    comment = TextAreaField("Ý kiến", validators=[Optional()])
