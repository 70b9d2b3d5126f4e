"""The employee feed: what the signed-in user may share now."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.orm import selectinload

from ..auth import SIGNED_IN, acting_user, allow
from ..curation.visibility import visible_posts_for
from ..db import db
from ..models import Post, utcnow

bp = Blueprint("feed", __name__, url_prefix="/feed")
FEED_SIZE = 100


@bp.get("/")
@allow(SIGNED_IN)
def index() -> str:
    query = visible_posts_for(acting_user(), utcnow()).options(selectinload(Post.teams))
    posts = db.session.scalars(query.limit(FEED_SIZE)).all()
    return render_template("feed/index.html", posts=posts)
