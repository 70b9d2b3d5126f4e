"""The managers' queue: posts by status, newest first, filtered by feed or text."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth import allow
from ..curation.queue import parse_status, queue_query
from ..db import db
from ..errors import ValidationError
from ..models import Feed, Post, Role
from ..models.content import POST_STATUSES

bp = Blueprint("queue", __name__, url_prefix="/queue")
PAGE_SIZE = 50


@bp.get("/")
@allow(Role.MANAGER)
def index() -> tuple[str, int]:
    status = parse_status(request.args.get("status"))
    feed_id = request.args.get("feed", type=int)
    text = (request.args.get("q") or "").strip()[:200]
    page = request.args.get("page", 1, type=int)
    if page < 1:
        raise ValidationError("The page number starts at 1.")
    query = queue_query(status, feed_id=feed_id, text=text or None)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    posts = db.session.scalars(
        query.options(selectinload(Post.teams)).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    feeds = db.session.scalars(select(Feed).order_by(Feed.title)).all()
    return render_template(
        "queue/index.html",
        posts=posts,
        status=status,
        statuses=POST_STATUSES,
        feeds=feeds,
        feed_id=feed_id,
        text=text,
        page=page,
        total=total,
        page_size=PAGE_SIZE,
    ), 200
