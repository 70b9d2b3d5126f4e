from __future__ import annotations

from datetime import timedelta

from advocacy.db import db
from advocacy.models import Role, SpooledClick, utcnow
from advocacy.tracking.aggregate import aggregate_pending_clicks
from advocacy.tracking.redirect import STREAM
from tests.conftest import sign_in
from tests.tracking.test_aggregate import push


def test_healthz_and_the_admin_page_show_the_counting_lag(app, client, redis, factory, links):
    earlier = int((utcnow() - timedelta(seconds=90)).timestamp() * 1000)
    fields = {"code": links[0].code, "ts": str(earlier), "visitor": "v1", "ua": "", "ref": ""}
    redis.xadd(STREAM, fields, id=f"{earlier}-0")  # waiting for 90 seconds
    push(redis, links[0].code, utcnow(), "v2")
    with app.app_context():
        db.session.add(SpooledClick(code=links[0].code, at_ms=0, visitor="v3"))
        db.session.commit()
    clicks = client.get("/healthz").get_json()["clicks"]
    assert (clicks["waiting"], clicks["spooled"]) == (2, 1)
    assert 85 <= clicks["oldest_age_seconds"] < 120
    admin = app.test_client()
    sign_in(admin, factory.user(Role.ADMIN).email)
    page = admin.get("/admin/clicks/").text
    assert '<dd id="waiting">2</dd>' in page and '<dd id="spooled">1</dd>' in page
    with app.app_context():
        aggregate_pending_clicks(db.session, redis, "t")
    assert client.get("/healthz").get_json()["clicks"]["waiting"] == 0


def test_my_shares_shows_the_clicks_each_link_earned(app, redis, sharer, links):
    for visitor in ("a", "b", "c"):
        push(redis, links[0].code, utcnow(), visitor)
    with app.app_context():
        aggregate_pending_clicks(db.session, redis, "t")
    browser = app.test_client()
    sign_in(browser, sharer.email)
    page = browser.get("/me/shares").text
    assert f"/s/{links[0].code}</code></td><td>3</td>" in page.replace("\n", "").replace("  ", "")
    assert f"/s/{links[1].code}</code></td><td>0</td>" in page.replace("\n", "").replace("  ", "")
