"""Each user's own page: name, language, password and API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import accounts
from ..auth import SIGNED_IN, acting_user, allow
from ..db import db
from ..errors import ValidationError
from .forms import EmptyForm, PasswordChangeForm, ProfileForm, TokenForm

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(**forms: object) -> str:
    user = acting_user()
    defaults = {
        "profile": ProfileForm(obj=user, formdata=None, locale=user.locale or ""),
        "password_form": PasswordChangeForm(formdata=None),
        "token_form": TokenForm(formdata=None),
    }
    defaults.update(forms)
    return render_template(
        "account/page.html",
        tokens=accounts.tokens_of(db.session, user),
        revoke_form=EmptyForm(formdata=None),
        **defaults,
    )


@bp.get("/")
@allow(SIGNED_IN)
def page() -> str:
    return _page()


@bp.post("/profile")
@allow(SIGNED_IN)
def profile() -> Response | tuple[str, int]:
    form = ProfileForm()
    if not form.validate():
        return _page(profile=form), 400
    user = acting_user()
    accounts.update_user(
        db.session,
        user,
        user,
        name=form.name.data,
        locale=form.locale.data,
        hide_from_leaderboard=form.hide_from_leaderboard.data,
    )
    db.session.commit()
    flash(_("Your profile is saved."), "info")
    return redirect(url_for("account.page"))


@bp.post("/password")
@allow(SIGNED_IN)
def password() -> Response | tuple[str, int]:
    form = PasswordChangeForm()
    if form.validate():
        try:
            user = acting_user()
            accounts.change_own_password(db.session, user, form.current.data, form.new.data)
        except ValidationError as exc:
            form.current.errors = [exc.message]
        else:
            db.session.commit()
            flash(_("Your password is changed."), "info")
            return redirect(url_for("account.page"))
    return _page(password_form=form), 400


@bp.post("/tokens")
@allow(SIGNED_IN)
def create_token() -> Response | tuple[str, int] | str:
    form = TokenForm()
    if not form.validate():
        return _page(token_form=form), 400
    user = acting_user()
    token = accounts.create_token(db.session, user, user, form.name.data or "")
    db.session.commit()
    flash(_("Copy your new token now; it will not be shown again."), "info")
    return render_template("account/new_token.html", token=token)


@bp.post("/tokens/<int:token_id>/revoke")
@allow(SIGNED_IN)
def revoke_token(token_id: int) -> Response:
    accounts.revoke_token(db.session, acting_user(), token_id)
    db.session.commit()
    flash(_("The token is revoked."), "info")
    return redirect(url_for("account.page"))
