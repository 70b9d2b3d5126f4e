"""Admin pages for users: create, edit, move to another team, reset password, deactivate."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import accounts
from ..auth import acting_user, allow
from ..db import db
from ..errors import DomainError
from ..models import Role, User
from .forms import EmptyForm, MoveForm, PasswordResetForm, UserCreateForm, UserEditForm, choices

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


def _team_choices() -> list[SelectChoice]:
    return choices((t.id, t.name) for t in accounts.list_teams(db.session))


def _actor() -> User:
    return acting_user()


@bp.get("/")
@allow(Role.ADMIN)
def index() -> str:
    form = UserCreateForm(formdata=None)
    form.team_id.choices = _team_choices()
    return render_template("admin/users.html", users=accounts.list_users(db.session), form=form)


@bp.post("/")
@allow(Role.ADMIN)
def create() -> Response | tuple[str, int]:
    form = UserCreateForm()
    form.team_id.choices = _team_choices()
    if form.validate():
        try:
            accounts.create_user(
                db.session,
                _actor(),
                email=form.email.data or "",
                name=form.name.data or "",
                role=form.role.data or "",
                password=form.password.data,
                team=accounts.get_team(db.session, form.team_id.data),
            )
        except DomainError as exc:
            db.session.rollback()
            form.email.errors = [exc.message]
        else:
            db.session.commit()
            flash(_("User %(email)s is created.", email=form.email.data), "info")
            return redirect(url_for("admin_users.index"))
    users = accounts.list_users(db.session)
    return render_template("admin/users.html", users=users, form=form), 400


def _edit_page(user: User, status: int = 200, **forms: object) -> tuple[str, int]:
    defaults: dict[str, object] = {
        "edit_form": UserEditForm(obj=user, formdata=None),
        "move_form": MoveForm(formdata=None, team_id=user.team.id if user.team else None),
        "reset_form": PasswordResetForm(formdata=None),
        "toggle_form": EmptyForm(formdata=None),
    }
    defaults.update(forms)
    defaults["move_form"].team_id.choices = _team_choices()  # type: ignore[attr-defined]
    return render_template("admin/user_edit.html", user=user, **defaults), status


@bp.get("/<int:user_id>")
@allow(Role.ADMIN)
def edit(user_id: int) -> tuple[str, int]:
    return _edit_page(accounts.get_user(db.session, user_id))


@bp.post("/<int:user_id>")
@allow(Role.ADMIN)
def update(user_id: int) -> Response | tuple[str, int]:
    user = accounts.get_user(db.session, user_id)
    form = UserEditForm()
    if not form.validate():
        return _edit_page(user, 400, edit_form=form)
    accounts.update_user(db.session, _actor(), user, name=form.name.data, role=form.role.data)
    db.session.commit()
    flash(_("Saved."), "info")
    return redirect(url_for("admin_users.edit", user_id=user.id))


@bp.post("/<int:user_id>/move")
@allow(Role.ADMIN)
def move(user_id: int) -> Response | tuple[str, int]:
    user = accounts.get_user(db.session, user_id)
    form = MoveForm()
    form.team_id.choices = _team_choices()
    if not form.validate():
        return _edit_page(user, 400, move_form=form)
    team = accounts.get_team(db.session, form.team_id.data)
    accounts.move_user(db.session, _actor(), user, team)
    db.session.commit()
    flash(_("%(name)s is now in %(team)s.", name=user.name, team=team.name), "info")
    return redirect(url_for("admin_users.edit", user_id=user.id))


@bp.post("/<int:user_id>/password")
@allow(Role.ADMIN)
def reset_password(user_id: int) -> Response | tuple[str, int]:
    user = accounts.get_user(db.session, user_id)
    form = PasswordResetForm()
    if not form.validate():
        return _edit_page(user, 400, reset_form=form)
    accounts.set_password(db.session, _actor(), user, form.password.data or "")
    db.session.commit()
    flash(_("The password is reset."), "info")
    return redirect(url_for("admin_users.edit", user_id=user.id))


@bp.post("/<int:user_id>/active")
@allow(Role.ADMIN)
def toggle_active(user_id: int) -> Response:
    user = accounts.get_user(db.session, user_id)
    accounts.set_active(db.session, _actor(), user, not user.active)
    db.session.commit()
    message = _("The account is active.") if user.active else _("The account is deactivated.")
    flash(message, "info")
    return redirect(url_for("admin_users.edit", user_id=user.id))
