"""Webhooks in parallel: a slow receiver holds one worker while the other endpoints are
delivered to, each endpoint still hears its events in order, and two deliverers on one
database never send to one endpoint at once (the endpoint's lease). On SQLite and PostgreSQL
(several deliverers share a database only on PostgreSQL in practice)."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from tests.backend.indexer_support import database_url, postgres_server_url
from tests.backend.webhook_support import CHAIN_ID, T0, TOKEN, Receiver, index, register
from tongdui.core.db import make_engine, migrate, session_factory, transaction
from tongdui.webhooks.delivery import Deliverer, pending_count
from tongdui.webhooks.models import WebhookEndpoint, WebhookEvent


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate(database_url)
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made = [Receiver() for _ in range(4)]
    yield made
    for receiver in made:
        receiver.down()


@contextmanager
def running(deliverer: Deliverer) -> Iterator[None]:
    """The deliverer's own loop (``run``) on the real clock, in a thread, as ``tongdui up``."""
    stop = threading.Event()
    thread = threading.Thread(target=deliverer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.01)


def expected_ids(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(
                select(WebhookEvent.event_id)
                .where(WebhookEvent.merchant_token == TOKEN, WebhookEvent.kind == "points.issued")
                .order_by(WebhookEvent.seq)
            )
        )


def test_a_slow_endpoint_does_not_delay_a_fast_endpoints_deliveries(
    sessions: sessionmaker[Session], receivers: list[Receiver]
) -> None:
    slow, fast = receivers[:2]
    slow.delay = 1.5  # each answer just inside the deliverer's 2 s timeout
    register(sessions, slow.url)  # the slow one first: a serial pass would serve it first
    register(sessions, fast.url)
    index(sessions, 1, "Issued", "Issued", "Issued")
    deliverer = Deliverer(sessions, CHAIN_ID, poll_seconds=0.05, timeout=2.0)
    with running(deliverer):
        wait_until(lambda: len(fast.received) == 3, 4, "the fast endpoint's first three")
        assert len(slow.received) <= 2  # 1.5 s each: still on its backlog
        index(sessions, 2, "Issued")  # while the slow endpoint's job still runs
        wait_until(lambda: len(fast.received) == 4, 3, "the fast endpoint's fourth")
        assert len(slow.received) < 4  # the loop did not wait for the slow job to end
        wait_until(lambda: len(slow.received) == 4, 15, "the slow endpoint's four")
    expected = expected_ids(sessions)
    assert len(expected) == 4
    assert fast.event_ids() == slow.event_ids() == expected


def test_each_endpoint_hears_its_events_in_order_and_one_at_a_time_under_two_deliverers(
    sessions: sessionmaker[Session], receivers: list[Receiver]
) -> None:
    """Two deliverers (as two processes on one database) of four workers each, over four
    endpoints whose receivers answer after random delays, while new blocks keep coming."""
    rng = random.Random(18)
    for receiver in receivers:
        register(sessions, receiver.url)
        receiver.delay = 0.01
    first = Deliverer(sessions, CHAIN_ID, poll_seconds=0.02, workers=4, name="first")
    second = Deliverer(sessions, CHAIN_ID, poll_seconds=0.02, workers=4, name="second")
    with running(first), running(second):
        for number in range(1, 11):
            for receiver in receivers:
                receiver.delay = rng.uniform(0, 0.03)
            index(sessions, number, "Issued", "Issued", "Issued")
            time.sleep(rng.uniform(0, 0.1))

        def drained() -> bool:
            with sessions() as session:
                return pending_count(session) == 0

        wait_until(drained, 60, "every delivery made")
    expected = expected_ids(sessions)
    assert len(expected) == 30
    for receiver in receivers:
        assert receiver.event_ids() == expected  # each once, in chain order
        assert receiver.max_in_flight == 1  # never two requests to one endpoint at once
    with sessions() as session:
        leases = session.scalars(select(WebhookEndpoint.lease_owner)).all()
    assert leases == [None] * 4  # every job gave its lease back


def test_an_endpoint_leased_by_a_live_worker_is_left_alone_and_a_dead_workers_lease_expires(
    sessions: sessionmaker[Session], receivers: list[Receiver]
) -> None:
    receiver = receivers[0]
    endpoint_id, _ = register(sessions, receiver.url)
    index(sessions, 1, "Issued")
    with transaction(sessions) as session:  # another process is delivering to it
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id)
            .values(lease_owner="elsewhere:1:live", lease_until=time.time() + 60)
        )
    deliverer = Deliverer(sessions, CHAIN_ID)
    assert deliverer.run_once(T0) == 0
    assert deliverer.deliver_endpoint(endpoint_id, T0) == 0  # asked directly, it still waits
    assert receiver.received == []
    with transaction(sessions) as session:  # that process died: its lease runs out
        session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id)
            .values(lease_until=time.time() - 1)
        )
    assert deliverer.run_once(T0 + 1) == 1
    assert receiver.event_ids() == expected_ids(sessions)
    with sessions() as session:
        endpoint = session.get_one(WebhookEndpoint, endpoint_id)
        assert (endpoint.lease_owner, endpoint.lease_until) == (None, None)
