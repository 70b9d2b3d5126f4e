from __future__ import annotations

from flask import jsonify
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from .. import accounts
from ..auth import acting_user, allow
from ..db import db
from ..models import Membership, Role, User
from . import api, render
from .io import field, json_body, paged


@api.get("/users")
@allow(Role.ADMIN)
def list_users() -> Response:
    query = (
        select(User)
        .options(selectinload(User.memberships).selectinload(Membership.team))
        .order_by(User.id)
    )
    return paged(db.session, query, render.user)


@api.post("/users")
@allow(Role.ADMIN)
def create_user() -> tuple[Response, int]:
    body = json_body()
    team_id = field(body, "team_id", int, required=False)
    user = accounts.create_user(
        db.session,
        acting_user(),
        email=field(body, "email", str),
        name=field(body, "name", str),
        role=field(body, "role", str),
        team=accounts.team_for_input(db.session, team_id),
        password=field(body, "password", str, required=False),
    )
    db.session.commit()
    return jsonify(render.user(user)), 201
