from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.domain.formatting import parse_vn_date
from app.forms_common import VnForm, VnIntegerField
from app.models.deadlines import CALENDAR_KINDS


def _vn_date(form, field):
    if parse_vn_date(field.data or "") is None:
        raise ValidationError("Ngày không hợp lệ (dd/mm/yyyy).")


_req = InputRequired("Nhập một số nguyên.")


class DayForm(VnForm):
    day = StringField("Ngày (dd/mm/yyyy)", validators=[DataRequired("Nhập ngày."), _vn_date])
    kind = SelectField("Loại", choices=list(CALENDAR_KINDS.items()))
    note = StringField("Ghi chú", validators=[Length(max=255, message="Tối đa 255 ký tự.")])


class ReportDaysForm(VnForm):
    monthly_day = VnIntegerField("Báo cáo tháng: ngày", grouping=False, validators=[_req, NumberRange(1, 31, "Từ 1 đến 31.")])
    quarterly_month = VnIntegerField("Báo cáo quý: tháng thứ mấy của quý", grouping=False, validators=[_req, NumberRange(1, 3, "Từ 1 đến 3.")])
    quarterly_day = VnIntegerField("Báo cáo quý: ngày", grouping=False, validators=[_req, NumberRange(1, 31, "Từ 1 đến 31.")])
    yearly_month = VnIntegerField("Báo cáo năm: tháng", grouping=False, validators=[_req, NumberRange(1, 12, "Từ 1 đến 12.")])
    yearly_day = VnIntegerField("Báo cáo năm: ngày", grouping=False, validators=[_req, NumberRange(1, 31, "Từ 1 đến 31.")])
