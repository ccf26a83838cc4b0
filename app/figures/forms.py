"""Figure entry forms (Biểu II.06a parts, feedback, overdue explanations, XLSX import)."""
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms_common import VnForm, VnIntegerField


POSITIVE = NumberRange(min=0, message="Phải là số không âm.")


def _part(label: str) -> VnIntegerField:
    # Negatives parse so that the message names the rule ("không âm"), not the typing.
    return VnIntegerField(label, validators=[Optional(), POSITIVE], default=0, allow_negative=True)


def _total(label: str) -> VnIntegerField:
    return VnIntegerField(label, validators=[Optional(), POSITIVE], allow_negative=True)


class FigureForm(VnForm):
    received_online = _part("Mới tiếp nhận trực tuyến")
    received_direct = _part("Mới tiếp nhận trực tiếp, bưu chính")
    carried_over = _part("Từ kỳ trước chuyển qua")
    resolved_early = _part("Giải quyết trước hạn")
    resolved_on_time = _part("Giải quyết đúng hạn")
    resolved_late = _part("Giải quyết quá hạn")
    pending_in_time = _part("Đang giải quyết trong hạn")
    pending_late = _part("Đang giải quyết quá hạn")
    feedback_received = _part("Phản ánh, kiến nghị đã tiếp nhận")
    feedback_handled = _part("Phản ánh, kiến nghị đã xử lý")
    # Totals as printed on the one-stop software's report: optional, checked against the parts.
    received = _total("Tổng số đã tiếp nhận (đối chiếu)")
    received_new = _total("Tổng số mới tiếp nhận (đối chiếu)")
    resolved = _total("Tổng số đã giải quyết (đối chiếu)")
    pending = _total("Tổng số đang giải quyết (đối chiếu)")
    note = TextAreaField("Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")])
    # The office's entry counts at once: with overdue dossiers not yet explained it must say so.
    confirm_missing = BooleanField("Vẫn ghi nhận số liệu khi còn hồ sơ quá hạn chưa có giải trình "
                                   "(ghi vào lịch sử)")


class OverdueForm(VnForm):
    dossier_code = StringField("Mã hồ sơ", validators=[DataRequired("Nhập mã hồ sơ."), Length(max=80, message="Tối đa 80 ký tự.")])
    procedure_name = StringField("Thủ tục hành chính", validators=[
        DataRequired("Nhập tên thủ tục hành chính."), Length(max=500, message="Tối đa 500 ký tự.")])
    explanation = TextAreaField("Giải trình của Thủ trưởng đơn vị", validators=[
        DataRequired("Nhập giải trình của Thủ trưởng đơn vị.")])


class ImportForm(VnForm):
    file = FileField("Tệp XLSX theo mẫu", validators=[
        FileRequired("Chọn tệp XLSX."), FileAllowed(["xlsx"], "Chỉ nhận tệp .xlsx theo mẫu.")])
    confirm_missing = BooleanField("Vẫn nhập khi có đơn vị còn hồ sơ quá hạn chưa có giải trình "
                                   "(ghi vào lịch sử của đơn vị)")
