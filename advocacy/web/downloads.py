"""Files offered for download (OPML now, CSV exports later), the same way everywhere."""

from __future__ import annotations

from flask import Response


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
