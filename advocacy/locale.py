"""Which language a page speaks: the user's choice, else the browser's."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGES = {"en": "English", "fr": "Français"}


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    best = request.accept_languages.best_match(list(LANGUAGES)) if request else None
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.filters["role_label"] = role_label


def role_label(role: str) -> str:
    from .web.forms import ROLE_LABELS

    return str(ROLE_LABELS.get(role, role))
