"""HTML blueprints: thin views over the domain modules."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import (
        account,
        admin_clicks,
        admin_teams,
        admin_users,
        analytics,
        dashboard,
        feed,
        feeds,
        health,
        home,
        links,
        posts,
        queue,
        sharing,
        signin,
    )

    modules = (signin, home, feed, account, admin_users, admin_teams, feeds, queue, posts, health)
    for module in (*modules, admin_clicks, dashboard, analytics, sharing, links):
        app.register_blueprint(module.bp)
    links.init_app(app)
