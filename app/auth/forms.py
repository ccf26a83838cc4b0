from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Nhập mật khẩu hiện tại.")])
    new = PasswordField("Mật khẩu mới", validators=[
        DataRequired("Nhập mật khẩu mới.")])
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[
        DataRequired("Nhập lại mật khẩu mới."), EqualTo("new", "Hai lần nhập không khớp.")])


class OtpForm(FlaskForm):
    code = StringField("Mã xác thực", validators=[DataRequired("Nhập mã 6 chữ số trên ứng dụng xác thực hoặc một mã khôi phục."),
                                                  Length(max=20, message="Mã không hợp lệ.")])


class TotpConfirmForm(FlaskForm):
    code = StringField("Mã 6 chữ số", validators=[DataRequired("Nhập mã đang hiển thị trên ứng dụng."),
                                                 Length(max=10, message="Mã không hợp lệ.")])


class TotpDisableForm(FlaskForm):
    password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Nhập mật khẩu hiện tại.")])
