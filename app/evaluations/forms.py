"""Forms of evaluations: open a period, the head's mark, a correction, the person's comment."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.domain.evaluation import CORRECTABLE, FIGURES, PERIOD_KINDS
from app.forms_common import VnDateField, VnForm, VnIntegerField


class OpenForm(VnForm):
    unit_id = SelectField("Đơn vị", coerce=int, choices=[])
    kind = SelectField("Loại kỳ", choices=list(PERIOD_KINDS.items()))
    number = VnIntegerField("Tháng / quý", grouping=False, validators=[Optional()])
    year = VnIntegerField("Năm", grouping=False, validators=[DataRequired("Nhập năm."),
                                                           NumberRange(2000, 2100, "Năm không hợp lệ.")])


class MarkForm(VnForm):
    quality = VnIntegerField("Điểm chất lượng (0–100)", grouping=False,
                             validators=[Optional(), NumberRange(0, 100, "Điểm chất lượng phải từ 0 đến 100.")])
    head_comment = TextAreaField("Nhận xét của Trưởng phòng", validators=[Optional()])


class CorrectionForm(VnForm):
    figure = SelectField("Số liệu", choices=[(k, FIGURES[k]) for k in CORRECTABLE])
    value = VnIntegerField("Giá trị đúng", grouping=False,
                           validators=[InputRequired("Nhập giá trị đúng."), NumberRange(0, None, "Nhập số không âm.")])
    reason = TextAreaField("Lý do sửa", validators=[DataRequired("Sửa số liệu cần ghi rõ lý do.")])


class CommentForm(VnForm):
    comment = TextAreaField("Ý kiến của tôi", validators=[DataRequired("Nhập ý kiến.")])


class SchemeForm(VnForm):
    name = StringField("Tên phiên bản", validators=[DataRequired("Nhập tên phiên bản.")])
    valid_from = VnDateField("Áp dụng từ ngày", required=True)
    description = TextAreaField("Căn cứ, nguồn của các hệ số", validators=[Optional()])


class MoveForm(VnForm):
    comment = TextAreaField("Lý do", validators=[Optional()])
