"""Turn fetched bytes into a ``ParsedFeed``: JSON Feed by hand, everything else by feedparser.

Text fields of a ``ParsedEntry`` are HTML: when the feed marks a title or summary as plain
text it is escaped here, so that later steps can treat every field the same way (strip tags
for a title, sanitize for a summary) without mangling a literal ``<br>`` in a plain title.
"""

from __future__ import annotations

import html
import io
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from advocacy.feeds.errors import FeedError, NotAFeedError
from advocacy.feeds.sanitize import plain_text

JSON_FEED_PREFIX = "https://jsonfeed.org/version/"
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    type: str | None
    length: int | None


@dataclass(slots=True)
class ParsedEntry:
    guid: str | None
    link: str | None
    title: str | None
    summary_html: str | None
    content_html: str | None
    author: str | None
    published: datetime | None
    updated: datetime | None
    image_url: str | None
    enclosures: list[Enclosure] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    """Plain text."""
    site_url: str | None
    version: str
    """feedparser's version ("rss20", "atom10", "rss10"...) or "json1" / "json11"."""
    warning: str | None
    """Why the feed was malformed, when it still yielded entries."""
    entries: list[ParsedEntry]
    ttl_seconds: int | None = None
    """RSS ``<ttl>``: how long the publisher asks readers to cache the feed."""


def parse_feed(body: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    """Parse ``body`` fetched from ``url``; raise ``NotAFeedError`` for anything else."""
    start = body[len(_BOM) :] if body.startswith(_BOM) else body
    if start.lstrip()[:1] == b"{":
        return _parse_json_feed(start, url)
    return _parse_xml_feed(body, url, content_type)


# --- XML feeds (RSS 0.9x/1.0/2.0, Atom) through feedparser -------------------------------


def _parse_xml_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    # A stream, never str nor even bytes: feedparser tries any str or bytes as a file name
    # first, so a body reading "/dev/zero" or "/etc/passwd" would be opened and read.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={
            "content-location": url,
            "content-type": content_type or "application/xml",
        },
    )
    version = parsed.get("version")  # missing altogether for an empty body
    if not version:
        raise NotAFeedError(f"{url} is not a feed (it looks like an HTML page or unknown format)")
    warning = None
    entries = parsed.get("entries") or []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        warning = f"{type(problem).__name__}: {problem}"
        benign = isinstance(problem, feedparser.CharacterEncodingOverride)
        if not entries and not benign:
            raise FeedError(f"The feed at {url} could not be read: {warning}")
    meta = parsed.get("feed") or {}
    return ParsedFeed(
        title=plain_text(_html_of(meta, "title")) or None,
        site_url=_http_url(meta.get("link")),
        version=version,
        warning=warning,
        entries=[_xml_entry(entry, url) for entry in entries],
        ttl_seconds=_ttl_seconds(meta.get("ttl")),
    )


def _ttl_seconds(value: object) -> int | None:
    """RSS ``<ttl>`` is in minutes; anything that is not a positive whole number is ignored."""
    text = str(value or "").strip()
    return int(text) * 60 if text.isdigit() and 0 < int(text) < 10**6 else None


def _xml_entry(entry: dict[str, Any], url: str) -> ParsedEntry:
    contents = entry.get("content") or []
    # Atom and RSS can carry several bodies; the HTML one is the one worth keeping.
    contents = sorted(contents, key=lambda c: "html" not in (c.get("type") or ""))
    return ParsedEntry(
        guid=_text(entry.get("id")),
        link=_text(entry.get("link")),
        title=_html_of(entry, "title"),
        summary_html=_html_of(entry, "summary"),
        content_html=_detail_html(contents[0]) if contents else None,
        author=_text((entry.get("author_detail") or {}).get("name") or entry.get("author")),
        published=_struct_to_datetime(entry.get("published_parsed")),
        # dict.get: feedparser's own .get answers "updated" with the published date
        updated=_struct_to_datetime(dict.get(entry, "updated_parsed")),
        image_url=_xml_image(entry, url),
        enclosures=_xml_enclosures(entry, url),
    )


def _html_of(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    if not value:
        return None
    detail = item.get(f"{key}_detail") or {"type": "text/html", "value": value}
    return _detail_html(detail)


def _detail_html(detail: Mapping[str, Any]) -> str | None:
    value = detail.get("value")
    if not value:
        return None
    if detail.get("type") in ("text/plain", "text"):
        return html.escape(value, quote=False)
    return value


def _xml_image(entry: Mapping[str, Any], url: str) -> str | None:
    """media:content image > media:thumbnail > image enclosure > itunes:image."""
    for media in entry.get("media_content") or []:
        medium = media.get("medium") or ""
        mime = media.get("type") or ""
        if media.get("url") and (medium == "image" or mime.startswith("image/")):
            return urljoin(url, media["url"])
    for thumbnail in entry.get("media_thumbnail") or []:
        if thumbnail.get("url"):
            return urljoin(url, thumbnail["url"])
    for enclosure in entry.get("enclosures") or []:
        if enclosure.get("href") and (enclosure.get("type") or "").startswith("image/"):
            return urljoin(url, enclosure["href"])
    itunes = entry.get("image") or {}
    return urljoin(url, itunes["href"]) if itunes.get("href") else None


def _xml_enclosures(entry: Mapping[str, Any], url: str) -> list[Enclosure]:
    found: dict[str, Enclosure] = {}
    for raw in entry.get("enclosures") or []:
        href = raw.get("href")
        if href:
            absolute = urljoin(url, href)
            found.setdefault(
                absolute, Enclosure(absolute, raw.get("type") or None, _int(raw.get("length")))
            )
    return list(found.values())


def _struct_to_datetime(value: time.struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# --- JSON Feed 1.0 / 1.1 ---------------------------------------------------------------


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotAFeedError(f"{url} is not a feed (invalid JSON: {exc})") from exc
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(JSON_FEED_PREFIX):
        raise NotAFeedError(f"{url} is not a feed (JSON without a JSON Feed version)")
    items = document.get("items")
    return ParsedFeed(
        title=plain_text(html.escape(_text(document.get("title")) or "")) or None,
        site_url=_http_url(urljoin(url, _text(document.get("home_page_url")) or "")),
        version="json" + version.removeprefix(JSON_FEED_PREFIX).replace(".", ""),
        warning=None,
        entries=[_json_entry(i, url) for i in items if isinstance(i, dict)]
        if isinstance(items, list)
        else [],
    )


def _json_entry(item: Mapping[str, Any], url: str) -> ParsedEntry:
    content_html = _text(item.get("content_html"))
    if content_html is None and _text(item.get("content_text")):
        content_html = _text_to_html(item["content_text"])
    summary = _text(item.get("summary"))
    attachments = [a for a in item.get("attachments") or [] if isinstance(a, dict)]
    enclosures = [
        Enclosure(urljoin(url, href), _text(a.get("mime_type")), _int(a.get("size_in_bytes")))
        for a in attachments
        if (href := _text(a.get("url")))
    ]
    image = _text(item.get("image")) or _text(item.get("banner_image"))
    if image is None:
        image = next((e.url for e in enclosures if (e.type or "").startswith("image/")), None)
    link = _text(item.get("url")) or _text(item.get("external_url"))
    title = _text(item.get("title"))
    return ParsedEntry(
        guid=_text(item.get("id")),
        link=urljoin(url, link) if link else None,
        title=html.escape(title, quote=False) if title else None,
        summary_html=html.escape(summary, quote=False) if summary else None,
        content_html=content_html,
        author=_json_author(item),
        published=_iso_datetime(item.get("date_published")),
        updated=_iso_datetime(item.get("date_modified")),
        image_url=urljoin(url, image) if image else None,
        enclosures=enclosures,
    )


def _json_author(item: Mapping[str, Any]) -> str | None:
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]  # JSON Feed 1.0
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n) or None


def _text_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def _iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --- small coercions ---------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A non-empty stripped string, from a string or a number (JSON Feed ids can be either)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _int(value: Any) -> int | None:
    text = _text(value)
    return int(text) if text and text.isdigit() else None


def _http_url(value: Any) -> str | None:
    text = _text(value)
    return text if text and text.lower().startswith(("http://", "https://")) else None
