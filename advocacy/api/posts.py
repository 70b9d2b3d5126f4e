from __future__ import annotations

from flask import Response, jsonify, request
from sqlalchemy.orm import selectinload

from ..auth import acting_user, allow
from ..curation.manual import create_manual_post
from ..curation.queue import parse_status, queue_query
from ..db import db
from ..errors import ValidationError
from ..feeds.errors import FeedError
from ..feeds.manage import clean_url
from ..feeds.pagemeta import fetch_page_meta
from ..jobs import fetch_policy
from ..models import Post, Role, utcnow
from . import api, render
from .io import field, json_body, paged


@api.get("/posts")
@allow(Role.MANAGER)
def list_posts() -> Response:
    query = queue_query(parse_status(request.args.get("status"))).options(selectinload(Post.teams))
    return paged(db.session, query, render.post)


@api.post("/posts")
@allow(Role.MANAGER)
def create_post() -> tuple[Response, int]:
    """A manual post; without a title, the page's own title, description and image are used."""
    body = json_body()
    url = field(body, "url", str)
    title = field(body, "title", str, required=False)
    summary = field(body, "summary", str, required=False)
    image_url = field(body, "image_url", str, required=False)
    if title is None:
        try:
            meta = fetch_page_meta(clean_url(url), fetch_policy())
        except FeedError as exc:
            raise ValidationError(f"Could not read the page: {exc.message}") from exc
        title, summary, image_url = (
            meta.title,
            summary or meta.description,
            image_url or meta.image_url,
        )
    post = create_manual_post(
        db.session,
        acting_user(),
        url=url,
        title=title,
        summary=summary,
        image_url=image_url,
        now=utcnow(),
    )
    db.session.commit()
    return jsonify(render.post(post)), 201
