"""Numbers as Vietnamese write them: '.' groups thousands, ',' marks decimals (3.238; 1.234,5; 59,38).

One parser for every numeric input of the portal (forms, review sheets, targets, imports) and its
inverse for showing a value back. The rules, decided once:

- '3.238', '3238', '3 238' -> 3238 (dots or spaces group thousands, as in the seeds' reports);
- '1.234,5' and '59,38' -> decimals with a comma;
- a lone dot that cannot be grouping ('1.5', '0.125', '12.50', '2.25') is read as a decimal point,
  as typed on an English keypad or copied from an English spreadsheet; a dot followed by exactly
  three digits after a non-zero lead ('2.999', '1.500') is grouping, the Vietnamese reading;
- English grouping ('1,234.5', '1,234,567') and anything else ('mười', '1.2.3', '5e3', '12ab')
  is refused with a Vietnamese message, never guessed;
- integer fields refuse a decimal part ('2,5'); a blank input is None (the caller decides if it is
  required); '-' is accepted only where the caller allows negatives.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")          # 3.238 / 1.234.567
_PLAIN = re.compile(r"\d+")
_VN_DECIMAL = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+),\d+")  # 1.234,5 / 59,38
_DOT_DECIMAL = re.compile(r"\d+\.\d+")                       # 1.5 (when not grouping)
_EXAMPLE = "ví dụ 3.238 hoặc 59,38"


class NumberError(ValueError):
    """Input that is not a number; `message` is shown next to the field, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _digits(raw: str) -> str | None:
    """The text without sign as a plain Decimal literal ('1234.5'), or None when not a number."""
    if _PLAIN.fullmatch(raw):
        return raw
    if _GROUPED.fullmatch(raw):
        return raw.replace(".", "")
    if _VN_DECIMAL.fullmatch(raw):
        return raw.replace(".", "").replace(",", ".")
    if _DOT_DECIMAL.fullmatch(raw):  # one dot, not three digits after a grouping lead
        return raw
    return None


def parse_vn_decimal(text: str | int | float | Decimal | None, label: str = "Giá trị", *,
                     allow_negative: bool = False, max_decimals: int | None = None) -> Decimal | None:
    """'1.234,5' -> Decimal('1234.5'); blank -> None; see the module rules. Raises NumberError."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise NumberError(f"{label} phải là số ({_EXAMPLE}).")
    if isinstance(text, (int, float, Decimal)):  # a spreadsheet cell holding a number
        value = Decimal(str(text))
        if not value.is_finite():
            raise NumberError(f"{label} phải là số ({_EXAMPLE}).")
    else:
        raw = _SPACES.sub("", str(text))
        if not raw:
            return None
        sign = ""
        if raw[0] in "+-\u2212":
            sign, raw = ("-" if raw[0] != "+" else ""), raw[1:]
        literal = _digits(raw)
        if literal is None:
            if re.fullmatch(r"\d{1,3}(,\d{3}){2,}|\d{1,3}(,\d{3})+\.\d+", raw):
                raise NumberError(f"{label}: dùng dấu chấm để phân cách hàng nghìn và dấu phẩy "
                                  f"cho phần thập phân ({_EXAMPLE}).")
            raise NumberError(f"{label} phải là số ({_EXAMPLE}).")
        try:
            value = Decimal(sign + literal)
        except InvalidOperation:  # pragma: no cover - the patterns only let digits through
            raise NumberError(f"{label} phải là số ({_EXAMPLE}).") from None
    if value < 0 and not allow_negative:
        raise NumberError(f"{label} không được âm.")
    if max_decimals is not None and value.as_tuple().exponent < -max_decimals \
            and value != value.quantize(Decimal(1).scaleb(-max_decimals)):
        raise NumberError(f"{label} có tối đa {max_decimals} chữ số thập phân.")
    return value


def parse_vn_integer(text: str | int | float | Decimal | None, label: str = "Giá trị", *,
                     allow_negative: bool = False) -> int | None:
    """'3.238' -> 3238; '2,5' -> NumberError (a count has no decimals); blank -> None."""
    try:
        value = parse_vn_decimal(text, label, allow_negative=allow_negative)
    except NumberError as e:
        raise NumberError(e.message.replace(f"phải là số ({_EXAMPLE})", "phải là số nguyên (ví dụ 3.238)")) from None
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NumberError(f"{label} phải là số nguyên (ví dụ 3.238).")
    return int(value)


def format_vn_number(value: int | float | Decimal | None, *, grouping: bool = True) -> str:
    """The inverse of the parser, without losing digits: 3238 -> '3.238', Decimal('1234.50') ->
    '1.234,5', 2025 with grouping=False -> '2025' (years, days of a month). None -> ''."""
    if value is None:
        return ""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    else:
        d = d.normalize()
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")
