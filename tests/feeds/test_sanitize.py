import re
from collections.abc import Callable

import pytest

from advocacy.feeds.parse import parse_feed
from advocacy.feeds.sanitize import (
    absolute_http_url,
    plain_text,
    sanitize_html,
    trim_html,
    truncate_text,
)

DANGEROUS = [
    "<script",
    "document.cookie",
    "<style",
    "track.png",
    "<iframe",
    "evil.example.com/frame",
    "<form",
    "<input",
    "password",
    "Log in",
    "onerror",
    "onclick",
    "onmouseover",
    "style=",
    "class=",
    "target=",
    'href="javascript',
    "data:",
    "file:",
]


def test_hostile_feed_html_is_defanged(feed_file: Callable[[str], bytes]) -> None:
    feed = parse_feed(
        feed_file("hostile.xml"), url="https://hostile.example.com/rss", content_type=None
    )
    clean = sanitize_html(feed.entries[0].content_html, "https://hostile.example.com/rss")
    for fragment in DANGEROUS:
        assert fragment.lower() not in clean.lower(), fragment
    assert "<p>Keep this <strong>strong</strong> text" in clean
    assert (
        '<a href="https://good.example.com/page" rel="noopener noreferrer nofollow">this link</a>'
        in clean
    )
    assert '<img alt="fine" src="https://img.example.com/ok.png">' in clean
    assert "<ul><li>kept item</li></ul>" in clean
    assert ">js link</a>" in clean  # the text stays, the href does not
    urls = re.findall(r'(?:href|src)="([^"]*)"', clean)
    assert len(urls) == 3
    assert all(url.startswith("https://") for url in urls), urls
    assert feed.title == "Hostile Feed"


def test_raw_hostile_html_is_defanged() -> None:
    dirty = (
        '<p onclick="x()">Hi <b>there</b></p><script>alert(1)</script>'
        "<style>p{color:red}</style><iframe src=https://evil.example/></iframe>"
        '<form action="/x"><input name="q"></form>'
        '<img src="/a.png" onerror="alert(1)" width="1">'
        '<a href="javascript:alert(1)">a</a>'
        '<a href="JaVaScRiPt&#58;alert(1)">b</a>'
        '<a href="java\tscript:alert(1)">c</a>'
        '<a href="data:text/html,<script>alert(1)</script>">d</a>'
        '<a href="file:///etc/passwd">e</a>'
        '<a href="vbscript:msgbox(1)">f</a>'
        '<a href="docs/page?x=1&amp;y=2" title="Docs">g</a>'
        "<h1>Big</h1><h2>Sub</h2><table><tr><td>cell</td></tr></table>"
    )
    assert sanitize_html(dirty, "https://blog.example.com/posts/") == (
        "<p>Hi <b>there</b></p>"
        '<img src="https://blog.example.com/a.png">'
        '<a rel="noopener noreferrer nofollow">a</a>'
        '<a rel="noopener noreferrer nofollow">b</a>'
        '<a rel="noopener noreferrer nofollow">c</a>'
        '<a rel="noopener noreferrer nofollow">d</a>'
        '<a rel="noopener noreferrer nofollow">e</a>'
        '<a rel="noopener noreferrer nofollow">f</a>'
        '<a href="https://blog.example.com/posts/docs/page?x=1&amp;y=2" title="Docs"'
        ' rel="noopener noreferrer nofollow">g</a>'
        "Big<h2>Sub</h2>cell"
    )


def test_sanitize_empty_input() -> None:
    assert sanitize_html(None, "https://x.example/") == ""
    assert sanitize_html("", "https://x.example/") == ""


@pytest.mark.parametrize(
    ("value", "base", "expected"),
    [
        ("/a?b=1", "https://x.example/feed", "https://x.example/a?b=1"),
        ("//cdn.example/i.png", "https://x.example/", "https://cdn.example/i.png"),
        ("  https://y.example/  ", None, "https://y.example/"),
        ("HTTP://Y.example/", None, "HTTP://Y.example/"),
        ("relative/only", None, None),
        ("mailto:a@b.example", "https://x.example/", None),
        ("http:///no-host", None, None),
        ("http://[::1", None, None),
        ("", "https://x.example/", None),
    ],
)
def test_absolute_http_url(value: str, base: str | None, expected: str | None) -> None:
    assert absolute_http_url(value, base) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("A <b>bold</b>\n  move", "A bold move"),
        ("<p>First</p><p>Second</p>", "First Second"),
        ("Line<br>break", "Line break"),
        ("x<script>alert(1)</script>y<style>p{}</style>z", "xyz"),
        ("caf&eacute; &#8211; na&#xEF;ve", "caf\u00e9 \u2013 na\u00efve"),
        ("5 < 6 &amp;&amp; 7 > 3", "5 < 6 && 7 > 3"),
        ("&lt;b&gt; stays text", "<b> stays text"),
        (None, ""),
    ],
)
def test_plain_text(value: str | None, expected: str) -> None:
    assert plain_text(value) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("the quick brown fox", 12, "the quick…"),
        ("the quick brown fox", 10, "the quick…"),
        ("antidisestablishment", 8, "antidis…"),
        ("words, then more", 8, "words…"),
    ],
)
def test_truncate_text(text: str, limit: int, expected: str) -> None:
    assert truncate_text(text, limit) == expected
    assert len(truncate_text(text, limit)) <= limit


def test_trim_html_cuts_between_words_and_closes_tags() -> None:
    html = "<p>Alpha beta <strong>gamma delta epsilon</strong> zeta</p><p>eta theta</p>"
    assert trim_html(html, 20) == "<p>Alpha beta <strong>gamma…</strong></p>"


def test_trim_html_counts_entities_as_one_character() -> None:
    html = "<p>R&amp;D &amp; more text here</p>"
    assert trim_html(html, 9) == "<p>R&amp;D &amp;…</p>"


def test_trim_html_inside_a_link_keeps_it_working() -> None:
    html = '<p>See <a href="https://x.example/a" rel="noopener">the long link text</a> now</p>'
    assert trim_html(html, 13) == (
        '<p>See <a href="https://x.example/a" rel="noopener noreferrer nofollow">the long…</a></p>'
    )


def test_trim_html_leaves_short_html_alone() -> None:
    html = '<p>Short <em>enough</em> <img src="https://x.example/i.png" alt="i"></p>'
    assert trim_html(html, 1000) == html


def test_trim_html_long_text_respects_the_limit() -> None:
    html = "<p>" + " ".join(f"word{i}" for i in range(1000)) + "</p>"
    trimmed = trim_html(html, 1000)
    text = plain_text(trimmed)
    assert 900 < len(text) <= 1000
    assert text.endswith("…")
    assert re.fullmatch(r"<p>[^<>]*…</p>", trimmed)


def test_trim_html_handles_a_gt_sign_inside_an_attribute() -> None:
    html = '<p><a href="https://x.example/" title="a>b">link text goes on</a> tail</p>'
    assert trim_html(html, 9) == (
        '<p><a href="https://x.example/" title="a&gt;b" rel="noopener noreferrer nofollow">'
        "link…</a></p>"
    )
