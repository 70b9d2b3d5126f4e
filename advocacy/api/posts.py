from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from sqlalchemy.orm import selectinload

from ..auth import SIGNED_IN, acting_user, allow
from ..curation import edit, states
from ..curation import queue as curation_queue
from ..curation.edit import PostChanges
from ..curation.manual import create_manual_post
from ..curation.queue import parse_status, queue_query
from ..curation.visibility import visible_posts_for
from ..db import db
from ..errors import ValidationError
from ..feeds.errors import FeedError
from ..feeds.manage import clean_url
from ..feeds.pagemeta import fetch_page_meta
from ..jobs import fetch_policy
from ..models import Post, Role, utcnow
from . import api, render
from .io import field, int_list, json_body, paged
from .timestamps import parse_timestamp


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


def _changes(body: dict[str, Any]) -> PostChanges:
    changes = PostChanges()
    if "title" in body:
        changes.title = field(body, "title", str)
    if "share_text" in body:
        texts = body["share_text"]
        if not isinstance(texts, dict) or not all(
            isinstance(v, str) or v is None for v in texts.values()
        ):
            raise ValidationError("'share_text' must be an object of network to text.")
        changes.share_text = texts
    if "team_ids" in body:
        changes.team_ids = int_list(body["team_ids"], "team_ids")
    for name in ("publish_at", "expires_at"):
        if name in body:
            setattr(changes, name, parse_timestamp(body[name], name))
    if "pinned" in body:
        changes.pinned = field(body, "pinned", bool)
    unknown = set(body) - {
        "title",
        "share_text",
        "team_ids",
        "publish_at",
        "expires_at",
        "pinned",
        "reason",
    }
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    return changes


@api.get("/posts/<int:post_id>")
@allow(Role.MANAGER)
def get_post(post_id: int) -> Response:
    return jsonify(render.post(curation_queue.get_post(db.session, post_id)))


@api.patch("/posts/<int:post_id>")
@allow(Role.MANAGER)
def update_post(post_id: int) -> Response:
    post = edit.update_post(
        db.session,
        acting_user(),
        curation_queue.get_post(db.session, post_id),
        _changes(json_body()),
        utcnow(),
    )
    db.session.commit()
    return jsonify(render.post(post))


@api.post("/posts/<int:post_id>/approve")
@allow(Role.MANAGER)
def approve_post(post_id: int) -> Response:
    body = request.get_json(silent=True) or {}
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object.")
    post, now = curation_queue.get_post(db.session, post_id), utcnow()
    changes = _changes(body)
    if not changes.is_empty():
        edit.update_post(db.session, acting_user(), post, changes, now)
    states.approve(db.session, acting_user(), post, now)
    db.session.commit()
    return jsonify(render.post(post))


@api.post("/posts/<int:post_id>/reject")
@allow(Role.MANAGER)
def reject_post(post_id: int) -> Response:
    reason = field(json_body(), "reason", str)
    post = states.reject(
        db.session, acting_user(), curation_queue.get_post(db.session, post_id), reason, utcnow()
    )
    db.session.commit()
    return jsonify(render.post(post))


@api.post("/posts/<int:post_id>/archive")
@allow(Role.MANAGER)
def archive_post(post_id: int) -> Response:
    post = states.archive(
        db.session, acting_user(), curation_queue.get_post(db.session, post_id), utcnow()
    )
    db.session.commit()
    return jsonify(render.post(post))


@api.delete("/posts/<int:post_id>")
@allow(Role.MANAGER)
def delete_post(post_id: int) -> tuple[str, int]:
    states.delete(db.session, acting_user(), curation_queue.get_post(db.session, post_id), utcnow())
    db.session.commit()
    return "", 204


@api.get("/feed")
@allow(SIGNED_IN)
def employee_feed() -> Response:
    query = visible_posts_for(acting_user(), utcnow()).options(selectinload(Post.teams))
    return paged(db.session, query, render.post)
