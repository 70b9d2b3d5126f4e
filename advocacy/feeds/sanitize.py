"""Make feed HTML safe to show: a short allow-list through nh3, links only to http(s).

feedparser's own sanitizer keeps ``form``, ``input``, ``style`` and ``file:`` links, so every
piece of feed HTML goes through here last, whatever produced it.
"""

from __future__ import annotations

import re
from functools import partial
from html import escape, unescape
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre"}
    | {"h2", "h3", "h4", "img"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}}
# Removed with everything inside them, rather than unwrapped into stray text.
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "form"}
    | {"select", "textarea", "button", "svg", "math"}
)
LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https"})

_ELLIPSIS = "…"
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|br|div|li|h[1-6]|blockquote|pre|ul|ol|tr|td|th|section|article)\b)", re.I
)


def absolute_http_url(value: str | None, base_url: str | None) -> str | None:
    """``value`` resolved against ``base_url``, or None unless it is an http(s) URL with a host."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        absolute = urljoin(base_url, value) if base_url else value
        parts = urlsplit(absolute)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in URL_SCHEMES or not host:
        return None
    return absolute


def _url_attribute(base_url: str | None, tag: str, name: str, value: str) -> str | None:
    if name in ("href", "src"):
        return absolute_http_url(value, base_url)
    return value


def _clean(fragment: str, base_url: str | None) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        # "*" overrides ammonia's generic attributes, which would add title and lang to any tag
        attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=partial(_url_attribute, base_url),
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )


def sanitize_html(html: str | None, base_url: str | None) -> str:
    """Safe HTML: allowed tags only, relative href/src made absolute against ``base_url``,
    anything but http(s) dropped, and ``rel="noopener noreferrer nofollow"`` on links."""
    if not html:
        return ""
    return _clean(html, base_url).strip()


def plain_text(html_or_text: str | None) -> str:
    """Text without tags, entities decoded, whitespace collapsed (for titles and excerpts)."""
    if not html_or_text:
        return ""
    spaced = _BLOCK_TAG.sub(" <", html_or_text)  # "<p>a</p><p>b</p>" reads "a b", not "ab"
    stripped = nh3.clean(spaced, tags=set(), clean_content_tags=set(REMOVED_WITH_CONTENT))
    return " ".join(unescape(stripped).split())


def truncate_text(text: str, max_chars: int) -> str:
    """Cut plain ``text`` to at most ``max_chars`` characters, at a word boundary if possible,
    ending with an ellipsis when anything was cut."""
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return _ELLIPSIS[:max_chars]
    cut = text[: max_chars - 1]
    if not text[max_chars - 1].isspace() and " " in cut.strip():
        cut = cut.rsplit(None, 1)[0]
    return cut.rstrip(" \t\n,;:-\u2013\u2014") + _ELLIPSIS


def trim_html(html: str | None, max_chars: int = 1000) -> str:
    """Shorten sanitized HTML to about ``max_chars`` characters of visible text.

    The cut falls between words and gets an ellipsis; the result goes through the sanitizer
    again, which closes the elements left open. Relative URLs are dropped at that point, so
    give it the output of :func:`sanitize_html`.
    """
    if not html or max_chars <= 0:
        return ""
    kept: list[str] = []
    remaining = max_chars
    for index, token in enumerate(_TAG.split(html)):
        if index % 2:  # a tag
            kept.append(token)
            continue
        text = unescape(token)
        length = len(text) if text.strip() else 0
        if length <= remaining:
            kept.append(token)
            remaining -= length
            continue
        kept.append(escape(truncate_text(text, max(remaining, 1)), quote=False))
        break
    return _clean("".join(kept), None).strip()
