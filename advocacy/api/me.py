from __future__ import annotations

from flask import jsonify
from werkzeug.wrappers import Response

from ..auth import SIGNED_IN, acting_user, allow
from . import api, render


@api.get("/me")
@allow(SIGNED_IN)
def me() -> Response:
    return jsonify(render.user(acting_user()))
