from flask_wtf.file import FileField
from wtforms import HiddenField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_common import VnForm


class ResultForm(VnForm):
    result_text = TextAreaField("Kết quả thực hiện", validators=[Optional(), Length(max=100_000)])
    version = HiddenField()


class AttachmentForm(VnForm):
    file = FileField("Tệp đính kèm")


class TransitionForm(VnForm):
    comment = TextAreaField("Ý kiến", validators=[Optional(), Length(max=5000)])
    version = HiddenField()


class AssignForm(VnForm):
    user_ids = SelectMultipleField("Giao cho chuyên viên", coerce=int,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class ContributionForm(VnForm):
    text = TextAreaField("Ý kiến, kết quả phối hợp", validators=[
        DataRequired("Nhập nội dung phối hợp."), Length(max=20_000)])
