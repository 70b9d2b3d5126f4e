"""The operator's view of click counting: is it keeping up?"""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..auth import allow
from ..db import db
from ..models import Click, ClickRollup, Role
from ..redis_client import get_redis
from ..tracking.lag import counting_lag

bp = Blueprint("admin_clicks", __name__, url_prefix="/admin/clicks")


@bp.get("/")
@allow(Role.ADMIN)
def index() -> str:
    rolled = db.session.execute(
        select(
            func.coalesce(func.sum(ClickRollup.clicks), 0),
            func.coalesce(func.sum(ClickRollup.unique_clicks), 0),
            func.coalesce(func.sum(ClickRollup.bot_clicks), 0),
        )
    ).one()
    reasons = db.session.execute(
        select(Click.reason, func.count()).where(Click.human.is_(False)).group_by(Click.reason)
    ).all()
    return render_template(
        "admin/clicks.html",
        lag=counting_lag(db.session, get_redis()),
        raw=db.session.scalar(select(func.count()).select_from(Click)),
        rolled=rolled,
        reasons=sorted(reasons, key=lambda r: -r[1]),
    )
