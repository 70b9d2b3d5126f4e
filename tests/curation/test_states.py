from __future__ import annotations

import uuid
from itertools import product

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from advocacy.curation import states
from advocacy.errors import Forbidden, IllegalTransition, ValidationError
from advocacy.models import AuditEntry, Post, PostStatus, Role, User
from tests.curation.conftest import NOW

ALL = list(PostStatus)


def _actor(session, role: Role) -> User:
    email = f"{role.value}-{uuid.uuid4().hex[:12]}@x.test"
    user = User(email=email, name=role.value, role=role.value)
    session.add(user)
    session.flush()
    return user


@pytest.mark.parametrize(("start", "end"), list(product(ALL, ALL)))
def test_every_transition_is_either_legal_or_refused_with_a_message(session, make_post, start, end):
    post = make_post(start)
    manager = _actor(session, Role.MANAGER)
    actor = None if end == PostStatus.EXPIRED else manager
    legal = (start, end) in states.LEGAL
    if legal:
        states.transition(session, actor, post, end, NOW, reason="because")
        session.commit()
        assert post.status == end.value
        entry = session.scalars(select(AuditEntry).where(AuditEntry.subject_id == post.id)).one()
        assert (entry.detail["from"], entry.detail["to"]) == (start.value, end.value)
        assert entry.actor_id == (actor.id if actor else None)
    else:
        with pytest.raises(IllegalTransition) as refused:
            states.transition(session, actor, post, end, NOW, reason="because")
        assert start.value in refused.value.message and end.value in refused.value.message
        session.rollback()
        assert session.get(Post, post.id).status == start.value


def test_a_manager_cannot_expire_a_post_by_hand(session, make_post):
    post = make_post(PostStatus.APPROVED)
    with pytest.raises(IllegalTransition):
        states.transition(session, _actor(session, Role.MANAGER), post, PostStatus.EXPIRED, NOW)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADER])
def test_employees_and_leaders_cannot_change_states(session, make_post, role):
    post = make_post()
    with pytest.raises(Forbidden):
        states.approve(session, _actor(session, role), post, NOW)
    assert post.status == "pending"


def test_rejecting_needs_a_reason(session, make_post):
    post = make_post()
    with pytest.raises(ValidationError):
        states.reject(session, _actor(session, Role.MANAGER), post, "   ", NOW)
    assert post.status == "pending"


def test_expire_job_only_touches_approved_posts_past_their_window(session, make_post):
    from datetime import timedelta

    past = make_post(PostStatus.APPROVED, expires_at=NOW - timedelta(minutes=1))
    future = make_post(PostStatus.APPROVED, expires_at=NOW + timedelta(minutes=1))
    pending = make_post(PostStatus.PENDING, expires_at=NOW - timedelta(days=1))
    assert states.expire_due_posts(session, NOW) == 1
    assert states.expire_due_posts(session, NOW) == 0  # safe to run twice
    assert (past.status, future.status, pending.status) == ("expired", "approved", "pending")


ACTIONS = ["approve", "reject", "archive", "expire"]
ROLES = [Role.EMPLOYEE, Role.MANAGER, Role.LEADER, Role.ADMIN, None]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ROLES)), max_size=8))
def test_random_actions_by_random_roles_never_reach_an_invalid_state(session, make_post, steps):
    post = make_post()
    actors = {role: _actor(session, role) if role else None for role in ROLES}
    session.commit()
    history = [post.status]
    for action, role in steps:
        actor = actors[role]
        before = post.status
        audits_before = len(session.scalars(select(AuditEntry.id)).all())
        try:
            if action == "expire":
                states.transition(session, actor, post, PostStatus.EXPIRED, NOW)
            elif action == "reject":
                states.reject(session, actor, post, "not for us", NOW)
            else:
                getattr(states, action)(session, actor, post, NOW)
            session.commit()
        except (IllegalTransition, Forbidden):
            session.rollback()
            assert post.status == before
            continue
        assert (PostStatus(before), PostStatus(post.status)) in states.LEGAL
        assert role in (Role.MANAGER, Role.ADMIN, None)
        assert len(session.scalars(select(AuditEntry.id)).all()) == audits_before + 1
        history.append(post.status)
    assert post.status in {s.value for s in PostStatus}
    for terminal in ("rejected", "archived", "expired"):
        if terminal in history:
            assert history[-1] == terminal  # nothing leaves a terminal state
