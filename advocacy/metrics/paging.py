"""A leaderboard the database orders, read a slice at a time.

The API shows fifty rows of ten thousand, the dashboard ten: a slice is the ordered
statement with OFFSET and LIMIT, so the database keeps the best rows instead of sorting
and sending everyone, and only those rows become Python objects. The length is counted
once, when asked for (the API's ``total``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

from sqlalchemy import Row, Select
from sqlalchemy.orm import Session

T = TypeVar("T")

# builds the rows of a slice from the statement's rows and the rank of the first one
Build = Callable[[list[Row[Any]], int], list[T]]


class OrderedRows(Sequence[T]):
    def __init__(
        self, session: Session, ordered: Select[Any], count: Select[tuple[int]], build: Build[T]
    ) -> None:
        self._session = session
        self._ordered = ordered
        self._count = count
        self._build = build
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = self._session.scalar(self._count) or 0
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            if _from_the_top(index):  # a page: no need to count everyone first
                return self._read(index.start or 0, index.stop)
            positions = range(*index.indices(len(self)))
            if not positions:
                return []
            first = min(positions[0], positions[-1])
            rows = self._read(first, max(positions[0], positions[-1]) + 1)
            return [rows[p - first] for p in positions]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._read(position, position + 1)[0]

    def __iter__(self) -> Iterator[T]:
        return iter(self[:])

    def __reversed__(self) -> Iterator[T]:
        return iter(self[::-1])

    def _read(self, start: int, stop: int | None) -> list[T]:
        query = self._ordered.offset(start)
        if stop is not None:
            query = query.limit(max(0, stop - start))
        return self._build(list(self._session.execute(query)), start + 1)


def _from_the_top(index: slice) -> bool:
    """A plain forward slice with no negative bound: it needs no length."""
    start, stop, step = index.start, index.stop, index.step
    return step in (None, 1) and (start or 0) >= 0 and (stop is None or stop >= 0)
