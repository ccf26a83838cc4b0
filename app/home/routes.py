from flask import Blueprint
from flask_login import login_required

from app.web import page

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    return page("home/index.html")
