from __future__ import annotations

from flask import jsonify
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import accounts
from ..auth import SIGNED_IN, acting_user, allow
from ..db import db
from ..models import Role, Team
from . import api, render
from .io import field, json_body, paged


@api.get("/teams")
@allow(SIGNED_IN)
def list_teams() -> Response:
    return paged(db.session, select(Team).order_by(Team.name), render.team)


@api.post("/teams")
@allow(Role.ADMIN)
def create_team() -> tuple[Response, int]:
    body = json_body()
    team = accounts.create_team(db.session, acting_user(), field(body, "name", str))
    db.session.commit()
    return jsonify(render.team(team)), 201
