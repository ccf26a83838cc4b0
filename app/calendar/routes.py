from datetime import date

from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required

from app import access
from app.calendar import forms, services
from app.clock import today
from app.domain.formatting import parse_vn_date, vn_date
from app.web import go, page

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

MONTHS = ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Tháng 7",
          "Tháng 8", "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12"]


def _month() -> tuple[int, int]:
    raw = request.values.get("month", "")
    try:
        y, m = (int(x) for x in raw.split("-"))
        date(y, m, 1)
        return y, m
    except ValueError:
        t = today()
        return t.year, t.month


def _render(form, status=200):
    year, month = _month()
    weeks, overrides = services.month_view(current_user, year, month, today())
    prev = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    nxt = f"{year + (month == 12)}-{month % 12 + 1:02d}"
    return page("calendar/index.html", block="grid", status=status, form=form, weeks=weeks,
                overrides=overrides, year=year, month=month, month_name=MONTHS[month - 1],
                prev=prev, nxt=nxt, can_manage=access.can_manage_calendar(current_user),
                can_report_days=access.can_edit_report_days(current_user))


@bp.get("/")
@login_required
def index():
    form = forms.DayForm()
    if request.args.get("day"):
        form.day.data = request.args["day"]
    return _render(form)


@bp.post("/days")
@login_required
def add_day():
    if not access.can_manage_calendar(current_user):
        abort(403)
    form = forms.DayForm()
    if not form.validate():
        return _render(form, 400)
    day = parse_vn_date(form.day.data)
    services.set_day(current_user, day, form.kind.data, form.note.data or "")
    flash(f"Đã lưu ngày {vn_date(day)}.", "success")
    return go("calendar.index", month=f"{day.year}-{day.month:02d}")


@bp.post("/days/<day>/delete")
@login_required
def remove_day(day: str):
    try:
        d = date.fromisoformat(day)
    except ValueError:
        abort(404)
    services.remove_day(current_user, d)
    flash(f"Đã bỏ điều chỉnh ngày {vn_date(d)}.", "success")
    return go("calendar.index", month=f"{d.year}-{d.month:02d}")


def _report_form_from(rules):
    return forms.ReportDaysForm(data={
        "monthly_day": rules["monthly"]["day"],
        "quarterly_month": rules["quarterly"]["month_of_quarter"],
        "quarterly_day": rules["quarterly"]["day"],
        "yearly_month": rules["yearly"]["month"], "yearly_day": rules["yearly"]["day"]})


@bp.route("/report-days", methods=["GET", "POST"])
@login_required
def report_days():
    if not access.can_edit_report_days(current_user):
        abort(403)
    if request.method == "GET":
        return page("calendar/report_days.html", form=_report_form_from(services.report_days()))
    form = forms.ReportDaysForm()
    if not form.validate():
        return page("calendar/report_days.html", form=form, status=400)
    services.save_report_days(current_user, {
        "monthly": {"day": form.monthly_day.data},
        "quarterly": {"month_of_quarter": form.quarterly_month.data, "day": form.quarterly_day.data},
        "yearly": {"month": form.yearly_month.data, "day": form.yearly_day.data}})
    flash("Đã lưu ngày báo cáo định kỳ.", "success")
    return go("calendar.report_days")
