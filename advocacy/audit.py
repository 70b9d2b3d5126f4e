"""Writing the audit log: one call per state change, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    **detail: Any,
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    session.add(entry)
    return entry


def history(session: Session, subject_type: str, subject_id: int) -> list[AuditEntry]:
    """What happened to one thing, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )
