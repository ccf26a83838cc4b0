from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.forms_common import VnForm


class LoginForm(VnForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])


class ChangePasswordForm(VnForm):
    current = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Nhập mật khẩu hiện tại.")])
    new = PasswordField("Mật khẩu mới", validators=[
        DataRequired("Nhập mật khẩu mới.")])
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[
        DataRequired("Nhập lại mật khẩu mới."), EqualTo("new", "Hai lần nhập không khớp.")])


class OtpForm(VnForm):
    code = StringField("Mã xác thực", validators=[DataRequired("Nhập mã 6 chữ số trên ứng dụng xác thực hoặc một mã khôi phục."),
                                                  Length(max=20, message="Mã không hợp lệ.")])


class TotpConfirmForm(VnForm):
    code = StringField("Mã 6 chữ số", validators=[DataRequired("Nhập mã đang hiển thị trên ứng dụng."),
                                                 Length(max=10, message="Mã không hợp lệ.")])


class TotpDisableForm(VnForm):
    password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Nhập mật khẩu hiện tại.")])
