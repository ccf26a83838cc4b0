from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.forms_common import VnForm, VnIntegerField
from app.models.org import ROLES, UNIT_KINDS


class UnitForm(VnForm):
    name = StringField("Tên đơn vị", validators=[DataRequired("Nhập tên đơn vị."), Length(max=255, message="Tối đa 255 ký tự.")])
    code = StringField("Mã viết tắt", validators=[
        DataRequired("Nhập mã viết tắt."), Length(max=40, message="Tối đa 40 ký tự."),
        Regexp(r"^[A-Za-z0-9_\-]+$", message="Mã chỉ gồm chữ không dấu, số, - và _.")])
    kind = SelectField("Loại đơn vị", choices=list(UNIT_KINDS.items()))
    parent_id = SelectField("Trực thuộc", coerce=int)
    sort_order = VnIntegerField("Thứ tự hiển thị", default=100, grouping=False, validators=[Optional()])
    active = BooleanField("Đang hoạt động", default=True)


class UserForm(VnForm):
    username = StringField("Tên đăng nhập", validators=[
        DataRequired("Nhập tên đăng nhập."), Length(max=80, message="Tối đa 80 ký tự."),
        Regexp(r"^[a-z0-9_.\-]+$", message="Tên đăng nhập chỉ gồm chữ thường không dấu, số, . - _")])
    full_name = StringField("Họ và tên", validators=[DataRequired("Nhập họ và tên."), Length(max=255, message="Tối đa 255 ký tự.")])
    title = StringField("Chức vụ", validators=[Optional(), Length(max=120, message="Tối đa 120 ký tự.")])
    email = StringField("Thư điện tử", validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Địa chỉ thư không hợp lệ.")])
    unit_id = SelectField("Đơn vị", coerce=int)
    role = SelectField("Vai trò", choices=list(ROLES.items()))
    active = BooleanField("Đang hoạt động", default=True)
    password = PasswordField("Mật khẩu mới", validators=[
        Optional(), Length(min=8, message="Mật khẩu cần ít nhất 8 ký tự.")])
