"""What every form shares: the Vietnamese base form (WTForms' and Flask-WTF's own messages in
Vietnamese, CSRF included), dates typed as dd/mm/yyyy and numbers typed the Vietnamese way."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms import Field, StringField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from app.domain.formatting import parse_vn_date, vn_date
from app.domain.numbers import NumberError, format_vn_number, parse_vn_decimal, parse_vn_integer

# Every message WTForms 3.3 and Flask-WTF 1.3 can produce (wtforms.pot, flask_wtf.file), so a
# validator left without its own message still answers in Vietnamese. tests/test_forms_vietnamese.py
# fails when a form shows anything that is not in Vietnamese.
VN_MESSAGES: dict[str, str] = {
    "Invalid field name '%s'.": "Tên trường không hợp lệ: '%s'.",
    "Field must be equal to %(other_name)s.": "Giá trị phải trùng với ô %(other_name)s.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Tối đa %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Cần đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Cần đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Cần từ %(min)d đến %(max)d ký tự.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số không được lớn hơn %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "Date must be at least %(min)s.": "Ngày phải từ %(min)s trở về sau.",
    "Date must be at most %(max)s.": "Ngày không được sau %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Ngày phải từ %(min)s đến %(max)s.",
    "This field is required.": "Chưa nhập thông tin bắt buộc này.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Invalid IP address.": "Địa chỉ IP không hợp lệ.",
    "Invalid Mac address.": "Địa chỉ MAC không hợp lệ.",
    "Invalid URL.": "Địa chỉ trang web không hợp lệ.",
    "Invalid UUID.": "Mã UUID không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị không hợp lệ, phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không hợp lệ, không được là: %(values)s.",
    "This field cannot be edited.": "Không được sửa thông tin này.",
    "This field is disabled and cannot have a value.": "Ô này đã khóa, không nhận giá trị.",
    "Invalid CSRF Token.": "Mã bảo mật của biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại.",
    "CSRF token missing.": "Thiếu mã bảo mật của biểu mẫu. Vui lòng tải lại trang và thử lại.",
    "CSRF failed.": "Không kiểm tra được mã bảo mật của biểu mẫu. Vui lòng tải lại trang và thử lại.",
    "CSRF token expired.": "Biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Choices cannot be None.": "Chưa có danh sách để chọn.",
    "Not a valid choice.": "Lựa chọn không hợp lệ: hãy chọn trong danh sách.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Có lựa chọn không hợp lệ.",
    "'%(value)s' is not a valid choice for this field.": "“%(value)s” không có trong danh sách để chọn.",
    "'%(value)s' are not valid choices for this field.": "“%(value)s” không có trong danh sách để chọn.",
    "Not a valid datetime value.": "Ngày giờ không hợp lệ (dd/mm/yyyy hh:mm).",
    "Not a valid date value.": "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.",
    "Not a valid time value.": "Giờ không hợp lệ (hh:mm).",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Not a valid integer value.": "Phải là số nguyên (ví dụ 3.238).",
    "Not a valid decimal value.": "Phải là số (ví dụ 3.238 hoặc 59,38).",
    "Not a valid float value.": "Phải là số (ví dụ 3.238 hoặc 59,38).",
    # flask_wtf.file
    "File does not have an approved extension: {extensions}": "Tệp không đúng loại được nhận: {extensions}.",
    "File does not have an approved extension.": "Tệp không đúng loại được nhận.",
    "File must be between {min_size} and {max_size} bytes.": "Dung lượng tệp phải từ {min_size} đến {max_size} byte.",
    # flask_wtf.csrf.validate_csrf (raised without gettext)
    "The CSRF token is missing.": "Thiếu mã bảo mật của biểu mẫu. Vui lòng tải lại trang và thử lại.",
    "The CSRF session token is missing.": "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "The CSRF token has expired.": "Biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.",
    "The CSRF token is invalid.": "Mã bảo mật của biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại.",
    "The CSRF tokens do not match.": "Mã bảo mật của biểu mẫu không khớp. Vui lòng tải lại trang và thử lại.",
}


class VnTranslations:
    """The gettext interface WTForms asks of a form's meta, answered from VN_MESSAGES."""

    def gettext(self, string: str) -> str:
        return VN_MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


VN_TRANSLATIONS = VnTranslations()


class _VnCSRF(_FlaskFormCSRF):
    def validate_csrf_token(self, form, field):
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as e:
            raise ValidationError(VN_TRANSLATIONS.gettext(e.args[0] if e.args else "CSRF failed.")) from e


class VnForm(FlaskForm):
    """The base of every form of the portal: default messages in Vietnamese."""

    class Meta:
        csrf_class = _VnCSRF

        def get_translations(self, form):
            return VN_TRANSLATIONS


class VnDateField(StringField):
    """A date typed as dd/mm/yyyy; keeps the raw text on error so nothing typed is lost."""

    def __init__(self, label=None, validators=None, required: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.date = None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return vn_date(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip()
        self.data = parse_vn_date(text) if text else None
        self._bad = bool(text) and self.data is None

    def pre_validate(self, form):
        if getattr(self, "_bad", False):
            raise ValidationError("Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy (ví dụ 05/04/2022).")
        if self.required and self.data is None:
            raise ValidationError("Nhập ngày (dd/mm/yyyy).")


class _VnNumberField(Field):
    """A number typed the Vietnamese way (app.domain.numbers) in a text box: a browser's
    type=number would refuse '3.238'. On error the box keeps exactly what was typed."""
    widget = TextInput()
    inputmode = "numeric"

    def __init__(self, label=None, validators=None, grouping: bool = True,
                 allow_negative: bool = False, **kwargs):
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        render_kw.setdefault("inputmode", self.inputmode)
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.grouping = grouping
        self.allow_negative = allow_negative

    def _parse(self, text: str):
        raise NotImplementedError

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_vn_number(self.data, grouping=self.grouping)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = self._parse(valuelist[0])
        except NumberError as e:
            self.data = None
            raise ValueError(e.message) from None

    def pre_validate(self, form):
        if self.process_errors:  # one message: the typing, not also the range of a missing value
            raise StopValidation()


class VnIntegerField(_VnNumberField):
    """Counts and years: '3.238', '3238', '3 238' -> 3238; '2,5' is refused."""

    def _parse(self, text):
        return parse_vn_integer(text, "Giá trị", allow_negative=self.allow_negative)


class VnDecimalField(_VnNumberField):
    """Days, hours, money, percentages: '1.234,5', '59,38' (a lone '1.5' reads as 1,5)."""
    inputmode = "decimal"

    def __init__(self, label=None, validators=None, places: int | None = 2, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places = places

    def _parse(self, text):
        return parse_vn_decimal(text, "Giá trị", allow_negative=self.allow_negative,
                                max_decimals=self.places)
