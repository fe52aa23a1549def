"""The operation log is one hash chain: entries verify as written; an edited, deleted or
reordered row is found at its seq by ``verify`` (and by ``tongdui oplog verify``); writers on
two threads keep one chain without a fork."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from tongdui.cli import app
from tongdui.core.db import make_engine, migrate, session_factory
from tongdui.operations import oplog
from tongdui.operations.models import OpLogEntry

TOKEN = "0x5FbDB2315678afecb367f032d7a6b15a5c2b0d11"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def sessions(data_dir: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{data_dir / 'tongdui.db'}"
    data_dir.mkdir(parents=True)
    migrate(url)
    engine = make_engine(url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def append_some(sessions: sessionmaker[Session], count: int) -> None:
    for n in range(count):
        oplog.append(
            sessions,
            oplog.Action(
                action="issue",
                actor={"operator_name": "王芳", "key_prefix": "abc123"},
                target=f"0x{n:040x}",
                merchant_token=TOKEN,
                request={"amount": n + 1},
                result={"status": "ok", "tx_hash": f"0x{n:064x}"},
            ),
        )


def verify(sessions: sessionmaker[Session]) -> oplog.Verification:
    with sessions() as session:
        return oplog.verify(session)


def test_entries_as_appended_verify_and_link_from_the_genesis(
    sessions: sessionmaker[Session],
) -> None:
    append_some(sessions, 4)
    result = verify(sessions)
    assert result.ok and result.entries == 4
    with sessions() as session:
        rows = oplog.read(session)
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == oplog.GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(rows))
    assert result.head_hash == rows[-1].hash


def test_an_edited_row_is_found_at_its_seq(sessions: sessionmaker[Session]) -> None:
    append_some(sessions, 4)
    with sessions() as session, session.begin():
        session.execute(update(OpLogEntry).where(OpLogEntry.seq == 3).values(target="0xevil"))
    assert (verify(sessions).broken_at, verify(sessions).reason) == (3, "hash")


def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link(
    sessions: sessionmaker[Session],
) -> None:
    append_some(sessions, 4)
    with sessions() as session, session.begin():
        row = session.get(OpLogEntry, 2)
        assert row is not None
        row.result = '{"status":"refused"}'
        row.hash = oplog.entry_hash(row)
    result = verify(sessions)
    assert (result.ok, result.broken_at, result.reason) == (False, 3, "prev_hash")


def test_a_deleted_row_is_found_as_a_gap(sessions: sessionmaker[Session]) -> None:
    append_some(sessions, 4)
    with sessions() as session, session.begin():
        session.execute(delete(OpLogEntry).where(OpLogEntry.seq == 2))
    result = verify(sessions)
    assert (result.ok, result.broken_at, result.reason, result.entries) == (False, 2, "gap", 1)


def test_a_deleted_last_row_changes_the_head_hash(sessions: sessionmaker[Session]) -> None:
    """The tail cannot be detected from the rows alone: the head hash an auditor kept can."""
    append_some(sessions, 3)
    kept = verify(sessions).head_hash
    with sessions() as session, session.begin():
        session.execute(delete(OpLogEntry).where(OpLogEntry.seq == 3))
    assert verify(sessions).head_hash != kept


def test_reordered_rows_are_found_at_the_first_moved_one(sessions: sessionmaker[Session]) -> None:
    append_some(sessions, 4)
    with sessions() as session, session.begin():
        session.execute(update(OpLogEntry).where(OpLogEntry.seq == 2).values(seq=-2))
        session.execute(update(OpLogEntry).where(OpLogEntry.seq == 3).values(seq=2))
        session.execute(update(OpLogEntry).where(OpLogEntry.seq == -2).values(seq=3))
    result = verify(sessions)
    assert (result.ok, result.broken_at, result.reason) == (False, 2, "prev_hash")


def test_two_threads_appending_keep_one_chain_without_a_fork(
    sessions: sessionmaker[Session],
) -> None:
    start = threading.Barrier(2)

    def writer() -> None:
        start.wait()
        append_some(sessions, 25)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = verify(sessions)
    assert result.ok and result.entries == 50
    with sessions() as session:
        prevs = list(session.scalars(select(OpLogEntry.prev_hash)))
    assert len(set(prevs)) == 50  # no two entries follow the same one


def test_the_cli_says_intact_then_names_the_broken_seq(
    sessions: sessionmaker[Session], data_dir: Path
) -> None:
    append_some(sessions, 3)
    runner = CliRunner()
    intact = runner.invoke(app, ["oplog", "verify", "--data-dir", str(data_dir)])
    assert intact.exit_code == 0, intact.output
    assert "intact: 3 entries" in intact.output
    with sessions() as session, session.begin():
        session.execute(update(OpLogEntry).where(OpLogEntry.seq == 2).values(action="withdraw"))
    broken = runner.invoke(app, ["oplog", "verify", "--data-dir", str(data_dir)])
    assert broken.exit_code == 1
    assert "broken at seq 2 (hash)" in broken.output


def test_the_log_module_offers_no_way_to_change_or_remove_an_entry() -> None:
    public = {name for name in dir(oplog) if not name.startswith("_")}
    assert not {n for n in public if n.startswith(("update", "delete", "remove", "edit"))}
