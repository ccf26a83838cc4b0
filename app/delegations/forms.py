from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from app.forms_common import VnDateField, VnForm


def _int_or_zero(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class DelegationForm(VnForm):
    # The service decides who is eligible (and says why next to the field).
    delegate_id = SelectField("Người được ủy quyền", coerce=_int_or_zero, validate_choice=False)
    starts_on = VnDateField("Từ ngày (dd/mm/yyyy)", required=True)
    ends_on = VnDateField("Đến hết ngày (dd/mm/yyyy)", required=True)
    plan_id = SelectField("Chỉ cho kế hoạch", coerce=_int_or_zero, validate_choice=False)
    reason = TextAreaField("Lý do (đi công tác, nghỉ phép ...)", validators=[
        Length(max=1000, message="Tối đa 1.000 ký tự.")])
