"""Webhooks: a receiver that was down gets every event exactly once, in order, when it
returns; forged and replayed signatures fail the documented check; a reorg that undoes an
event sends its reversal; a re-scan never makes a second event id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from tests.backend.webhook_support import (
    CHAIN_ID,
    T0,
    TOKEN,
    Receiver,
    drain,
    index,
    register,
    rewind,
)
from tongdui.core.db import make_engine, migrate, session_factory, transaction
from tongdui.webhooks.delivery import RETRY_WINDOW, Deliverer, replay
from tongdui.webhooks.endpoints import (
    ROTATION_GRACE,
    disable_endpoint,
    list_deliveries,
    rotate_secret,
)
from tongdui.webhooks.models import WebhookCursor, WebhookEvent
from tongdui.webhooks.verify import HEADER, SignatureError, verify


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


def test_a_receiver_down_for_an_hour_gets_every_event_exactly_once_in_order(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    endpoint_id, _ = register(sessions, receiver.url, "points.issued", "swap.in")
    deliverer = Deliverer(sessions, CHAIN_ID)
    receiver.down()
    for number in range(1, 6):
        index(sessions, number, "Issued", "Swapped")
    now = T0
    while now < T0 + 3600:  # an hour of passes against a closed port
        deliverer.run_once(now)
        now += 30
    assert receiver.received == []
    receiver.up()
    drain(deliverer, now)
    with sessions() as session:
        expected = list(
            session.scalars(
                select(WebhookEvent.event_id)
                .where(WebhookEvent.merchant_token == TOKEN)
                .order_by(WebhookEvent.seq)
            )
        )
        listed = list_deliveries(session, TOKEN, endpoint_id)
    assert len(expected) == 10
    assert receiver.event_ids() == expected  # every one, once, in chain order
    head = listed[-1]  # newest first: the last listed is the first event
    assert head["state"] == "succeeded"
    assert [a["status_code"] for a in head["attempts"][:-1]] == [None] * (len(head["attempts"]) - 1)
    assert "Connection refused" in str(head["attempts"][0]["error"])
    assert all(len(d["attempts"]) == 1 for d in listed[:-1])  # they waited behind the head


def test_the_next_delivery_waits_behind_a_failing_one_and_retries_back_off(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    endpoint_id, _ = register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued", "Issued")
    receiver.status = 500
    for offset in range(0, 600, 5):
        deliverer.run_once(T0 + offset)
    with sessions() as session:
        first, second = reversed(list_deliveries(session, TOKEN, endpoint_id))
    gaps = [b["at"] - a["at"] for a, b in pairwise(first["attempts"])]
    assert all(later >= earlier for earlier, later in pairwise(gaps))
    assert len(first["attempts"]) < 120 / 2  # not every pass: backed off
    assert {a["status_code"] for a in first["attempts"]} == {500}
    assert second["attempts"] == []


def test_a_rescan_of_the_same_blocks_makes_no_second_event_id(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued")
    drain(deliverer, T0)
    with transaction(sessions) as session:  # the outbox forgets how far it read
        session.execute(delete(WebhookCursor))
    drain(deliverer, T0 + 10)
    assert len(receiver.event_ids()) == 1


def test_a_genuine_delivery_verifies_and_a_forged_or_replayed_one_does_not(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    _, secret = register(sessions, receiver.url)
    index(sessions, 1, "Issued")
    deliverer = Deliverer(sessions, CHAIN_ID)
    deliverer.run_once(T0)
    [(headers, body)] = receiver.received
    header = headers[HEADER]
    assert verify(header, body, secret, now=T0 + 1) == int(T0)
    forged = body.replace(b'"amount":"100"', b'"amount":"900"')
    assert forged != body
    with pytest.raises(SignatureError, match="no v1 signature matches"):
        verify(header, forged, secret, now=T0 + 1)
    with pytest.raises(SignatureError, match="no v1 signature matches"):
        verify(header, body, "whsec_guessed", now=T0 + 1)
    with pytest.raises(SignatureError, match="outside the 300 s tolerance"):
        verify(header, body, secret, now=T0 + 301)  # the same request sent again later
    retimed = header.replace(f"t={int(T0)}", f"t={int(T0) + 300}")
    with pytest.raises(SignatureError, match="no v1 signature matches"):
        verify(retimed, body, secret, now=T0 + 301)  # a fresh timestamp breaks the HMAC


def test_a_rotated_secret_signs_with_both_during_the_grace_period_then_only_the_new(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    endpoint_id, old = register(sessions, receiver.url)
    with transaction(sessions) as session:
        new = rotate_secret(session, TOKEN, endpoint_id, now=T0).secret
    assert new != old
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued")
    deliverer.run_once(T0 + 1)
    index(sessions, 2, "Issued")
    deliverer.run_once(T0 + ROTATION_GRACE + 1)
    (during, body1), (after, body2) = receiver.received
    verify(during[HEADER], body1, old, now=T0 + 1)
    verify(during[HEADER], body1, new, now=T0 + 1)
    verify(after[HEADER], body2, new, now=T0 + ROTATION_GRACE + 1)
    with pytest.raises(SignatureError):
        verify(after[HEADER], body2, old, now=T0 + ROTATION_GRACE + 1)


def test_a_reorg_that_undoes_an_event_sends_its_reversal_then_the_new_branch(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued")
    index(sessions, 2, "Issued")
    drain(deliverer, T0)
    first, undone = receiver.event_ids()
    rewind(sessions, 1)
    index(sessions, 2, "Issued", "Issued", fork="f")
    drain(deliverer, T0 + 10)
    bodies = receiver.bodies()
    assert [b["type"] for b in bodies] == ["points.issued"] * 2 + [
        "event.reversed",
        "points.issued",
        "points.issued",
    ]
    assert bodies[2]["reverses"] == undone and bodies[2]["id"] not in (first, undone)
    assert len(set(receiver.event_ids())) == 5
    drain(deliverer, T0 + 20)  # nothing more: the reversal is not sent twice
    assert len(receiver.received) == 5


def test_a_merchant_can_replay_a_delivery(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    endpoint_id, _ = register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued")
    drain(deliverer, T0)
    with sessions() as session:
        [delivery] = list_deliveries(session, TOKEN, endpoint_id)
    outcome = replay(sessions, int(delivery["id"]), now=T0 + 5)
    assert outcome.ok
    assert receiver.event_ids() == [delivery["event_id"]] * 2
    assert json.loads(receiver.received[1][1])["id"] == delivery["event_id"]
    with sessions() as session:
        [again] = list_deliveries(session, TOKEN, endpoint_id)
    assert len(again["attempts"]) == 2


def test_a_disabled_endpoint_is_sent_nothing_more(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    endpoint_id, _ = register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued", "Issued")
    receiver.status = 500
    deliverer.run_once(T0)  # both queued, the first failed
    with transaction(sessions) as session:
        disable_endpoint(session, TOKEN, endpoint_id)
    receiver.status = 200
    for offset in range(1, 600, 10):
        deliverer.run_once(T0 + offset)
    assert receiver.received == []


def test_a_backlog_behind_an_endpoint_dead_past_the_window_gives_way_at_once_not_one_per_window(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """Five events queue behind a receiver that is gone for four days; a sixth arrives on the
    last day. The five older than the window are abandoned (listed, each replayable) an hour's
    pass apart once the first one's window ran out, not 72 h each; back, the receiver gets
    the sixth within its next backoff."""
    endpoint_id, _ = register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, *["Issued"] * 5)
    receiver.down()
    now, sixth_indexed = T0, False
    while now < T0 + 4 * 24 * 3600:
        if now >= T0 + 3 * 24 * 3600 and not sixth_indexed:
            index(sessions, 2, "Issued")  # on day four
            sixth_indexed = True
        deliverer.run_once(now)
        now += 3600
    with sessions() as session:
        states = [d["state"] for d in reversed(list_deliveries(session, TOKEN, endpoint_id))]
    assert states == ["abandoned"] * 5 + ["pending"]
    receiver.up()
    for _ in range(12):  # its backoff is at most an hour (±20 %)
        deliverer.run_once(now)
        now += 600
    with sessions() as session:
        states = [d["state"] for d in reversed(list_deliveries(session, TOKEN, endpoint_id))]
    assert states == ["abandoned"] * 5 + ["succeeded"]
    assert len(receiver.event_ids()) == 1


def test_a_delivery_failing_for_72_hours_is_abandoned_and_only_then_the_next_one_goes_out(
    sessions: sessionmaker[Session], receiver: Receiver
) -> None:
    """The head of line holds the endpoint's queue for the whole retry window (≥ 24 h, the
    issue's floor), then gives way; the abandoned one stays listed and can be replayed."""
    endpoint_id, _ = register(sessions, receiver.url)
    deliverer = Deliverer(sessions, CHAIN_ID)
    index(sessions, 1, "Issued", "Issued")
    receiver.status = 500
    now = T0
    while now < T0 + RETRY_WINDOW - 1800:  # 30-minute passes for almost 72 h
        deliverer.run_once(now)
        now += 1800
    with sessions() as session:
        first, second = reversed(list_deliveries(session, TOKEN, endpoint_id))
    assert (first["state"], second["state"], second["attempts"]) == ("pending", "pending", [])
    assert first["attempts"][-1]["at"] - first["attempts"][0]["at"] >= 24 * 3600
    receiver.status = 200
    receiver.down()  # still failing when the window runs out
    deliverer.run_once(T0 + RETRY_WINDOW + 3600)
    receiver.up()
    deliverer.run_once(T0 + RETRY_WINDOW + 3601)
    with sessions() as session:
        first, second = reversed(list_deliveries(session, TOKEN, endpoint_id))
    assert (first["state"], second["state"]) == ("abandoned", "succeeded")
    assert receiver.event_ids() == [second["event_id"]]
    assert replay(sessions, int(first["id"]), now=T0 + RETRY_WINDOW + 3700).ok
    assert receiver.event_ids() == [second["event_id"], first["event_id"]]
