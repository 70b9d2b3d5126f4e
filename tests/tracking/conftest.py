"""Fixtures shared by the tracking tests."""

from __future__ import annotations

import pytest

from advocacy.db import db
from advocacy.models import ShareLink
from advocacy.tracking import summaries


@pytest.fixture
def links(app, factory, sharer, approved_post):
    """Two share links, as the redirect knows them."""
    with app.app_context():
        post = approved_post()
        made = []
        for n, network in enumerate(("linkedin", "x")):
            link = ShareLink(
                code=f"Code000{n}",
                user_id=sharer.id,
                post_id=post.id,
                network=network,
                target_url=post.url,
            )
            db.session.add(link)
            db.session.flush()
            summaries.add_share(db.session, link.id)  # as sharing does
            db.session.commit()
            made.append(link)
        return made
