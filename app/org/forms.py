from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

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
    # A deputy's standing right (Phó trưởng phòng, Phó Giám đốc): approves like the head of
    # the unit, or like the leader in a leadership unit, without a delegation.
    standing_approval = BooleanField("Cấp phó được duyệt thường xuyên (thay Trưởng phòng / Lãnh đạo)",
                                     default=False)
    password = PasswordField("Mật khẩu mới", validators=[Optional()])

    def validate_password(self, field):
        """The same policy as a user's own change (app/domain/passwords.py), next to the field."""
        from app.auth.security import check_policy
        problems = check_policy(field.data, username=self.username.data or "", full_name=self.full_name.data or "")
        if problems:
            raise ValidationError(" ".join(problems))


class DirectoryMappingForm(VnForm):
    group_dn = StringField("Nhóm trong thư mục (DN)", validators=[
        DataRequired("Nhập DN của nhóm, ví dụ cn=kstt-btxh,ou=groups,dc=langson,dc=gov,dc=vn."),
        Length(max=500, message="Tối đa 500 ký tự."),
        Regexp(r"^[^=,]+=[^,]+(,[^=,]+=[^,]+)*$", message="DN không hợp lệ: dạng cn=...,ou=...,dc=...")])
    unit_id = SelectField("Đơn vị", coerce=int)
    role = SelectField("Vai trò", choices=list(ROLES.items()))
    title = StringField("Chức vụ (để trống: lấy từ thư mục)", validators=[Optional(), Length(max=120, message="Tối đa 120 ký tự.")])
    priority = VnIntegerField("Thứ tự ưu tiên", default=100, validators=[
        Optional(), NumberRange(min=0, max=10000, message="Nhập số từ 0 đến 10.000.")])
    active = BooleanField("Đang áp dụng", default=True)
