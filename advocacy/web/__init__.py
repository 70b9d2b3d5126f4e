"""HTML blueprints: thin views over the domain modules."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import account, admin_teams, admin_users, feeds, health, home, posts, queue, signin

    for module in (signin, home, account, admin_users, admin_teams, feeds, queue, posts, health):
        app.register_blueprint(module.bp)
