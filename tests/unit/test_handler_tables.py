"""Every event of the committed ABIs has a handler, or a reason to be ignored, in both the
indexer's projector and the audit's replay; and an event neither knows is reported, never
silently dropped (a misspelled handler once lost its events without a word).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tongdui.audit import replay as audit_replay
from tongdui.audit.decode import KINDS, Log
from tongdui.audit.replay import Replay
from tongdui.core.db import Base
from tongdui.indexer import models as _models  # noqa: F401  (registers the tables)
from tongdui.indexer import projector as indexer_projector
from tongdui.indexer.projector import Projector

ARTIFACTS = Path(__file__).resolve().parents[2] / "backend" / "chain" / "artifacts"


def committed_events() -> set[tuple[str, str]]:
    """(contract, event) for every event of every committed ABI."""
    found = set()
    for path in sorted(ARTIFACTS.glob("*.json")):
        for entry in json.loads(path.read_text())["abi"]:
            if entry["type"] == "event":
                found.add((path.stem, entry["name"]))
    return found


def test_the_committed_abis_hold_the_events_the_tables_are_checked_against() -> None:
    events = committed_events()
    assert ("PointsExchange", "Swapped") in events
    assert ("PointsToken", "Transfer") in events
    # every contract the audit follows, but the token factory: it emits nothing of its own
    # (the registry's MerchantAdmitted names each token it made)
    assert {kind for kind, _ in events} >= set(KINDS) - {"PointsTokenFactory"}


@pytest.mark.parametrize("table", [audit_replay, indexer_projector], ids=["replay", "projector"])
def test_every_committed_event_has_a_handler_or_is_ignored_with_a_reason(table: object) -> None:
    handlers, ignored = table.HANDLERS, table.IGNORED  # type: ignore[attr-defined]
    missing = sorted(committed_events() - set(handlers) - set(ignored))
    assert missing == [], f"no handler and no reason to ignore: {missing}"
    assert not set(handlers) & set(ignored)
    assert all(reason.strip() for reason in ignored.values())


@pytest.mark.parametrize("table", [audit_replay, indexer_projector], ids=["replay", "projector"])
def test_no_table_row_names_an_event_the_abis_do_not_have(table: object) -> None:
    handlers, ignored = table.HANDLERS, table.IGNORED  # type: ignore[attr-defined]
    stale = sorted((set(handlers) | set(ignored)) - committed_events())
    assert stale == [], f"rows for events no ABI declares (misspelled?): {stale}"


def _log(kind: str, name: str, topic: bytes = b"\x01" * 32) -> Log:
    return Log(
        block_number=7,
        log_index=3,
        tx_index=0,
        block_hash=b"\x00" * 32,
        tx_hash=b"\xab" * 32,
        address="0x" + "22" * 20,
        topics=[topic],
        data=b"",
        timestamp=1_700_000_000,
        kind=kind,
        name=name,
        args={},
    )


def test_the_replay_reports_a_log_whose_event_it_has_no_handler_for() -> None:
    replay = Replay("0x" + "11" * 20, "0x" + "22" * 20)
    replay.apply(_log("PointsExchange", "Swaped"))  # a name no table has
    replay.apply(_log("PointsExchange", "", topic=b"\xee" * 32))  # a topic no ABI has
    assert [(f.check, f.field, f.actual) for f in replay.findings] == [
        ("invariant-5", "event", "Swaped"),
        ("invariant-5", "event", "topic 0x" + "ee" * 32),
    ]
    assert "no handler for PointsExchange.Swaped" in replay.findings[0].message


def test_the_replay_says_nothing_of_an_event_it_ignores_with_a_reason() -> None:
    replay = Replay("0x" + "11" * 20, "0x" + "22" * 20)
    replay.apply(_log("PointsToken", "Approval"))
    assert replay.findings == []
    assert replay.event_counts["Approval"] == 1


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _event(name: str) -> dict[str, object]:
    return {
        "block_number": 7,
        "log_index": 3,
        "block_hash": "0x" + "00" * 32,
        "block_timestamp": 1_700_000_000,
        "tx_hash": "0x" + "ab" * 32,
        "tx_index": 0,
        "contract": "0x" + "22" * 20,
        "event": name,
        "args": {},
    }


def test_the_projector_reports_an_event_it_has_no_handler_for(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    projector = Projector(session)
    with caplog.at_level(logging.WARNING, logger="tongdui.indexer"):
        projector.apply([_event("Swaped"), _event("Unknown")])
    assert projector.unknown_events == [
        ("0x" + "22" * 20, "Swaped", 7, 3),
        ("0x" + "22" * 20, "Unknown", 7, 3),
    ]
    assert "no handler for event Swaped" in caplog.text


def test_the_projector_says_nothing_of_an_event_it_ignores_with_a_reason(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    projector = Projector(session)
    with caplog.at_level(logging.WARNING, logger="tongdui.indexer"):
        projector.apply([_event("Approval")])
    assert projector.unknown_events == []
    assert caplog.text == ""


def test_a_name_two_contracts_share_must_have_one_handler_in_the_projector() -> None:
    handlers = dict(indexer_projector.HANDLERS)
    handlers[("SettlementToken", "Transfer")] = handlers[("PointsToken", "Issued")]
    with pytest.raises(ValueError, match="another handler"):
        indexer_projector._by_event(handlers, dict(indexer_projector.IGNORED))
