"""Vietnamese presentation of numbers, percentages and dates (3.238; 59,38 %; 05/04/2022).

Timestamps are stored as naive UTC (app.clock.now); every timestamp shown to a person or
written to a file goes through to_local/local_date/vn_datetime here, so it reads in Vietnam time."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

try:
    from zoneinfo import ZoneInfo
    LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # no tz database on the machine: Vietnam has kept UTC+7 without DST since 1975
    LOCAL_TZ = timezone(timedelta(hours=7), "ICT")


def to_local(value: datetime) -> datetime:
    """A stored timestamp (naive means UTC) in Vietnam time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(LOCAL_TZ)


def utc_of_local(day: date, hour: int, minute: int = 0) -> datetime:
    """The stored (naive UTC) timestamp of a Vietnamese wall-clock time (demo data, imports)."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def local_date(value: date | datetime | None) -> date | None:
    """The Vietnamese calendar day of a timestamp; a plain date is already a day."""
    if value is None:
        return None
    return to_local(value).date() if isinstance(value, datetime) else value


def vn_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """3238 -> '3.238'; 1234.5 with decimals=2 -> '1.234,50'. None -> ''."""
    if value is None:
        return ""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    text = f"{abs(q):,.{decimals}f}"  # 1,234.50
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return sign + text


def vn_percent(ratio: float | Decimal | None, decimals: int = 2) -> str:
    """0.59375 -> '59,38 %' (half-up rounding, as people round by hand)."""
    if ratio is None:
        return ""
    return f"{vn_number(Decimal(str(ratio)) * 100, decimals)} %"


def vn_date(value: date | datetime | None) -> str:
    """05/04/2022; a timestamp gives its day in Vietnam."""
    if value is None:
        return ""
    return local_date(value).strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    """A stored (UTC) timestamp as '18:16 20/05/2022', Vietnam time."""
    if value is None:
        return ""
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def vn_long_date(place: str, value: date) -> str:
    """'Lạng Sơn, ngày 28 tháng 4 năm 2022' (Nghị định 30/2020 place-and-date line)."""
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {day} tháng {month} năm {value.year}"


def parse_vn_date(text: str) -> date | None:
    """Parse 'dd/mm/yyyy' (also d/m/yyyy and ISO). Returns None when it is not a date."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
