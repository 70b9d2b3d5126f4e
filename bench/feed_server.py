"""The feeds the benchmark refreshes, served by a process of their own.

``python -m bench.feed_server`` binds an ephemeral port on every local address (so that
127.0.0.1 ... 127.0.4.250, one address per feed, all reach it), prints the port and serves:

- ``GET /feeds/<n>.xml``: an RSS feed. Odd-numbered feeds *change*: each ``POST /publish``
  adds 20 new items to every one of them. Even-numbered feeds never change. Every feed
  answers 304 to an ``If-None-Match`` naming its current ETag.
- ``POST /publish``: the changing feeds publish 20 new items each.
- ``GET /stats``: requests answered so far, by status, as JSON.

Its CPU is spent in this process, never in the worker processes being measured.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FIRST_ITEMS = 10
NEW_ITEMS = 20
SHOWN_ITEMS = 30
_EPOCH = 1_700_000_000


def is_changing(n: int) -> bool:
    return n % 2 == 1


@functools.lru_cache(maxsize=4096)
def render(n: int, version: int) -> bytes:
    """Feed ``n`` at ``version``: the newest items, FIRST_ITEMS + NEW_ITEMS per later version."""
    total = FIRST_ITEMS + NEW_ITEMS * (version - 1)
    items = "".join(_item(n, k) for k in range(total - 1, max(total - SHOWN_ITEMS, 0) - 1, -1))
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Newsroom {n}</title><link>https://news{n}.example/</link>"
        f"<description>Company news, feed {n}</description>{items}</channel></rss>"
    ).encode()


def _item(n: int, k: int) -> str:
    link = f"https://news{n}.example/posts/{k}?utm_source=rss&amp;utm_medium=feed"
    summary = (
        f"&lt;p&gt;Item {k} of newsroom {n}: our teams shipped something worth sharing, "
        "and here is a paragraph long enough to look like a real summary, with "
        f"&lt;a href=&quot;https://news{n}.example/posts/{k}&quot;&gt;a link&lt;/a&gt;, "
        "&lt;strong&gt;some emphasis&lt;/strong&gt; and an image "
        f"&lt;img src=&quot;https://cdn.example/{n}/{k}.jpg&quot; alt=&quot;&quot;&gt;.&lt;/p&gt;"
    )
    return (
        f"<item><guid isPermaLink='false'>feed-{n}-item-{k}</guid>"
        f"<title>Announcement {k} from newsroom {n}</title><link>{link}</link>"
        f"<pubDate>{formatdate(_EPOCH + k * 3600, usegmt=True)}</pubDate>"
        f"<author>comms{n}@news.example (Comms {n})</author>"
        f"<description>{summary}</description></item>"
    )


class FeedState:
    def __init__(self) -> None:
        self.published = 1
        self.answered: Counter[int] = Counter()
        self.lock = threading.Lock()

    def version_of(self, n: int) -> int:
        return self.published if is_changing(n) else 1


class FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FeedServer

    def do_GET(self) -> None:
        state = self.server.state
        if self.path == "/stats":
            with state.lock:
                stats = json.dumps(state.answered).encode()
            self._answer(200, stats, "application/json")
            return
        name = self.path.removeprefix("/feeds/").removesuffix(".xml")
        if not (self.path.startswith("/feeds/") and name.isdigit()):
            self._answer(404, b"no such feed", "text/plain")
            return
        n = int(name)
        version = state.version_of(n)
        etag = f'"{n}-{version}"'
        status = 304 if self.headers.get("If-None-Match") == etag else 200
        with state.lock:
            state.answered[status] += 1
        if status == 304:
            self._answer(304, b"", None, etag)
        else:
            self._answer(200, render(n, version), "application/rss+xml", etag)

    def do_POST(self) -> None:
        if self.path != "/publish":
            self._answer(404, b"", "text/plain")
            return
        with self.server.state.lock:
            self.server.state.published += 1
        self._answer(204, b"", None)

    def _answer(
        self, status: int, body: bytes, content_type: str | None, etag: str | None = None
    ) -> None:
        self.send_response(status)
        if etag:
            self.send_header("ETag", etag)
        if content_type:
            self.send_header("Content-Type", content_type)
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # a line per request would cost more than the answer


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def __init__(self) -> None:
        # Every local address, not only 127.0.0.1: each feed has its own loopback address so
        # that the per-host cap of claim_due_feeds does not throttle the benchmark.
        super().__init__(("0.0.0.0", 0), FeedHandler)
        self.state = FeedState()


def main() -> None:
    server = FeedServer()
    print(server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
