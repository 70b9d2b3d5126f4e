from __future__ import annotations

from flask import Response, current_app, jsonify

from ..auth import SIGNED_IN, acting_user, allow
from ..db import db
from ..models import utcnow
from ..tracking.links import parse_network
from ..tracking.sharing import share_post
from . import api
from .io import field, json_body


@api.post("/posts/<int:post_id>/shares")
@allow(SIGNED_IN)
def create_share(post_id: int) -> tuple[Response, int]:
    network = parse_network(field(json_body(), "network", str))
    result = share_post(
        db.session,
        current_app.extensions["redirector"],
        acting_user(),
        post_id,
        network,
        current_app.config["SETTINGS"].short_link_base_url,
        utcnow(),
    )
    body = {
        "code": result.link.code,
        "short_url": result.short_url,
        "share_url": result.share_url,
        "text": result.text,
        "network": network.value,
    }
    return jsonify(body), 201 if result.created else 200
