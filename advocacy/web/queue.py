"""The managers' queue: posts by status, newest first; approve, reject, one by one or in bulk."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth import acting_user, allow
from ..curation import states
from ..curation.queue import get_post, parse_status, queue_query
from ..db import db
from ..errors import DomainError, ValidationError
from ..models import Feed, Post, Role, utcnow
from ..models.content import POST_STATUSES
from .forms import EmptyForm, RejectForm

bp = Blueprint("queue", __name__, url_prefix="/queue")
PAGE_SIZE = 50
MAX_BULK = 200


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
        button_form=EmptyForm(formdata=None),
        reject_form=RejectForm(formdata=None),
    ), 200


def _back() -> Response:
    """Back to the queue view the manager was on (only ever a local path)."""
    return redirect(url_for("queue.index", **{k: v for k, v in request.args.items() if v}))


@bp.post("/<int:post_id>/approve")
@allow(Role.MANAGER)
def approve(post_id: int) -> Response:
    post = states.approve(db.session, acting_user(), get_post(db.session, post_id), utcnow())
    db.session.commit()
    flash(_("Approved: %(title)s", title=post.title), "info")
    return _back()


@bp.post("/<int:post_id>/reject")
@allow(Role.MANAGER)
def reject(post_id: int) -> Response:
    form = RejectForm()
    if not form.validate():
        flash(_("Say why the post is rejected."), "error")
        return _back()
    post = states.reject(
        db.session, acting_user(), get_post(db.session, post_id), form.reason.data, utcnow()
    )
    db.session.commit()
    flash(_("Rejected: %(title)s", title=post.title), "info")
    return _back()


@bp.post("/bulk")
@allow(Role.MANAGER)
def bulk() -> Response:
    """Approve or reject the ticked posts; all or nothing, so a refusal changes no post."""
    ids = request.form.getlist("post_ids", type=int)[:MAX_BULK]
    action = request.form.get("action")
    if not ids or action not in ("approve", "reject"):
        flash(_("Tick at least one post, then approve or reject."), "error")
        return _back()
    actor, now = acting_user(), utcnow()
    try:
        for post_id in ids:
            post = get_post(db.session, post_id)
            if action == "approve":
                states.approve(db.session, actor, post, now)
            else:
                states.reject(db.session, actor, post, request.form.get("reason", ""), now)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back()
    db.session.commit()
    message = (
        ngettext("%(num)d post approved.", "%(num)d posts approved.", len(ids))
        if action == "approve"
        else ngettext("%(num)d post rejected.", "%(num)d posts rejected.", len(ids))
    )
    flash(message, "info")
    return _back()
