"""Named exceptions of the feed pipeline; each carries a message meant for people."""

from __future__ import annotations

from datetime import datetime


class FeedError(Exception):
    """A feed could not be fetched or read.

    ``status`` is the HTTP status when the server answered with an error, and ``retry_after``
    the moment the server asked us to wait until (429 and 503), so that the scheduler can
    honour it whatever the subclass.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: datetime | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class UnsafeURLError(FeedError):
    """The URL points somewhere we refuse to fetch (bad scheme, private network...)."""


class NotAFeedError(FeedError):
    """The document was fetched but is not a feed we can read."""


class FeedTooLargeError(FeedError):
    """The (decompressed) body went past the size cap."""
