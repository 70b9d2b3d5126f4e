"""Employee advocacy service: the application factory, and only wiring."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import PROJECT_ROOT, Settings


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,  # auth.guard_request checks, except for bearer tokens
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=None,
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_HEADERS_ENABLED=False,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_TRANSLATION_DIRECTORIES="translations",
    )
    app.config.update(overrides)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    from . import auth, cli, headers, locale, logs, redis_client
    from .api import api
    from .db import db
    from .extensions import babel, csrf, init_limiter
    from .redis_client import limiter_storage_uri
    from .web import errors, register_blueprints

    logs.configure(settings.log_format, settings.log_level)
    logs.init_app(app)
    db.init_app(app)
    redis_client.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = limiter_storage_uri(settings.redis_url)
    init_limiter(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=locale.select_locale)
    locale.init_app(app)
    auth.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    register_blueprints(app)
    app.register_blueprint(api)
    cli.init_app(app)
    if settings.trusted_proxy_hops:  # outermost, so every layer sees the client's address
        hops = settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
