from __future__ import annotations

import dataclasses

from advocacy import create_app
from advocacy.embedded_redis import EmbeddedRedis


def test_healthz_names_redis_while_it_is_down_and_recovers(tmp_path, settings):
    server = EmbeddedRedis(tmp_path / "own-redis", persist=False, echo=False).start()
    app = create_app(dataclasses.replace(settings, redis_url=server.url))
    client = app.test_client()
    try:
        assert client.get("/healthz").status_code == 200
        server.stop()
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "error" and body["db"] == "ok"
        assert body["redis"].startswith("error")
        server.start()
        response = client.get("/healthz")
        assert response.status_code == 200 and response.get_json()["redis"] == "ok"
    finally:
        server.stop()


def test_healthz_names_the_database_when_it_is_unreachable(settings):
    broken = dataclasses.replace(settings, database_url="sqlite:////nonexistent/dir/x.db")
    response = create_app(broken).test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["db"].startswith("error") and body["redis"] == "ok"


def test_healthz_reports_whether_the_worker_ran_the_heartbeat(app, client):
    from rq import SimpleWorker

    from advocacy.jobs import queue, record_heartbeat

    assert client.get("/healthz").get_json()["jobs"] == "waiting"
    redis = app.extensions["redis"]
    queue(redis).enqueue(record_heartbeat)
    with app.app_context():
        SimpleWorker([queue(redis)], connection=redis).work(burst=True)
    assert client.get("/healthz").get_json()["jobs"] == "ok"
