from flask import Blueprint, abort, current_app, redirect
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.notifications import services
from app.web import Pager, go, page, page_number, safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    rows, total = services.recent(current_user, (p - 1) * per, per)
    return page("notifications/index.html", block="rows", items=rows,
                pager=Pager(p, per, total))


@bp.get("/bell")
@login_required
def bell():
    return page("notifications/bell.html", count=services.unread_count(current_user))


@bp.post("/<int:nid>/open")
@login_required
def open_one(nid: int):
    n = db.session.scalar(select(Notification).where(Notification.id == nid,
                                                     Notification.user_id == current_user.id))
    if n is None:
        abort(404)
    services.mark_read(current_user, nid)
    return redirect(safe_next(n.url, "/notifications/"))


@bp.post("/read-all")
@login_required
def read_all():
    services.mark_read(current_user)
    return go("notifications.index")
