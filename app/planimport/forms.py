from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms_common import VnForm, VnIntegerField
from app.models.plan import PLAN_KINDS


class SourceForm(VnForm):
    file = FileField("Tệp DOCX hoặc XLSX")
    text = TextAreaField("Hoặc dán bảng (sao chép từ Word/Excel)", validators=[Optional()])


class ConfirmForm(VnForm):
    number = StringField("Số, ký hiệu kế hoạch", validators=[
        DataRequired("Nhập số, ký hiệu kế hoạch."), Length(max=80, message="Tối đa 80 ký tự.")])
    title = StringField("Tên kế hoạch", validators=[
        DataRequired("Nhập tên kế hoạch."), Length(max=500, message="Tối đa 500 ký tự.")])
    year = VnIntegerField("Năm", grouping=False, validators=[NumberRange(2000, 2100, "Năm không hợp lệ.")])
    kind = SelectField("Loại kế hoạch", choices=list(PLAN_KINDS.items()))
