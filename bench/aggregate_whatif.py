"""What-if, patched in the benchmark's child process only (advocacy/ is unchanged):
the aggregator's inserts executed as executemany on the Core table.

Today every insert of a batch (raw clicks, burst counts, daily visitors, rollups) is built
as ``insert(Model).values([row, row, ...])``: one new statement per chunk, with a bound
parameter per value, compiled every time (SQLAlchemy cannot cache it), then run through the
ORM's bulk path. The same rows passed as parameters,
``session.execute(insert(table), rows)``, compile once (cached) and go to the driver as one
multi-row statement per 1,000 rows ("insertmanyvalues"), RETURNING included. Nothing else
changes: same statements, same ON CONFLICT clauses, same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from advocacy.tracking import aggregate, rollups

_dialect_insert = rollups.dialect_insert


class _Many:
    """An INSERT and its rows, kept apart until ``Session.execute`` sends them together."""

    def __init__(self, statement: Any, rows: list[dict[str, Any]] | None = None) -> None:
        self.statement = statement
        self.rows = rows

    @property
    def excluded(self) -> Any:
        return self.statement.excluded

    def values(self, rows: list[dict[str, Any]]) -> _Many:
        return _Many(self.statement, list(rows))

    def on_conflict_do_nothing(self, **kwargs: Any) -> _Many:
        return _Many(self.statement.on_conflict_do_nothing(**kwargs), self.rows)

    def on_conflict_do_update(self, **kwargs: Any) -> _Many:
        return _Many(self.statement.on_conflict_do_update(**kwargs), self.rows)

    def returning(self, *columns: Any) -> _Many:
        return _Many(self.statement.returning(*columns), self.rows)


def _insert(session: Session, model: Any) -> _Many:
    return _Many(_dialect_insert(session, getattr(model, "__table__", model)))


def apply(session: Session) -> None:
    rollups.dialect_insert = _insert  # type: ignore[assignment]
    aggregate.dialect_insert = _insert  # type: ignore[assignment]
    execute = session.execute

    def execute_many(statement: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(statement, _Many):
            return execute(statement.statement, statement.rows)
        return execute(statement, *args, **kwargs)

    session.execute = execute_many  # type: ignore[method-assign]
