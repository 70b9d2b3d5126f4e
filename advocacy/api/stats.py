from __future__ import annotations

from flask import Response, current_app, request

from ..auth import SIGNED_IN, acting_user, allow
from ..db import db
from ..metrics import report
from ..metrics.period import period_from
from ..models import Role
from . import api
from .io import paged_list


def _stats(table: str, **options: object) -> Response:
    period = period_from(request.args.get("from"), request.args.get("to"))
    settings = current_app.config["SETTINGS"]
    items = report.rows(db.session, table, period, settings, **options)
    return paged_list(
        items,
        **{
            "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None,
        },
    )


@api.get("/stats/teams")
@allow(Role.LEADER, Role.MANAGER)
def stats_teams() -> Response:
    return _stats("teams")


@api.get("/stats/people")
@allow(SIGNED_IN)
def stats_people() -> Response:
    """Leaders and managers read everyone's row; anyone else only their own."""
    user = acting_user()
    team_id = request.args.get("team_id", type=int)
    if user.has_role(Role.LEADER, Role.MANAGER):
        return _stats("people", team_id=team_id)
    return _stats("people", only_user_id=user.id)


@api.get("/stats/posts")
@allow(Role.LEADER, Role.MANAGER)
def stats_posts() -> Response:
    return _stats("posts")


@api.get("/stats/networks")
@allow(Role.LEADER, Role.MANAGER)
def stats_networks() -> Response:
    return _stats("networks")
