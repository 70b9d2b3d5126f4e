"""Leaderboards ranked in full, rows built only where they are read.

Ranking ten thousand people is a sort of small tuples; turning each into a row (names,
dictionaries, JSON) costs more, and an API page or the dashboard shows fifty or ten of
them. ``LazyRows`` is a sequence over the ranked keys that builds a row when it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

K = TypeVar("K")
R = TypeVar("R")
S = TypeVar("S")


class LazyRows(Sequence[R], Generic[K, R]):
    def __init__(self, keys: Sequence[K], build: Callable[[int, K], R]) -> None:
        self._keys = keys
        self._build = build  # (position, key) -> row

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> list[R]: ...

    def __getitem__(self, index: int | slice) -> R | list[R]:
        if isinstance(index, slice):
            return [self._build(i, self._keys[i]) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._build(index, self._keys[index])

    def __iter__(self) -> Iterator[R]:
        return (self._build(i, key) for i, key in enumerate(self._keys))

    def map(self, then: Callable[[R], S]) -> LazyRows[K, S]:
        build = self._build
        return LazyRows(self._keys, lambda i, key: then(build(i, key)))

    def where(self, keep: Callable[[K], bool]) -> list[R]:
        """The rows whose key passes ``keep``, keeping their place in the full ranking."""
        return [self._build(i, key) for i, key in enumerate(self._keys) if keep(key)]
