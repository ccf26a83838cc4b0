"""The "Ủy quyền" page: a head or a leader lends their approval rights for a date range;
everyone sees the delegations they gave or received; the administrator sees the agency's."""
from flask import Blueprint, abort, flash
from flask_login import current_user, login_required

from app import access
from app.clock import today
from app.delegations import forms, services
from app.domain.delegation import STATUS_LABELS
from app.web import Pager, go, page, page_number

bp = Blueprint("delegations", __name__, url_prefix="/delegations")
PER_PAGE = 20


def _form() -> forms.DelegationForm:
    form = forms.DelegationForm()
    form.delegate_id.choices = [(0, "— Chọn —")] + [
        (u.id, f"{u.full_name}{' – ' + u.title if u.title else ''}") for u in services.eligible_delegates(current_user)]
    form.plan_id.choices = [(0, "Mọi kế hoạch")] + [
        (p.id, f"{p.number} – {p.title[:80]}") for p in services.plan_choices(current_user)]
    return form


def _render(form, status=200):
    number = page_number()
    rows, total = services.list_delegations(current_user, (number - 1) * PER_PAGE, PER_PAGE)
    pager = Pager(number, PER_PAGE, total)
    return page("delegations/index.html", block="rows", status=status, form=form, rows=rows, pager=pager,
                can_create=access.can_delegate(current_user), status_of=services.status,
                status_labels=STATUS_LABELS, can_revoke=access.can_revoke_delegation,
                is_admin=access.is_admin(current_user))


@bp.get("/")
@login_required
def index():
    form = _form() if access.can_delegate(current_user) else None
    if form is not None and not form.starts_on.data:
        form.starts_on.data = today()
    return _render(form)


@bp.post("/")
@login_required
def create():
    if not access.can_delegate(current_user):
        abort(403)
    form = _form()
    if not form.validate():
        return _render(form, 400)
    try:
        d = services.create(current_user, {
            "delegate_id": form.delegate_id.data or None, "starts_on": form.starts_on.data,
            "ends_on": form.ends_on.data, "plan_id": form.plan_id.data or None, "reason": form.reason.data})
    except services.DelegationError as e:
        for name, message in e.errors.items():
            getattr(form, name).errors = list(getattr(form, name).errors) + [message]
        return _render(form, 400)
    flash(f"Đã ủy quyền cho {d.delegate.full_name}.", "success")
    return go("delegations.index")


@bp.post("/<int:delegation_id>/revoke")
@login_required
def revoke(delegation_id: int):
    d = services.get_delegation(current_user, delegation_id)
    services.revoke(current_user, d)
    flash(f"Đã thu hồi ủy quyền cho {d.delegate.full_name}.", "success")
    return go("delegations.index")
