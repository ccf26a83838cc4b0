from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.domain.formatting import parse_vn_date
from app.models.deadlines import CALENDAR_KINDS


def _vn_date(form, field):
    if parse_vn_date(field.data or "") is None:
        raise ValidationError("Ngày không hợp lệ (dd/mm/yyyy).")


_req = InputRequired("Nhập một số nguyên.")


class VNIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as e:
            raise ValueError("Nhập một số nguyên.") from e


class DayForm(FlaskForm):
    day = StringField("Ngày (dd/mm/yyyy)", validators=[DataRequired("Nhập ngày."), _vn_date])
    kind = SelectField("Loại", choices=list(CALENDAR_KINDS.items()))
    note = StringField("Ghi chú", validators=[Length(max=255, message="Tối đa 255 ký tự.")])


class ReportDaysForm(FlaskForm):
    monthly_day = VNIntegerField("Báo cáo tháng: ngày", validators=[_req, NumberRange(1, 31, "Từ 1 đến 31.")])
    quarterly_month = VNIntegerField("Báo cáo quý: tháng thứ mấy của quý", validators=[_req, NumberRange(1, 3, "Từ 1 đến 3.")])
    quarterly_day = VNIntegerField("Báo cáo quý: ngày", validators=[_req, NumberRange(1, 31, "Từ 1 đến 31.")])
    yearly_month = VNIntegerField("Báo cáo năm: tháng", validators=[_req, NumberRange(1, 12, "Từ 1 đến 12.")])
    yearly_day = VNIntegerField("Báo cáo năm: ngày", validators=[_req, NumberRange(1, 31, "Từ 1 đến 31.")])
