from __future__ import annotations

from flask import Response, jsonify, request
from sqlalchemy import select

from ..auth import acting_user, allow
from ..db import db
from ..feeds import manage, opml
from ..jobs import fetch_policy, queue, refresh_feed_job, refresh_feed_locked
from ..models import Feed, Role, utcnow
from ..redis_client import get_redis
from ..web.downloads import attachment
from . import api, render
from .io import field, int_list, json_body, paged

WAIT_FOR_BUSY_FEED_SECONDS = 60


def _team_ids(body: dict[str, object]) -> list[int] | None:
    value = body.get("team_ids")
    return None if value is None else int_list(value, "team_ids")


@api.get("/feeds")
@allow(Role.MANAGER)
def list_feeds() -> Response:
    return paged(db.session, select(Feed).order_by(Feed.title, Feed.id), render.feed)


@api.post("/feeds")
@allow(Role.MANAGER)
def add_feed() -> tuple[Response, int]:
    body = json_body()
    feed = manage.add_feed(
        db.session,
        acting_user(),
        field(body, "url", str),
        fetch_policy(),
        title=field(body, "title", str, required=False),
        team_ids=_team_ids(body),
    )
    db.session.commit()
    return jsonify(render.feed(feed)), 201


@api.get("/feeds/<int:feed_id>")
@allow(Role.MANAGER)
def get_feed(feed_id: int) -> Response:
    return jsonify(render.feed(manage.get_feed(db.session, feed_id)))


@api.patch("/feeds/<int:feed_id>")
@allow(Role.MANAGER)
def update_feed(feed_id: int) -> Response:
    body = json_body()
    feed = manage.update_feed(
        db.session,
        acting_user(),
        manage.get_feed(db.session, feed_id),
        title=field(body, "title", str, required=False),
        enabled=field(body, "enabled", bool, required=False),
        interval_minutes=field(body, "interval_minutes", int, required=False),
        team_ids=_team_ids(body),
    )
    db.session.commit()
    return jsonify(render.feed(feed))


@api.delete("/feeds/<int:feed_id>")
@allow(Role.MANAGER)
def delete_feed(feed_id: int) -> tuple[str, int]:
    manage.delete_feed(db.session, acting_user(), manage.get_feed(db.session, feed_id))
    db.session.commit()
    return "", 204


@api.post("/feeds/<int:feed_id>/refresh")
@allow(Role.MANAGER)
def refresh_feed(feed_id: int) -> tuple[Response, int]:
    feed = manage.get_feed(db.session, feed_id)
    if request.args.get("wait") not in ("1", "true", "yes"):
        queue(get_redis()).enqueue(refresh_feed_job, feed.id, result_ttl=600)
        return jsonify({"status": "queued"}), 202
    outcome = refresh_feed_locked(feed.id, wait=WAIT_FOR_BUSY_FEED_SECONDS)
    if outcome is None:
        return jsonify(
            {
                "status": "error",
                "new": 0,
                "updated": 0,
                "error": "Another refresh of this feed is still running.",
            }
        ), 200
    body = {
        "status": outcome.status,
        "new": outcome.new,
        "updated": outcome.updated,
        "error": outcome.error,
    }
    return jsonify(body), 200


@api.get("/feeds/opml")
@allow(Role.MANAGER)
def export_opml() -> Response:
    feeds = db.session.scalars(select(Feed).order_by(Feed.title, Feed.id))
    return attachment(opml.export_opml(feeds), "text/x-opml", "feeds.opml")


@api.post("/feeds/opml")
@allow(Role.MANAGER)
def import_opml() -> tuple[Response, int]:
    report = opml.import_opml(db.session, acting_user(), request.get_data(), utcnow())
    db.session.commit()
    return jsonify(
        {
            "added": report.added,
            "duplicates": report.duplicates,
            "errors": [{"url": url, "error": message} for url, message in report.errors],
        }
    ), 200
