from flask import Blueprint
from flask_login import current_user, login_required

from app.home.services import home_for
from app.web import page

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    return page("home/index.html", **home_for(current_user))
