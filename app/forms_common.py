"""Form fields shared by features: Vietnamese dates typed as dd/mm/yyyy."""
from __future__ import annotations

from wtforms import StringField
from wtforms.validators import ValidationError

from app.domain.formatting import parse_vn_date, vn_date


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
