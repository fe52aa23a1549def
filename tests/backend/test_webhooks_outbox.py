"""Issue 19, a cheaper outbox: ``collect`` fills the outbox from the index in rounds of a few
statements (which ids it has, the new events, their deliveries) instead of two per event, so
it holds the write lock intake waits for briefly; the events, their order, who hears them and
the re-scan's idempotence stay as they were. On SQLite and PostgreSQL."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.backend.indexer_support import database_url, postgres_server_url
from tests.backend.webhook_support import CHAIN_ID, OTHER, T0, TOKEN, index, register
from tongdui.core.db import make_engine, migrate, session_factory, transaction
from tongdui.indexer.models import Event
from tongdui.webhooks.delivery import Deliverer
from tongdui.webhooks.models import WebhookCursor, WebhookDelivery, WebhookEvent
from tongdui.webhooks.outbox import event_id, notices

URL = "http://127.0.0.1:9/hooks"  # never called: these tests only collect


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    migrate(database_url)
    engine = make_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


@contextmanager
def counted(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    """The SQL statements sent to the database meanwhile (an executemany counts once)."""
    engine = sessions.kw["bind"]
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def chain_order(sessions: sessionmaker[Session]) -> list[str]:
    """The outbox's event ids as the old one-event-at-a-time loop numbered them: by block,
    log index, then the log's notices in turn."""
    with sessions() as session:
        rows = session.scalars(select(Event).order_by(Event.block_number, Event.log_index))
        return [
            event_id(CHAIN_ID, row.block_hash, row.tx_hash, row.log_index, notice.kind)
            for row in rows
            for notice in notices(row)
        ]


def outbox(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(WebhookEvent.event_id).order_by(WebhookEvent.seq)))


def heard(sessions: sessionmaker[Session], endpoint_id: int) -> list[tuple[str, str, int]]:
    with sessions() as session:
        return [
            (row.kind, row.merchant_token, row.block_number)
            for row in session.execute(
                select(WebhookEvent.kind, WebhookEvent.merchant_token, WebhookEvent.block_number)
                .join(WebhookDelivery, WebhookDelivery.event_seq == WebhookEvent.seq)
                .where(WebhookDelivery.endpoint_id == endpoint_id)
                .order_by(WebhookEvent.seq)
            )
        ]


def test_the_outbox_collects_a_block_of_events_in_a_few_statements(
    sessions: sessionmaker[Session],
) -> None:
    """300 logs (150 issuances, 150 swaps into TOKEN: 450 outbox events, 300 of them heard):
    the old loop sent two statements per event, 900 in all, while holding the write lock."""
    endpoint_id, _ = register(sessions, URL, "points.issued", "swap.in")
    index(sessions, 1, *(["Issued", "Swapped"] * 150))
    deliverer = Deliverer(sessions, CHAIN_ID)
    with counted(sessions) as statements:
        added = deliverer.collect(T0)
    assert added == 450
    assert len(statements) < 20
    assert outbox(sessions) == chain_order(sessions)  # seq follows block, log index, notice
    assert len(heard(sessions, endpoint_id)) == 300
    with counted(sessions) as statements:
        assert deliverer.collect(T0 + 1) == 0  # a second pass adds nothing
    assert len(statements) < 20
    with transaction(sessions) as session:  # the outbox forgets how far it read
        session.execute(delete(WebhookCursor))
    with counted(sessions) as statements:
        assert deliverer.collect(T0 + 2) == 0  # a re-scan finds every id it has
    assert len(statements) < 20
    assert outbox(sessions) == chain_order(sessions)
    assert len(heard(sessions, endpoint_id)) == 300


def test_a_backlog_longer_than_a_round_keeps_chain_order_and_who_hears_what(
    sessions: sessionmaker[Session],
) -> None:
    """More logs than one round, over an endpoint registered before them and one
    registered after the first block that hears only swaps in: each hears what it subscribed
    to from above its ``from_block``, and the whole outbox is in chain order."""
    logs = 260  # per block: 780 logs in all, more than a round of ``outbox.CHUNK`` (500)
    early, _ = register(sessions, URL, "points.issued", "swap.in", "swap.out")
    index(sessions, 1, *(["Swapped", "Issued"] * (logs // 2)))
    late, _ = register(sessions, URL, "swap.in")
    index(sessions, 2, *(["Issued", "Swapped"] * (logs // 2)))
    index(sessions, 3, *(["Swapped"] * logs))
    swaps = logs // 2 * 2 + logs  # each makes a swap.out for OTHER and a swap.in for TOKEN
    assert Deliverer(sessions, CHAIN_ID).collect(T0) == 3 * logs + swaps
    assert outbox(sessions) == chain_order(sessions)
    swaps_in = [("swap.in", TOKEN, 1)] * (logs // 2)
    swaps_in += [("swap.in", TOKEN, 2)] * (logs // 2) + [("swap.in", TOKEN, 3)] * logs
    assert heard(sessions, late) == swaps_in[logs // 2 :]  # none of block 1
    # OTHER's swap.out events are made (the outbox holds every watched log) but TOKEN's
    # endpoints do not hear them
    with sessions() as session:
        others = session.scalar(
            select(func.count())
            .select_from(WebhookEvent)
            .where(WebhookEvent.merchant_token == OTHER, WebhookEvent.kind == "swap.out")
        )
    assert others == swaps
    assert [kind for kind, _, _ in heard(sessions, early)].count("points.issued") == logs
    assert len(heard(sessions, early)) == logs + len(swaps_in)
