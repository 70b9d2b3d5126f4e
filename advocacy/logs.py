"""Logging: one line per request and per job, as text or JSON lines (``LOG_FORMAT``).

Only method, path (never the query string), status, duration and ids are logged: no
header, body, token or password ever reaches a log line from here.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, request
from werkzeug.wrappers import Response

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None)))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


def configure(log_format: str, level: str) -> None:
    """Install one handler on the root logger; calling it again replaces it."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_advocacy", False):
            root.removeHandler(old)
    handler._advocacy = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every URL it fetches, query string included: feed URLs may carry tokens.
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.WARNING)


request_log = logging.getLogger("advocacy.request")
job_log = logging.getLogger("advocacy.job")


def _start_request() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
    response.headers["X-Request-ID"] = g.get("request_id", "")
    request_log.info(
        "%s %s %s %sms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "request_id": g.get("request_id"),
        },
    )
    return response


def log_job(name: str, outcome: str, duration_ms: float, **extra: Any) -> None:
    job_log.info(
        "job %s %s %.1fms",
        name,
        outcome,
        duration_ms,
        extra={"job": name, "outcome": outcome, "duration_ms": round(duration_ms, 2), **extra},
    )


def init_app(app: Flask) -> None:
    app.before_request(_start_request)
    app.after_request(_finish_request)
