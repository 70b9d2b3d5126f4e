from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from .. import health
from ..auth import ANYONE, allow
from ..db import db
from ..redis_client import get_redis

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@allow(ANYONE)
def healthz() -> tuple[Response, int]:
    report = health.check(db.session, get_redis())
    return jsonify(report), 200 if report["status"] == "ok" else 503
