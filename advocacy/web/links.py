"""``/s/<code>``: the short-link redirect, the hot path of the whole service."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, redirect, request
from redis.exceptions import RedisError
from werkzeug.wrappers import Response

from ..auth import ANYONE, allow
from ..db import db
from ..models import utcnow
from ..tracking.redirect import GONE, Click, Redirector, millis, spool, target_from_database
from ..tracking.visitor import DailySalt, visitor_hash

bp = Blueprint("links", __name__)
CODE = re.compile(r"^[A-Za-z0-9]{7,16}$")


@bp.route("/s/<code>", methods=["GET"])
@allow(ANYONE)
def follow(code: str) -> Response:
    if not CODE.match(code):
        abort(404)
    redirector: Redirector = current_app.extensions["redirector"]
    salt: DailySalt = current_app.extensions["visitor_salt"]
    counted = request.method == "GET"  # HEAD answers the same and is never counted
    now = utcnow()
    try:
        click = _click(code, salt.get(redirector.redis, now), now) if counted else None
        target = redirector.follow_cached(code, click)
        if target is None:  # not cached: the database knows, then the cache does
            target = target_from_database(db.session, code)
            if target is not None:
                redirector.cache(code, target)
                if click and target != GONE:
                    redirector.record(click)
    except RedisError:
        current_app.logger.warning("Redis unreachable: redirect from the database, click spooled")
        target = target_from_database(db.session, code)
        if counted and target not in (None, GONE):
            spool(db.session, _click(code, salt.without_redis(now), now))
    if target is None:
        abort(404)
    if target == GONE:
        abort(410)
    response = redirect(target, code=302)  # explicit: Flask 3.2 changes the default
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def _click(code: str, salt: bytes, now: datetime) -> Click:
    user_agent = request.headers.get("User-Agent", "")[:512]
    referrer = request.headers.get("Referer", "")
    return Click(
        code=code,
        at_ms=millis(now),
        visitor=visitor_hash(salt, request.remote_addr or "", user_agent),
        user_agent=user_agent,
        referrer_host=(urlsplit(referrer).hostname or "")[:255] if referrer else "",
    )


def init_app(app: Flask) -> None:
    """One redirector (its Lua script registered once) and one daily salt per process."""
    app.extensions["redirector"] = Redirector(app.extensions["redis"])
    app.extensions["visitor_salt"] = DailySalt(app.config["SECRET_KEY"])
