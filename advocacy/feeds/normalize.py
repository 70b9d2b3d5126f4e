"""Turn a ``ParsedEntry`` into what we store: absolute link, plain title, safe short summary,
one image, and a stable key to recognise the entry on the next fetch."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

from advocacy.feeds.parse import Enclosure, ParsedEntry
from advocacy.feeds.sanitize import (
    absolute_http_url,
    plain_text,
    sanitize_html,
    trim_html,
    truncate_text,
)

MAX_KEY_LENGTH = 255
TITLE_MAX_CHARS = 300
FALLBACK_TITLE_CHARS = 100
AUTHOR_MAX_CHARS = 200
SUMMARY_MAX_CHARS = 1000

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid"}
    | {"_hsenc", "_hsmi", "yclid", "ref_src"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))


@dataclass(frozen=True, slots=True)
class NormalizedEntry:
    dedupe_key: str
    url: str
    """The entry's link, absolute, as the feed gave it."""
    canonical_url: str
    """``url`` without tracking parameters or fragment: what we share and compare."""
    guid: str | None
    title: str
    """Plain text, never empty."""
    summary_html: str
    """Sanitized and trimmed; may be empty."""
    image_url: str | None
    author: str | None
    published: datetime | None
    """Published, else updated; None means the caller should use the time first seen."""
    updated: datetime | None
    enclosures: tuple[Enclosure, ...]


def normalize_entry(
    entry: ParsedEntry, feed_url: str, *, summary_chars: int = SUMMARY_MAX_CHARS
) -> NormalizedEntry | None:
    """Normalize one entry, or None when it has no http(s) link to share."""
    link = absolute_http_url(entry.link, feed_url)
    if link is None:
        return None
    canonical = canonical_url(link)
    body_html = sanitize_html(entry.content_html or entry.summary_html, feed_url)
    summary_source = sanitize_html(entry.summary_html, feed_url) or body_html
    summary_html = trim_html(summary_source, summary_chars)
    guid = (entry.guid or "").strip() or None
    return NormalizedEntry(
        dedupe_key=dedupe_key(
            guid=guid, canonical_url=canonical, title=entry.title, published=entry.published
        ),
        url=link,
        canonical_url=canonical,
        guid=guid,
        title=_title(entry, summary_html, link),
        summary_html=summary_html,
        image_url=absolute_http_url(entry.image_url, feed_url) or _first_image(body_html),
        author=truncate_text(plain_text(entry.author), AUTHOR_MAX_CHARS) or None,
        published=entry.published or entry.updated,
        updated=entry.updated,
        enclosures=tuple(
            Enclosure(url, e.type, e.length)
            for e in entry.enclosures
            if (url := absolute_http_url(e.url, feed_url))
        ),
    )


def _title(entry: ParsedEntry, summary_html: str, link: str) -> str:
    title = plain_text(entry.title)
    if title:
        return truncate_text(title, TITLE_MAX_CHARS)
    excerpt = plain_text(summary_html).removesuffix("…")
    return truncate_text(excerpt, FALLBACK_TITLE_CHARS) if excerpt else link


def canonical_url(url: str) -> str:
    """``url`` without tracking parameters (utm_*, fbclid, ...) and fragment, with a lowercase
    scheme and host and no default port. Other parameters keep their order and encoding.

    Idempotent. Raises ``ValueError`` for a malformed host such as ``http://[::1``."""
    # As browsers do: trim, drop tabs and newlines, percent-encode other controls and spaces.
    cleaned = re.sub(r"[\t\n\r]", "", url.strip(_C0_CONTROL_OR_SPACE))
    cleaned = re.sub(r"[\x00-\x20]", lambda m: f"%{ord(m.group()):02X}", cleaned)
    parts = urlsplit(cleaned)
    if not parts.netloc:  # not an absolute web URL: nothing we can safely rewrite
        return cleaned
    scheme = parts.scheme.lower()
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking_param(p))
    return urlunsplit((scheme, _canonical_netloc(parts, scheme), parts.path or "/", query, ""))


def _is_tracking_param(pair: str) -> bool:
    name = unquote_plus(pair.split("=", 1)[0]).lower()
    name = name.removeprefix("amp;")  # "&amp;utm_source=" from feeds that escape twice
    return name.startswith("utm_") or name in TRACKING_PARAMS


def _canonical_netloc(parts: SplitResult, scheme: str) -> str:
    try:
        port = parts.port
    except ValueError:  # not a usable port: leave the whole netloc as it is
        return parts.netloc
    host = parts.hostname or ""  # lowercased by urlsplit, brackets removed
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    return f"{userinfo}{at}{host}"


def dedupe_key(
    *, guid: str | None, canonical_url: str | None, title: str | None, published: datetime | None
) -> str:
    """A key that stays the same across fetches of one feed: the guid, else the canonical
    link, else a hash of title and date; prefixed with which was used, at most 255 chars."""
    if guid:
        return _capped_key("guid", guid)
    if canonical_url:
        return _capped_key("url", canonical_url)
    stamp = published.isoformat() if published else ""
    return "hash:" + _sha256(f"{title or ''}\n{stamp}")


def _capped_key(prefix: str, value: str) -> str:
    key = f"{prefix}:{value}"
    return key if len(key) <= MAX_KEY_LENGTH else f"{prefix}:sha256:{_sha256(value)}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class _FirstImage(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.src: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and self.src is None:
            self.src = absolute_http_url(dict(attrs).get("src"), None)


def _first_image(sanitized_html: str) -> str | None:
    finder = _FirstImage()
    finder.feed(sanitized_html)
    finder.close()
    return finder.src
