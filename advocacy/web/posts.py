"""Adding a post by hand: paste a link, check what the page says about itself, save."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..auth import acting_user, allow
from ..curation.manual import create_manual_post
from ..db import db
from ..errors import DomainError
from ..feeds.errors import FeedError
from ..feeds.manage import clean_url
from ..feeds.pagemeta import fetch_page_meta
from ..jobs import fetch_policy
from ..models import Role, utcnow
from .forms import ManualPostForm, PageUrlForm

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
