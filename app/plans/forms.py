from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.evaluation import DIFFICULTIES, PRIORITIES
from app.forms_common import VnDateField, VnForm, VnIntegerField
from app.models.plan import PLAN_KINDS


class PlanForm(VnForm):
    number = StringField("Số, ký hiệu", validators=[
        DataRequired("Nhập số, ký hiệu (ví dụ 19/KH-SLĐTBXH)."), Length(max=80, message="Tối đa 80 ký tự.")])
    issued_on = VnDateField("Ngày")
    title = StringField("Tiêu đề", validators=[DataRequired("Nhập tiêu đề kế hoạch."), Length(max=500, message="Tối đa 500 ký tự.")])
    basis = TextAreaField("Căn cứ (Thực hiện Kế hoạch số ...)", validators=[Optional()])
    year = VnIntegerField("Năm", grouping=False, validators=[
        DataRequired("Nhập năm (ví dụ 2022)."), NumberRange(2000, 2100, "Năm không hợp lệ.")])
    kind = SelectField("Loại kế hoạch", choices=list(PLAN_KINDS.items()))
    targets = TextAreaField("Mục tiêu, chỉ tiêu", validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _NormalChoice(SelectField):
    """A choice whose empty value is "normal": a task's NULL, or a form posted without the
    field (older clients, imports), reads as "" and passes the choice check."""

    def process_data(self, value):
        super().process_data(value)
        if self.data is None:
            self.data = ""


class TaskForm(VnForm):
    group_label = StringField("Nhóm / mục (I, II, ...)", validators=[Optional(), Length(max=255, message="Tối đa 255 ký tự.")])
    content = TextAreaField("Nội dung nhiệm vụ", validators=[DataRequired("Nhập nội dung nhiệm vụ.")])
    lead_unit_id = SelectField("Đơn vị chủ trì", coerce=int, validators=[
        DataRequired("Chọn đơn vị chủ trì.")])
    cooperating_unit_ids = MultiCheckboxField("Đơn vị phối hợp", coerce=int)
    due_text = StringField("Thời gian thực hiện (như trong kế hoạch)", validators=[Optional(), Length(max=500, message="Tối đa 500 ký tự.")])
    due_on = VnDateField("Hạn hoàn thành (dd/mm/yyyy)")
    product = TextAreaField("Kết quả / sản phẩm", validators=[Optional()])
    # What the evaluation schemes weigh (issue 15); a task's NULL (or a form without the field)
    # is "" here: normal.
    priority = _NormalChoice("Mức ưu tiên", choices=list(PRIORITIES.items()), default="")
    difficulty = _NormalChoice("Độ khó", choices=list(DIFFICULTIES.items()), default="")

    def validate_cooperating_unit_ids(self, field):
        if self.lead_unit_id.data in (field.data or []):
            from wtforms.validators import ValidationError
            raise ValidationError("Đơn vị chủ trì không đồng thời là đơn vị phối hợp.")


class CommentForm(VnForm):
    comment = TextAreaField("Ý kiến", validators=[Optional()])
