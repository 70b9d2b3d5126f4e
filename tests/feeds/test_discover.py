from collections.abc import Callable

from advocacy.feeds.discover import discover_feed_links


def test_page_advertising_feeds(feed_file: Callable[[str], bytes]) -> None:
    links = discover_feed_links(feed_file("page.html"), "https://www.example.com/blog/")
    assert links == [
        "https://www.example.com/feed.xml",
        "https://cdn.example.com/atom.xml",
        "https://www.example.com/blog/feed.json",
    ]


def test_base_element_changes_the_resolution() -> None:
    html = (
        b'<html><head><base href="https://static.example.net/site/">'
        b'<link rel="alternate" type="application/json" href="feed.json">'
        b"</head></html>"
    )
    assert discover_feed_links(html, "https://www.example.com/") == [
        "https://static.example.net/site/feed.json"
    ]


def test_self_closing_links_and_multiple_rel_tokens_are_found() -> None:
    html = (
        b'<link rel="home alternate" type="application/atom+xml" href="/a.atom" />'
        b'<link rel="alternative" type="application/rss+xml" href="/not-alternate.xml">'
        b'<link rel="alternate" type="text/html" href="/other-language">'
        b'<link rel="alternate" href="/no-type.xml">'
    )
    assert discover_feed_links(html, "http://site.example/") == ["http://site.example/a.atom"]


def test_page_without_feeds_gives_an_empty_list() -> None:
    html = b"<html><head><title>Nothing</title></head><body><p>Hi</p></body></html>"
    assert discover_feed_links(html, "https://www.example.com/") == []


def test_undecodable_bytes_do_not_break_discovery() -> None:
    html = b'<title>caf\xe9</title><link rel=alternate type=application/rss+xml href="/rss">'
    assert discover_feed_links(html, "https://fr.example.com/") == ["https://fr.example.com/rss"]
