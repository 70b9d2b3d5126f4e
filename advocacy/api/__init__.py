"""The JSON API, /api/v1: thin handlers over the domain modules (see shared API.md)."""

from __future__ import annotations

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from . import feeds, me, posts, shares, stats, teams, users  # noqa: E402,F401  (routes register on import)
