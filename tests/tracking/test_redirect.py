from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, func, select

from advocacy import create_app
from advocacy.curation import states
from advocacy.db import db
from advocacy.embedded_redis import EmbeddedRedis
from advocacy.models import Post, SpooledClick, User, utcnow
from advocacy.tracking.redirect import STREAM
from advocacy.tracking.spool import drain_spooled_clicks
from tests.api.test_api_basics import bearer

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15"


def _share(client, token: str, post_id: int, network: str = "linkedin") -> str:
    response = client.post(
        f"/api/v1/posts/{post_id}/shares", json={"network": network}, headers=bearer(token)
    )
    return response.get_json()["code"]


def _clicks(redis) -> list[dict[str, str]]:
    return [
        {k.decode(): v.decode() for k, v in fields.items()} for _id, fields in redis.xrange(STREAM)
    ]


def test_redirect_goes_to_the_exact_target_and_records_the_click(
    client, redis, factory, sharer, approved_post
):
    post = approved_post("https://blog.example.com/launch?lang=en&utm_source=mail#intro")
    code = _share(client, factory.token(sharer), post.id)
    response = client.get(
        f"/s/{code}",
        headers={"User-Agent": BROWSER, "Referer": "https://www.linkedin.com/feed/"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert (target.scheme, target.netloc, target.path, target.fragment) == (
        "https",
        "blog.example.com",
        "/launch",
        "intro",
    )
    query = parse_qs(target.query)
    assert query == {
        "lang": ["en"],
        "utm_source": ["mail"],
        "utm_medium": ["employee_advocacy"],
        "utm_campaign": ["big-launch"],
        "utm_content": ["field-sales"],
    }
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    (click,) = _clicks(redis)
    assert (click["code"], click["ua"], click["ref"]) == (code, BROWSER, "www.linkedin.com")
    assert (
        len(click["visitor"]) == 32 and abs(int(click["ts"]) - utcnow().timestamp() * 1000) < 5000
    )
    raw = repr(redis.xrange(STREAM)) + repr(
        [redis.get(k) for k in redis.keys("*") if redis.type(k) == b"string"]
    )
    assert "203.0.113.9" not in raw  # no raw address anywhere in Redis


def test_the_same_visitor_hashes_alike_and_another_differently(
    client, redis, factory, sharer, approved_post
):
    code = _share(client, factory.token(sharer), approved_post().id)
    for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        client.get(
            f"/s/{code}", headers={"User-Agent": BROWSER}, environ_base={"REMOTE_ADDR": address}
        )
    first, second, third = (c["visitor"] for c in _clicks(redis))
    assert first == second != third


def test_unknown_codes_are_a_friendly_404_and_head_is_never_counted(
    client, redis, factory, sharer, approved_post
):
    for code in ("Nope1234", "x", "has-dash!"):
        response = client.get(f"/s/{code}")
        assert response.status_code == 404 and "does not exist" in response.text
    code = _share(client, factory.token(sharer), approved_post().id)
    head = client.head(f"/s/{code}")
    assert head.status_code == 302 and head.headers["Location"].startswith("https://blog.")
    assert _clicks(redis) == []


def test_expired_and_archived_posts_keep_redirecting_and_counting(
    app, client, redis, factory, sharer, approved_post
):
    token = factory.token(sharer)
    archived, expired = approved_post(), approved_post()
    codes = [_share(client, token, archived.id), _share(client, token, expired.id)]
    with app.app_context():
        states.archive(db.session, None, db.session.get(Post, archived.id), utcnow())
        db.session.get(Post, expired.id).expires_at = utcnow()
        db.session.commit()
        states.expire_due_posts(db.session, utcnow())
    redis.delete(*redis.keys("advocacy:link:*"))  # cold cache: the database answers
    for code in codes:
        assert client.get(f"/s/{code}").status_code == 302
    assert [c["code"] for c in _clicks(redis)] == codes


def test_a_taken_down_post_answers_410_and_counts_nothing(
    app, client, redis, factory, sharer, approved_post
):
    post = approved_post()
    code = _share(client, factory.token(sharer), post.id)
    manager = factory.user("manager")
    from tests.conftest import csrf_from, sign_in

    browser = app.test_client()
    sign_in(browser, manager.email)
    page = browser.get(f"/posts/{post.id}")
    response = browser.post(
        f"/posts/{post.id}/takedown",
        data={"csrf_token": csrf_from(page.text), "reason": "Court order"},
    )
    assert response.status_code == 302
    for _ in range(2):  # from the cache, then from the database once the cache is gone
        response = client.get(f"/s/{code}")
        assert response.status_code == 410 and "taken down" in response.text
        redis.delete(*redis.keys("advocacy:link:*"))
    assert _clicks(redis) == []
    with app.app_context():
        sharer_row = db.session.get(User, sharer.id)
        from advocacy.curation.visibility import visible_post

        assert visible_post(db.session, sharer_row, post.id, utcnow()) is None


def test_a_cache_hit_runs_no_sql(app, client, redis, factory, sharer, approved_post):
    code = _share(client, factory.token(sharer), approved_post().id)
    client.get(f"/s/{code}")  # warm
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(f"/s/{code}").status_code == 302
        assert statements == []
        redis.delete(*redis.keys("advocacy:link:*"))
        assert client.get(f"/s/{code}").status_code == 302
        assert len(statements) == 1  # a miss: one query, then cached again
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(_clicks(redis)) == 3


def test_with_redis_stopped_redirects_still_work_and_no_click_is_lost(
    tmp_path, settings, factory, sharer, approved_post
):
    server = EmbeddedRedis(tmp_path / "redis", persist=False, echo=False).start()
    app = create_app(dataclasses.replace(settings, redis_url=server.url))
    client = app.test_client()
    try:
        token = factory.token(sharer)
        codes = [_share(client, token, approved_post().id) for _ in range(3)]
        client.get(f"/s/{codes[0]}")  # one click while Redis is up
        server.stop()
        for code in codes * 2:
            response = client.get(f"/s/{code}", headers={"User-Agent": BROWSER})
            assert response.status_code == 302
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(SpooledClick)) == 6
        server.start()
        redis = app.extensions["redis"]
        assert _clicks(redis) == []  # a fresh, empty server (no persistence in this test)
        with app.app_context():
            assert drain_spooled_clicks(db.session, redis) == 6
            assert drain_spooled_clicks(db.session, redis) == 0  # exactly once
            assert db.session.scalar(select(func.count()).select_from(SpooledClick)) == 0
        moved = _clicks(redis)
        assert sorted(c["code"] for c in moved) == sorted(codes * 2)
        assert len({c["spool"] for c in moved}) == 6
        assert all(c["ua"] == BROWSER and len(c["visitor"]) == 32 for c in moved)
    finally:
        server.stop()


@pytest.mark.parametrize("network", ["linkedin", "x", "facebook", "email", "copy"])
def test_sharing_without_javascript_goes_to_the_network(
    app, factory, sharer, approved_post, network
):
    from tests.conftest import csrf_from, sign_in

    post = approved_post()
    browser = app.test_client()
    sign_in(browser, sharer.email)
    page = browser.get("/feed/")
    assert "Big Launch!" in page.text
    response = browser.post(
        f"/share/{post.id}/{network}", data={"csrf_token": csrf_from(page.text)}
    )
    if network == "copy":
        assert response.status_code == 200 and "http://go.test/s/" in response.text
    else:
        assert response.status_code == 303
        prefix = {
            "linkedin": "https://www.linkedin.com/",
            "x": "https://twitter.com/intent/",
            "facebook": "https://www.facebook.com/sharer/",
            "email": "mailto:",
        }[network]
        assert response.headers["Location"].startswith(prefix)
    assert "Big Launch!" in browser.get("/me/shares").text
