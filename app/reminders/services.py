"""The daily digest: for each user the tasks due soon and overdue (in working days), as an
in-app notification always and an e-mail when SMTP is configured; the reminder_log's unique
key (user, day, kind) makes a second run on the same day send nothing."""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from app import access
from app.calendar.services import load_calendar
from app.clock import now
from app.deadlines.services import due_status
from app.domain.formatting import vn_date
from app.extensions import db
from app.models import Plan, ReminderLog, Submission, Task, TaskAssignee, User
from app.notifications.services import notify

log = logging.getLogger("portal.reminders")
KIND = "digest"
MAX_ITEMS = 50


@dataclass
class Item:
    task: Task
    days_left: int


@dataclass
class Digest:
    user: User
    overdue: list[Item] = field(default_factory=list)
    soon: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        bucket = self.overdue if item.days_left < 0 else self.soon
        if len(bucket) < MAX_ITEMS and all(i.task.id != item.task.id for i in bucket):
            bucket.append(item)


def build_digests(on: date) -> list[Digest]:
    """Bounded queries: the open tasks due by the end of the window, their assignees, users."""
    cal = load_calendar()
    window = current_app.config["DUE_SOON_DAYS"]
    cutoff = cal.add_working_days(on, window)
    tasks = list(db.session.scalars(
        select(Task).join(Task.plan).outerjoin(Task.submission)
        .options(selectinload(Task.lead_unit), selectinload(Task.plan))
        .where(Plan.state == "issued", Task.due_on.is_not(None), Task.due_on <= cutoff,
               (Submission.id.is_(None)) | (Submission.state != "accepted"))
        .order_by(Task.due_on, Task.id)))
    if not tasks:
        return []
    items = {}
    for t in tasks:
        st = due_status(t.due_on, None, on, cal, window)
        if st.overdue or st.due_soon:
            items[t.id] = Item(t, st.days_left)
    assigned: dict[int, list[int]] = {}
    for task_id, user_id in db.session.execute(
            select(TaskAssignee.task_id, TaskAssignee.user_id).where(TaskAssignee.task_id.in_(list(items)))):
        assigned.setdefault(user_id, []).append(task_id)
    users = list(db.session.scalars(select(User).where(User.active.is_(True))
                                    .options(selectinload(User.unit)).order_by(User.id)))
    digests = []
    for u in users:
        d = Digest(u)
        for item in items.values():
            t = item.task
            if access.is_unit_head(u) and t.lead_unit_id == u.unit_id:
                d.add(item)
            elif u.role == "office" and item.days_left < 0 and t.plan.agency_id == u.unit.agency_id:
                d.add(item)  # the office chases every overdue task of its agency's plans
        for task_id in assigned.get(u.id, []):
            d.add(items[task_id])
        if d.overdue or d.soon:
            d.overdue.sort(key=lambda i: i.days_left)
            d.soon.sort(key=lambda i: i.days_left)
            digests.append(d)
    return digests


def _path(endpoint: str) -> str | None:
    """A link that works from the CLI too (no request context); None before the feature exists."""
    try:
        return current_app.url_map.bind("localhost").build(endpoint)
    except BuildError:
        return None


def _summary(d: Digest, on: date) -> str:
    parts = []
    if d.overdue:
        parts.append(f"{len(d.overdue)} nhiệm vụ quá hạn")
    if d.soon:
        parts.append(f"{len(d.soon)} nhiệm vụ sắp đến hạn")
    return f"Nhắc việc ngày {vn_date(on)}: " + ", ".join(parts) + "."


def _body(d: Digest, on: date) -> str:
    base = current_app.config["PORTAL_URL"].rstrip("/")
    lines = [f"Kính gửi {d.user.full_name},", "", _summary(d, on), ""]
    if d.overdue:
        lines.append("QUÁ HẠN (tính theo ngày làm việc):")
        for i in d.overdue:
            t = i.task
            lines.append(f"- {t.content} ({t.lead_unit.name}) — hạn {vn_date(t.due_on)}, "
                         f"quá hạn {-i.days_left} ngày. {base}/tasks/{t.id}/explanations")
        if access.is_unit_head(d.user):
            lines.append("Đề nghị Trưởng đơn vị chủ trì giải trình từng nhiệm vụ quá hạn với Giám đốc Sở "
                         "(qua Văn phòng Sở) trên cổng.")
        lines.append("")
    if d.soon:
        lines.append("SẮP ĐẾN HẠN:")
        for i in d.soon:
            t = i.task
            left = "đến hạn hôm nay" if i.days_left == 0 else f"còn {i.days_left} ngày làm việc"
            lines.append(f"- {t.content} ({t.lead_unit.name}) — hạn {vn_date(t.due_on)}, {left}.")
        lines.append("")
    lines.append(f"{current_app.config['AGENCY_NAME'].title()} · Cổng kiểm soát TTHC")
    return "\n".join(lines)


def _send_mail(to: User, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = formataddr((to.full_name, to.email))
    msg.set_content(body)
    cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)


def send_reminders(on: date) -> dict[str, int]:
    stats = {"notified": 0, "emailed": 0, "skipped": 0, "failed": 0}
    mail_on = bool(current_app.config.get("MAIL_SERVER"))
    done = set(db.session.scalars(select(ReminderLog.user_id).where(
        ReminderLog.day == on, ReminderLog.kind == KIND)))
    for d in build_digests(on):
        if d.user.id in done:
            stats["skipped"] += 1
            continue
        entry = ReminderLog(user_id=d.user.id, day=on, kind=KIND, created_at=now())
        db.session.add(entry)
        summary = _summary(d, on)
        notify([d.user], "reminder", summary, _path("tracking.overdue"))
        try:
            db.session.commit()  # the log row first: a second run, even concurrent, stops here
        except IntegrityError:
            db.session.rollback()
            stats["skipped"] += 1
            continue
        stats["notified"] += 1
        if mail_on and d.user.email:
            try:
                _send_mail(d.user, f"[KSTT] {summary}", _body(d, on))
            except (OSError, smtplib.SMTPException):
                log.exception("reminder e-mail to %s failed", d.user.username)
                stats["failed"] += 1
                continue
            entry.emailed = True
            db.session.commit()
            stats["emailed"] += 1
    return stats
