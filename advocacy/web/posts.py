"""Adding a post by hand: paste a link, check what the page says about itself, save."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import accounts, audit
from ..auth import acting_user, allow
from ..curation import edit, share_text, states
from ..curation.edit import PostChanges
from ..curation.manual import create_manual_post
from ..curation.queue import get_post
from ..db import db
from ..errors import DomainError
from ..feeds.errors import FeedError
from ..feeds.manage import clean_url
from ..feeds.pagemeta import fetch_page_meta
from ..jobs import fetch_policy
from ..models import Post, Role, utcnow
from ..tracking.redirect import GONE, codes_of_post
from .forms import EmptyForm, ManualPostForm, PageUrlForm, PostEditForm, RejectForm, choices

bp = Blueprint("posts", __name__, url_prefix="/posts")


@bp.get("/new")
@allow(Role.MANAGER)
def new() -> str:
    return render_template("posts/new.html", url_form=PageUrlForm(formdata=None), form=None)


@bp.post("/new/preview")
@allow(Role.MANAGER)
def preview() -> str | tuple[str, int]:
    """Fetch the page and fill the form from its Open Graph and Twitter Card tags."""
    url_form = PageUrlForm()
    if url_form.validate():
        try:
            meta = fetch_page_meta(clean_url(url_form.url.data or ""), fetch_policy())
        except (DomainError, FeedError) as exc:
            url_form.url.errors = [exc.message]
        else:
            form = ManualPostForm(
                formdata=None,
                url=meta.url,
                title=meta.title,
                summary=meta.description,
                image_url=meta.image_url or "",
            )
            return render_template("posts/new.html", url_form=url_form, form=form)
    return render_template("posts/new.html", url_form=url_form, form=None), 400


@bp.post("/new")
@allow(Role.MANAGER)
def create() -> Response | tuple[str, int]:
    form = ManualPostForm()
    if form.validate():
        try:
            post = create_manual_post(
                db.session,
                acting_user(),
                url=form.url.data or "",
                title=form.title.data or "",
                summary=form.summary.data,
                image_url=form.image_url.data or None,
                now=utcnow(),
            )
        except DomainError as exc:
            db.session.rollback()
            form.url.errors = [exc.message]
        else:
            db.session.commit()
            flash(_("“%(title)s” is in the queue, pending review.", title=post.title), "info")
            return redirect(url_for("queue.index"))
    return render_template("posts/new.html", url_form=PageUrlForm(formdata=None), form=form), 400


def _edit_page(post: Post, form: PostEditForm | None = None, status: int = 200) -> tuple[str, int]:
    if form is None:
        form = PostEditForm(
            formdata=None,
            title=post.title,
            linkedin=post.share_text_linkedin or "",
            x=post.share_text_x or "",
            facebook=post.share_text_facebook or "",
            email_subject=post.email_subject or "",
            email_body=post.email_body or "",
            team_ids=[t.id for t in post.teams],
            pinned=post.pinned,
            publish_at=_naive(post.publish_at),
            expires_at=_naive(post.expires_at),
        )
    form.team_ids.choices = choices((t.id, t.name) for t in accounts.list_teams(db.session))
    now = utcnow()
    page = render_template(
        "posts/edit.html",
        post=post,
        form=form,
        limits=share_text.LIMITS,
        history=audit.history(db.session, "post", post.id),
        reused=edit.caption_reused_on(db.session, post, now),
        live=states.is_live(post, now),
        button_form=EmptyForm(formdata=None),
        reject_form=RejectForm(formdata=None),
        editable=post.status in edit.EDITABLE_STATES,
    )
    return page, status


def _naive(value: datetime | None) -> datetime | None:
    """datetime-local inputs carry no zone: the page shows and reads UTC."""
    return value.astimezone(UTC).replace(tzinfo=None) if value else None


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value else None


@bp.get("/<int:post_id>")
@allow(Role.MANAGER)
def edit_page(post_id: int) -> tuple[str, int]:
    return _edit_page(get_post(db.session, post_id))


@bp.post("/<int:post_id>")
@allow(Role.MANAGER)
def save(post_id: int) -> Response | tuple[str, int]:
    post = get_post(db.session, post_id)
    form = PostEditForm()
    form.team_ids.choices = choices((t.id, t.name) for t in accounts.list_teams(db.session))
    if not form.validate():
        return _edit_page(post, form, 400)
    changes = PostChanges(
        title=form.title.data,
        share_text={n: getattr(form, n).data or None for n in share_text.NETWORK_FIELDS},
        team_ids=form.team_ids.data or [],
        publish_at=_aware(form.publish_at.data),
        expires_at=_aware(form.expires_at.data),
        pinned=form.pinned.data,
    )
    actor, now = acting_user(), utcnow()
    try:
        edit.update_post(db.session, actor, post, changes, now)
        if request.form.get("then") == "approve":
            states.approve(db.session, actor, post, now)
    except DomainError as exc:
        db.session.rollback()
        form.title.errors = [*form.title.errors, exc.message]
        return _edit_page(get_post(db.session, post_id), form, 400)
    db.session.commit()
    flash(
        _("Saved and approved.")
        if post.status == "approved" and request.form.get("then")
        else _("Saved."),
        "info",
    )
    return redirect(url_for("posts.edit_page", post_id=post.id))


@bp.post("/<int:post_id>/archive")
@allow(Role.MANAGER)
def archive(post_id: int) -> Response:
    post = states.archive(db.session, acting_user(), get_post(db.session, post_id), utcnow())
    db.session.commit()
    flash(_("Withdrawn from the employee feed."), "info")
    return redirect(url_for("posts.edit_page", post_id=post.id))


@bp.post("/<int:post_id>/delete")
@allow(Role.MANAGER)
def delete(post_id: int) -> Response:
    post = states.delete(db.session, acting_user(), get_post(db.session, post_id), utcnow())
    db.session.commit()
    flash(
        _(
            "Deleted: “%(title)s” will not come back, even if its feed still carries it.",
            title=post.title,
        ),
        "info",
    )
    return redirect(url_for("queue.index"))


@bp.post("/<int:post_id>/takedown")
@allow(Role.MANAGER)
def takedown(post_id: int) -> Response:
    """Legal takedown: the post leaves every feed and its short links answer 410 Gone."""
    form = RejectForm()
    if not form.validate():
        flash(_("Say why the post is taken down."), "error")
        return redirect(url_for("posts.edit_page", post_id=post_id))
    post = states.take_down(
        db.session, acting_user(), get_post(db.session, post_id), form.reason.data, utcnow()
    )
    db.session.commit()
    redirector = current_app.extensions["redirector"]
    for code in codes_of_post(db.session, post.id):
        redirector.cache(code, GONE)  # the database says GONE too, on any cache miss
    flash(_("Taken down: its links now answer “gone”."), "info")
    return redirect(url_for("posts.edit_page", post_id=post.id))
