"""Sharing without JavaScript, and each employee's own list of shares."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template
from werkzeug.wrappers import Response

from ..auth import SIGNED_IN, acting_user, allow
from ..db import db
from ..models import Network, utcnow
from ..tracking.links import links_of, parse_network, short_url
from ..tracking.rollups import clicks_by_link
from ..tracking.sharing import share_post

bp = Blueprint("sharing", __name__)


@bp.post("/share/<int:post_id>/<network>")
@allow(SIGNED_IN)
def share(post_id: int, network: str) -> Response | str:
    """The form behind each share button: make the link, then go to the network."""
    chosen = parse_network(network)
    result = share_post(
        db.session,
        current_app.extensions["redirector"],
        acting_user(),
        post_id,
        chosen,
        current_app.config["SETTINGS"].short_link_base_url,
        utcnow(),
    )
    if chosen == Network.COPY:
        return render_template("sharing/copy.html", result=result)
    # Only ever one of our own intent URLs (or mailto:), built around our own short link.
    return redirect(result.share_url, code=303)


@bp.get("/me/shares")
@allow(SIGNED_IN)
def mine() -> str:
    links = links_of(db.session, acting_user().id)
    base = current_app.config["SETTINGS"].short_link_base_url
    rows = [(link, short_url(base, link.code)) for link in links]
    clicks = clicks_by_link(db.session, [link.id for link in links])
    return render_template("sharing/mine.html", rows=rows, clicks=clicks)
