from __future__ import annotations

import io
import json
import logging

import pytest

from advocacy import logs
from advocacy.models import Role
from tests.conftest import PASSWORD, sign_in


@pytest.fixture
def json_lines():
    """Capture what the JSON formatter writes, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_one_json_line_per_request_with_its_fields(client, json_lines):
    client.get("/healthz", headers={"X-Request-ID": "req-12345678"})
    lines = [line for line in json_lines() if line["logger"] == "advocacy.request"]
    assert len(lines) == 1
    line = lines[0]
    assert (line["method"], line["path"], line["status"], line["request_id"]) == (
        "GET",
        "/healthz",
        200,
        "req-12345678",
    )
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_no_password_token_or_query_string_reaches_the_logs(app, factory, json_lines):
    user = factory.user(Role.ADMIN)
    token = factory.token(user)
    client = app.test_client()
    sign_in(client, user.email, PASSWORD)
    sign_in(app.test_client(), user.email, "wrong-secret-guess")
    app.test_client().get("/api/v1/me?token=leaky", headers={"Authorization": f"Bearer {token}"})
    text = json.dumps(json_lines())
    for secret in (PASSWORD, "wrong-secret-guess", token, token[4:], "leaky", "secret-key"):
        assert secret not in text
    assert '"/api/v1/me"' in text


def test_one_line_per_job_with_name_outcome_and_duration(app, json_lines):
    from advocacy.jobs import job

    @job
    def failing_job() -> None:
        raise ValueError("boom")

    @job
    def fine_job() -> int:
        return 3

    with app.app_context():
        assert fine_job() == 3
        with pytest.raises(ValueError):
            failing_job()
    lines = [line for line in json_lines() if line["logger"] == "advocacy.job"]
    assert [(line["job"], line["outcome"]) for line in lines] == [
        ("fine_job", "ok"),
        ("failing_job", "failed"),
    ]
    assert all(line["duration_ms"] >= 0 for line in lines)
