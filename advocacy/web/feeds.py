"""Managers' feed pages: the list with health at a glance, add, edit, refresh, OPML."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import accounts
from ..auth import acting_user, allow
from ..db import db
from ..errors import DomainError
from ..feeds import manage, opml
from ..feeds.refresh import health_of
from ..jobs import fetch_policy, refresh_feed_locked
from ..models import Feed, Role, utcnow
from .downloads import attachment
from .forms import EmptyForm, FeedAddForm, FeedEditForm, OpmlForm, choices

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
REFRESH_WAIT_SECONDS = 30


def _team_choices() -> list:  # type: ignore[type-arg]
    return choices((t.id, t.name) for t in accounts.list_teams(db.session))


def _list_page(add_form: FeedAddForm | None = None, status: int = 200) -> tuple[str, int]:
    add_form = add_form or FeedAddForm(formdata=None)
    add_form.team_ids.choices = _team_choices()
    feeds = db.session.scalars(
        select(Feed).options(selectinload(Feed.teams)).order_by(Feed.title, Feed.id)
    ).all()
    page = render_template(
        "feeds/list.html",
        feeds=feeds,
        health=health_of,
        recent=manage.recent_post_counts(db.session, utcnow()),
        add_form=add_form,
        opml_form=OpmlForm(formdata=None),
        button_form=EmptyForm(formdata=None),
    )
    return page, status


@bp.get("/")
@allow(Role.MANAGER)
def index() -> tuple[str, int]:
    return _list_page()


@bp.post("/")
@allow(Role.MANAGER)
def add() -> Response | tuple[str, int]:
    form = FeedAddForm()
    form.team_ids.choices = _team_choices()
    if form.validate():
        try:
            feed = manage.add_feed(
                db.session,
                acting_user(),
                form.url.data or "",
                fetch_policy(),
                title=form.title.data or None,
                team_ids=form.team_ids.data,
            )
        except DomainError as exc:
            db.session.rollback()
            form.url.errors = [exc.message]
        else:
            db.session.commit()
            flash(_("Now following %(title)s.", title=feed.title or feed.url), "info")
            return redirect(url_for("feeds.detail", feed_id=feed.id))
    return _list_page(form, 400)


def _detail_page(
    feed: Feed, form: FeedEditForm | None = None, status: int = 200
) -> tuple[str, int]:
    if form is None:
        form = FeedEditForm(
            formdata=None,
            obj=feed,
            interval_minutes=feed.interval_seconds // 60,
            team_ids=[t.id for t in feed.teams],
        )
    form.team_ids.choices = _team_choices()
    page = render_template(
        "feeds/detail.html",
        feed=feed,
        form=form,
        health=health_of(feed),
        button_form=EmptyForm(formdata=None),
    )
    return page, status


@bp.get("/<int:feed_id>")
@allow(Role.MANAGER)
def detail(feed_id: int) -> tuple[str, int]:
    return _detail_page(manage.get_feed(db.session, feed_id))


@bp.post("/<int:feed_id>")
@allow(Role.MANAGER)
def update(feed_id: int) -> Response | tuple[str, int]:
    feed = manage.get_feed(db.session, feed_id)
    form = FeedEditForm()
    form.team_ids.choices = _team_choices()
    if not form.validate():
        return _detail_page(feed, form, 400)
    manage.update_feed(
        db.session,
        acting_user(),
        feed,
        title=form.title.data or "",
        enabled=form.enabled.data,
        interval_minutes=form.interval_minutes.data,
        team_ids=form.team_ids.data,
    )
    db.session.commit()
    flash(_("Saved."), "info")
    return redirect(url_for("feeds.detail", feed_id=feed.id))


@bp.post("/<int:feed_id>/delete")
@allow(Role.MANAGER)
def delete(feed_id: int) -> Response:
    feed = manage.get_feed(db.session, feed_id)
    manage.delete_feed(db.session, acting_user(), feed)
    db.session.commit()
    flash(_("The feed is deleted; its posts stay in the queue."), "info")
    return redirect(url_for("feeds.index"))


@bp.post("/<int:feed_id>/refresh")
@allow(Role.MANAGER)
def refresh(feed_id: int) -> Response:
    """Without JavaScript: refresh in the request and say how it went."""
    feed = manage.get_feed(db.session, feed_id)
    outcome = refresh_feed_locked(feed.id, wait=REFRESH_WAIT_SECONDS)
    if outcome is None:
        flash(_("Another refresh of this feed is still running."), "error")
    elif outcome.status == "ok":
        flash(
            _(
                "Refreshed: %(new)d new, %(updated)d updated.",
                new=outcome.new,
                updated=outcome.updated,
            ),
            "info",
        )
    else:
        flash(_("The refresh failed: %(error)s", error=outcome.error), "error")
    return redirect(url_for("feeds.detail", feed_id=feed_id))


@bp.post("/opml")
@allow(Role.MANAGER)
def import_opml() -> Response | tuple[str, int]:
    form = OpmlForm()
    if not form.validate() or not form.file.data:
        flash(_("Choose an OPML file to import."), "error")
        return _list_page(status=400)
    try:
        report = opml.import_opml(db.session, acting_user(), form.file.data.read(), utcnow())
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _list_page(status=400)
    db.session.commit()
    flash(
        _(
            "Imported %(added)d feeds; %(dups)d already followed; %(bad)d not valid.",
            added=len(report.added),
            dups=len(report.duplicates),
            bad=len(report.errors),
        ),
        "info",
    )
    for url, message in report.errors[:20]:
        flash(f"{url}: {message}", "error")
    return redirect(url_for("feeds.index"))


@bp.get("/opml")
@allow(Role.MANAGER)
def export_opml() -> Response:
    feeds = db.session.scalars(select(Feed).order_by(Feed.title, Feed.id))
    return attachment(opml.export_opml(feeds), "text/x-opml", "feeds.opml")
