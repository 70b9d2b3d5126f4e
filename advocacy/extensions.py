"""Flask extensions, made without an app and bound in create_app()."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf import CSRFProtect


def client_address() -> str:
    """The client's address as ProxyFix (``TRUSTED_PROXY_HOPS``) left it."""
    return request.remote_addr or "unknown"


login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_address)
babel = Babel()


def init_limiter(app: Flask) -> None:
    """Bind the limiter, without its before-request check.

    With no default or application limits that check finds nothing to limit, yet it
    resolves blueprint limits on every request (a tenth of the redirect's own work). A view
    decorated with ``@limiter.limit`` still checks its limits itself.
    """
    limiter.init_app(app)
    app.before_request_funcs[None].remove(limiter._check_request_limit)
