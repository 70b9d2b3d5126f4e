"""Who is calling and what they may do: sessions, bearer tokens, roles, CSRF.

Access is declared on every view with :func:`allow` and checked in one place,
:func:`guard_request`, before any view runs. A view without a declaration is refused:
a new route cannot be left open by forgetting a check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, jsonify, redirect, request, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.wrappers import Response

from . import accounts
from .db import db
from .extensions import csrf, login_manager
from .models import Role, User

F = TypeVar("F", bound=Callable[..., Any])
ANYONE = "anyone"  # no sign-in needed
SIGNED_IN = "signed_in"  # any role
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Access:
    public: bool
    roles: frozenset[Role]  # empty: any signed-in user

    def admits(self, user: Any) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return not self.roles or user.has_role(*self.roles)


def allow(*who: Role | str) -> Callable[[F], F]:
    """Declare who may call a view: ``allow(ANYONE)``, ``allow(SIGNED_IN)`` or roles.

    Admins are admitted wherever any role is (see :meth:`User.has_role`).
    """
    public = ANYONE in who
    roles = frozenset(Role(r) for r in who if r not in (ANYONE, SIGNED_IN))

    def mark(view: F) -> F:
        view.access = Access(public=public, roles=roles)  # type: ignore[attr-defined]
        return view

    return mark


def access_of(app: Flask, endpoint: str) -> Access | None:
    if endpoint == "static":
        return Access(public=True, roles=frozenset())
    view = app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def json_error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def guard_request() -> Response | None:
    """The one access check, run before every view."""
    if request.endpoint is None:
        return None  # 404 or 405: nothing to guard
    access = access_of(current_app, request.endpoint)
    if access is None:
        current_app.logger.error("no access rule for endpoint %s; refusing", request.endpoint)
        abort(403)
    if not access.admits(current_user):
        if not current_user.is_authenticated:
            return _unauthorized()
        if wants_json():
            return json_error(403, "forbidden", "Your role does not allow this.")
        abort(403)
    if request.method in STATE_CHANGING and not g.get("token_user"):
        csrf.protect()
    return None


def _unauthorized() -> Response:
    if wants_json():
        if g.get("bad_token"):
            return json_error(401, "unauthorized", "The API token is not valid.")
        return json_error(401, "unauthorized", "Sign in or send an API token.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def bearer_token(req: Any) -> str | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class _StatelessSession(SecureCookieSession):
    """The session of a request that carries a bearer token: never read, never saved."""


class TokenAwareSessions(SecureCookieSessionInterface):
    """A request with a bearer token is stateless: the token alone says who calls.

    Otherwise a cookie session holding anything (a CSRF token from an earlier page) would
    make Flask-Login's "strong" session protection drop the user before it reads the token.
    """

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        if bearer_token(request) is not None:
            return _StatelessSession()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if not isinstance(session, _StatelessSession):
            super().save_session(app, session, response)


@login_manager.request_loader
def _load_user_from_token(req: Any) -> User | None:
    token = bearer_token(req)
    if token is None:
        return None
    user = accounts.user_for_token(db.session, token)
    if user is None:
        g.bad_token = True
        return None
    db.session.commit()  # keeps last_used_at
    g.token_user = True
    return user


def init_app(app: Flask) -> None:
    app.session_interface = TokenAwareSessions()
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    app.before_request(guard_request)


def acting_user() -> User:
    """The signed-in user as a model instance (not Flask-Login's proxy)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]
