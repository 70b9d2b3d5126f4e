"""Sign-in and sign-out, with a rate limit on failed attempts per account and per address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from .. import accounts
from ..auth import ANYONE, SIGNED_IN, allow
from ..db import db
from ..extensions import client_address, limiter
from .forms import SignInForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """A local path to go to after sign-in, or None: never another site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def _login_limit() -> str:
    return current_app.config["SETTINGS"].login_limit


def _account_key() -> str:
    return "signin-account:" + (request.form.get("email") or "").strip().lower()


def _failed(_response: Response) -> bool:
    return bool(g.get("signin_failed"))


@bp.route("/login", methods=["GET", "POST"])
@allow(ANYONE)
@limiter.limit(_login_limit, key_func=client_address, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        g.signin_failed = True
        flash(_("That email and password do not match an active account."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@allow(SIGNED_IN)
def logout() -> Response:
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
