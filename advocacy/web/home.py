from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..auth import SIGNED_IN, allow

bp = Blueprint("home", __name__)


@bp.get("/")
@allow(SIGNED_IN)
def index() -> str:
    return render_template("home.html", user=current_user)
