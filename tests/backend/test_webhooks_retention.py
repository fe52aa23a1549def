"""Webhook retention: old succeeded deliveries and their attempts go, pending ones and the
reorg window stay, and no sweep lets a re-scan send an event that was already delivered."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tests.backend.webhook_support import CHAIN_ID, T0, TOKEN, Receiver, drain, index, register
from tongdui.cli import app
from tongdui.core.db import make_engine, migrate, session_factory, transaction
from tongdui.webhooks import retention
from tongdui.webhooks.delivery import Deliverer
from tongdui.webhooks.endpoints import list_deliveries
from tongdui.webhooks.models import WebhookAttempt, WebhookCursor, WebhookDelivery, WebhookEvent
from tongdui.webhooks.retention import sweep

DAY = 86_400.0


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'hooks.db'}"
    migrate(url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.down()


def states(sessions: sessionmaker[Session], endpoint_id: int) -> dict[int, str]:
    """Block number → delivery state of one endpoint's deliveries."""
    with sessions() as session:
        rows = session.execute(
            select(WebhookEvent.block_number, WebhookDelivery.state)
            .join(WebhookEvent, WebhookEvent.seq == WebhookDelivery.event_seq)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
        )
        return {int(number): state for number, state in rows}


def count(sessions: sessionmaker[Session], table: type[object]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_sweep_deletes_old_succeeded_deliveries_and_keeps_pending_ones_and_the_reorg_window(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    down = Receiver()
    down.status = 500
    try:
        up_id, _ = register(sessions, receiver.url)
        down_id, _ = register(sessions, down.url)
        for number in range(1, 7):
            index(sessions, number, "Issued")
        deliverer = Deliverer(sessions, CHAIN_ID, reorg_window=2)
        deliverer.run_once(T0)  # the first endpoint gets all six, the second none
    finally:
        down.down()
    assert states(sessions, up_id) == dict.fromkeys(range(1, 7), "succeeded")
    assert set(states(sessions, down_id).values()) == {"pending"}
    assert sweep(sessions, T0 + 29 * DAY, keep_days=30, reorg_window=2) == (0, 0)
    swept = sweep(sessions, T0 + 31 * DAY, keep_days=30, reorg_window=2)
    assert swept == (4, 4)  # blocks 1-4; 5 and 6 are within the reorg window of the cursor
    assert states(sessions, up_id) == dict.fromkeys((5, 6), "succeeded")
    assert states(sessions, down_id) == dict.fromkeys(range(1, 7), "pending")
    assert count(sessions, WebhookAttempt) == 2 + 1  # the kept two and the failed head's one
    assert count(sessions, WebhookEvent) == 6  # the ids stay: see the next test
    with sessions() as session:
        listed = list_deliveries(session, TOKEN, up_id)
    assert [len(d["attempts"]) for d in listed] == [1, 1]


def test_a_sweep_keeps_each_endpoints_newest_delivery(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    endpoint_id, _ = register(sessions, receiver.url)
    index(sessions, 1, "Issued", "Issued")
    index(sessions, 10)  # no events: the index moves on, block 1 leaves the reorg window
    deliverer = Deliverer(sessions, CHAIN_ID, reorg_window=2)
    drain(deliverer, T0)
    assert sweep(sessions, T0 + 31 * DAY, keep_days=30, reorg_window=2) == (1, 1)
    with sessions() as session:
        [kept] = list_deliveries(session, TOKEN, endpoint_id)
    assert (kept["id"], kept["state"]) == (2, "succeeded")


def test_a_sweep_then_a_rescan_from_a_lost_cursor_sends_no_delivered_event_again(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """Event ids come from chain coordinates: a re-scan of swept blocks finds the same ids,
    which the outbox still holds, so nothing is made or sent twice."""
    register(sessions, receiver.url)
    for number in range(1, 7):
        index(sessions, number, "Issued")
    deliverer = Deliverer(sessions, CHAIN_ID, reorg_window=2)
    drain(deliverer, T0)
    sent = receiver.event_ids()
    assert len(sent) == 6
    later = T0 + 31 * DAY
    deliverer.run_once(later)  # the loop's own hourly sweep
    assert count(sessions, WebhookDelivery) == 2
    with transaction(sessions) as session:  # the outbox forgets how far it read
        session.execute(delete(WebhookCursor))
    drain(deliverer, later + 60)
    index(sessions, 7, "Issued")
    drain(deliverer, later + 120)
    assert receiver.event_ids()[:6] == sent
    assert len(receiver.event_ids()) == len(set(receiver.event_ids())) == 7


def test_tongdui_webhooks_sweep_runs_the_sweep_on_the_data_folders_database(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TONGDUI_DB_URL", raising=False)
    data_dir = tmp_path / "data"
    url = f"sqlite:///{data_dir / 'tongdui.db'}"
    migrate(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    register(sessions, receiver.url)
    for number in range(1, 80):
        index(sessions, number, "Issued")
    drain(Deliverer(sessions, CHAIN_ID), time.time() - 40 * DAY)
    monkeypatch.setattr(retention, "SWEEP_BATCH", 4)  # 15 rows: four transactions
    runner = CliRunner()
    kept = runner.invoke(app, ["webhooks", "sweep", "--data-dir", str(data_dir), "--days", "60"])
    assert kept.exit_code == 0, kept.output
    assert "deleted 0 deliveries" in kept.output
    swept = runner.invoke(app, ["webhooks", "sweep", "--data-dir", str(data_dir)])
    assert swept.exit_code == 0, swept.output
    assert "deleted 15 deliveries and 15 attempts" in swept.output  # 30 days by default
    assert count(sessions, WebhookDelivery) == 79 - 15  # the default reorg window of 64 stays
    engine.dispose()
