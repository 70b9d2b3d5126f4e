"""The WSGI app the redirect benchmark serves: the real app, plus two baseline routes.

``gunicorn bench.redirect_app:app`` (or granian) serves the production app, ``wsgi.app``
(``create_app()`` from the environment, then ``gc.freeze()``), with two routes added here,
never in advocacy/:

- ``/b/bare/<code>``: a constant 302, what the app costs around any view (routing, the
  access check, request logging, security headers, the response itself);
- ``/b/xadd/<code>``: one XADD to the click stream, then the same 302: what recording a
  click costs at the least, in one round trip.

``/s/<code>`` itself is untouched. The baselines answer with the same target and headers,
so the three responses have the same size. Each process that imports this module pushes
its pid on a Redis list, so that the benchmark can wait for every server worker to have
built its app (BLPOP) instead of sleeping.
"""

from __future__ import annotations

import os
import time

from flask import redirect, request
from werkzeug.wrappers import Response

from advocacy.auth import ANYONE, allow
from advocacy.tracking.redirect import STREAM, STREAM_MAXLEN
from bench.redirect import READY_KEY, TARGET_ENV
from wsgi import app

_redis = app.extensions["redis"]
_target = os.environ.get(TARGET_ENV, "https://blog.example.com/")


def _answer() -> Response:
    response = redirect(_target, code=302)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


@allow(ANYONE)
def bare(code: str) -> Response:
    return _answer()


@allow(ANYONE)
def xadd_only(code: str) -> Response:
    fields = {
        "code": code,
        "ts": str(time.time_ns() // 1_000_000),
        "visitor": "0" * 32,
        "ua": request.headers.get("User-Agent", "")[:512],
        "ref": "",
    }
    _redis.xadd(STREAM, fields, maxlen=STREAM_MAXLEN, approximate=True)
    return _answer()


app.add_url_rule("/b/bare/<code>", "bench_bare", bare)
app.add_url_rule("/b/xadd/<code>", "bench_xadd", xadd_only)
_redis.rpush(READY_KEY, os.getpid())
