"""Reading request bodies and writing lists, the same way for every endpoint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import jsonify, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from ..errors import ValidationError

T = TypeVar("T")
MAX_PER_PAGE = 500


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object.")
    return body


def field(body: dict[str, Any], name: str, kind: type, required: bool = True) -> Any:
    value = body.get(name)
    if value is None:
        if required:
            raise ValidationError(f"'{name}' is required.")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValidationError(f"'{name}' must be a {kind.__name__}.")
    return value


def int_list(value: object, name: str) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise ValidationError(f"'{name}' must be a list of ids.")
    return value


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(f"'{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise ValidationError(f"'{name}' must be between {low} and {high}.")
    return value


def page_args() -> tuple[int, int]:
    """?page= (from 1) and ?per_page= (up to 500), checked."""
    return _int_arg("page", 1, 1, 1_000_000), _int_arg("per_page", 50, 1, MAX_PER_PAGE)


def paged_list(items: list[Any], **extra: Any) -> Response:
    """The list convention for rows computed in Python (the stats)."""
    page, per_page = page_args()
    window = items[(page - 1) * per_page : page * per_page]
    return jsonify(
        {"items": window, "page": page, "per_page": per_page, "total": len(items), **extra}
    )


def paged(
    session: Session, query: Select[tuple[T]], render: Callable[[T], dict[str, Any]]
) -> Response:
    """``{"items", "page", "per_page", "total"}`` for a query, from ?page= and ?per_page=."""
    page, per_page = page_args()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows: Sequence[T] = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(
        {"items": [render(r) for r in rows], "page": page, "per_page": per_page, "total": total}
    )
