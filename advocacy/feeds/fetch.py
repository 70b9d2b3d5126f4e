"""Fetch a feed over HTTP: conditional, size-capped, with every redirect hop guarded."""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from advocacy.feeds.decompress import ACCEPT_ENCODING, read_body
from advocacy.feeds.errors import FeedError, FeedTooLargeError, UnsafeURLError
from advocacy.feeds.guard import ALLOWED_SCHEMES, UrlGuard, check_address, url_guard

DEFAULT_USER_AGENT = "advocacy-feed-fetcher/0.1 (self-hosted employee advocacy)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.5"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
_MAX_RETRY_AFTER = timedelta(days=365)  # keeps absurd values from overflowing datetime


@dataclass(frozen=True, slots=True)
class FetchResult:
    final_url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    retry_after: datetime | None = None
    """Set when a successful response still carried a Retry-After (aware UTC)."""
    max_age: int | None = None
    """``Cache-Control: max-age`` in seconds, when the server sent one."""


def parse_max_age(cache_control: str | None) -> int | None:
    """The ``max-age`` of a Cache-Control header, or None."""
    for directive in (cache_control or "").lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name == "max-age" and value.strip().strip('"').isdigit():
            return int(value.strip().strip('"'))
    return None


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle costs ~19 ms, more than a 304."""
    return httpx.create_ssl_context()


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Read a Retry-After header (delay in seconds or HTTP-date) as an aware UTC datetime."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + min(timedelta(seconds=int(value[:12])), _MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(when.astimezone(UTC), now + _MAX_RETRY_AFTER)


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool,
    timeout: tuple[float, float] = (5.0, 20.0),
    max_bytes: int = 15 * 1024 * 1024,
    max_redirects: int = 5,
    user_agent: str = DEFAULT_USER_AGENT,
    total_timeout: float = 60.0,
    guard: UrlGuard | None = None,
) -> FetchResult:
    """GET ``url`` and return its body, or ``not_modified`` for a 304.

    ``timeout`` is (connect, read) in seconds; ``total_timeout`` bounds a server that drips
    bytes just fast enough to dodge the read timeout. ``guard`` checks each hop before it is
    requested (default: :func:`check_url` with ``allow_private``); whatever it is, the
    address actually connected to is checked against ``allow_private`` too.
    Raises ``FeedError`` (with ``status`` and ``retry_after`` when the server answered).
    """
    guard = guard or url_guard(allow_private=allow_private)
    connect_timeout, read_timeout = timeout
    deadline = time.monotonic() + total_timeout
    headers = {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with httpx.Client(
        headers=headers,
        verify=ssl_context(),
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        follow_redirects=False,  # each hop must pass the guard, so we follow them ourselves
        trust_env=False,  # a proxy from the environment would resolve names behind our back
    ) as client:
        for _hop in range(max_redirects + 1):
            _check_scheme(url)
            guard(url)
            result_or_next = _request(client, url, allow_private, max_bytes, deadline)
            if isinstance(result_or_next, FetchResult):
                if result_or_next.not_modified:  # a 304 may omit the validators we sent
                    return replace(
                        result_or_next,
                        etag=result_or_next.etag or etag,
                        last_modified=result_or_next.last_modified or last_modified,
                    )
                return result_or_next
            url = result_or_next
    raise FeedError(f"Too many redirects (more than {max_redirects}) while fetching the feed")


def _check_scheme(url: str) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:
        raise UnsafeURLError(f"{url!r} is not a valid URL") from exc
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"Only http and https feeds can be fetched, not {url!r}")


def _request(
    client: httpx.Client, url: str, allow_private: bool, max_bytes: int, deadline: float
) -> FetchResult | str:
    """One hop: a ``FetchResult`` for a final answer, or the next URL for a redirect."""
    if time.monotonic() > deadline:
        raise FeedError(f"Fetching {url} took too long")
    try:
        with client.stream("GET", url) as response:
            _check_peer(response, allow_private)
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                return str(response.url.join(location.strip()))
            return _final_result(response, url, max_bytes, deadline)
    except httpx.TimeoutException as exc:
        raise FeedError(f"Timed out fetching {url} ({type(exc).__name__})") from exc
    except httpx.ConnectError as exc:
        raise FeedError(f"Could not connect to {httpx.URL(url).host}: {exc}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FeedError(f"Fetching {url} failed: {exc}") from exc


def _check_peer(response: httpx.Response, allow_private: bool) -> None:
    if allow_private:
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer:
        raise UnsafeURLError("Could not verify which address the feed server connected to")
    check_address(str(peer[0]).split("%", 1)[0], allow_private=False)


def _final_result(
    response: httpx.Response, url: str, max_bytes: int, deadline: float
) -> FetchResult:
    status = response.status_code
    headers = response.headers
    retry_after = parse_retry_after(headers.get("retry-after"), datetime.now(UTC))
    if status >= 400:
        error_retry = retry_after if status in RETRY_AFTER_STATUSES else None
        wait = f"; retry after {error_retry:%Y-%m-%d %H:%M} UTC" if error_retry else ""
        raise FeedError(
            f"The server answered HTTP {status} {response.reason_phrase} for {url}{wait}",
            status=status,
            retry_after=error_retry,
        )
    if status != 304 and not 200 <= status < 300:
        raise FeedError(f"Unexpected HTTP status {status} for {url}", status=status)
    body = b""
    if status != 304:
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FeedTooLargeError(f"The feed is larger than the {max_bytes:,} bytes allowed")
        chunks = _before_deadline(response.iter_raw(), deadline, url)
        body = read_body(chunks, headers.get("content-encoding"), max_bytes)
    return FetchResult(
        final_url=url,
        status=status,
        body=body,
        content_type=headers.get("content-type"),
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        not_modified=status == 304,
        retry_after=retry_after,
        max_age=parse_max_age(headers.get("cache-control")),
    )


def _before_deadline(chunks: Iterable[bytes], deadline: float, url: str) -> Iterator[bytes]:
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise FeedError(f"Fetching {url} took too long")
        yield chunk


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and safely anything is fetched (from the settings), in one place."""

    allow_private: bool = False
    timeout: tuple[float, float] = (5.0, 20.0)
    max_bytes: int = 15 * 1024 * 1024
    user_agent: str = DEFAULT_USER_AGENT

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        return fetch_feed(
            url,
            etag=etag,
            last_modified=last_modified,
            allow_private=self.allow_private,
            timeout=self.timeout,
            max_bytes=min(max_bytes or self.max_bytes, self.max_bytes),
            user_agent=self.user_agent,
        )
