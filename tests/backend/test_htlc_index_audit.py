"""The HTLC's locks in the index and in the audit (issue 17).

One history on the session chain: the bridge member locks BEAN points three times; one lock
is claimed with its secret, one refunded after its timelock, one left open. The indexer
serves ``htlc_locks`` from the events; the audit rebuilds the locks from the events alone,
checks them against the contract and the served table, and checks that the HTLC holds
exactly the points of its open locks. Every tampering with a lock row is found and named.
"""

from __future__ import annotations

import copy
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session
from web3 import Web3

from tongdui.audit.dbcompare import compare_database
from tongdui.audit.fetch import Contracts
from tongdui.audit.htlc import custody_findings
from tongdui.audit.rpc import JsonRpc
from tongdui.audit.run import ReplayResult, replay_chain, run_audit
from tongdui.chain.deployment import save_deployment
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.indexer import Indexer, store
from tongdui.indexer.models import HtlcLock
from tongdui.services import build_services

from .conftest import TestChain

BRIDGE_KEY = ANVIL_KEYS[3]
BEAN_ADMIN_KEY = ANVIL_KEYS[5]
USER_KEY = ANVIL_KEYS[2]
SECRETS = [bytes([n]) * 32 for n in (1, 2, 3)]
AMOUNTS = [100, 50, 30]


@dataclass
class History:
    chain: TestChain
    db_file: Path
    lock_ids: list[str]  # claimed, refunded, open
    result: ReplayResult

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_file}"

    def contracts(self) -> Contracts:
        return Contracts.from_names(self.chain.deployment.addresses)


def _send(w3: Web3, signer: Signer, call: Any) -> Any:
    return wait_for(w3, [signer.transact(call, gas=500_000)])[0]


def _latest(w3: Web3) -> int:
    return int(w3.eth.get_block("latest")["timestamp"])


def _make_history(chain: TestChain) -> list[str]:
    w3, htlc = chain.w3, chain.platform.htlc
    bean = chain.platform.points_token(chain.tokens["BEAN"])
    bridge, admin = Signer(w3, BRIDGE_KEY), Signer(w3, BEAN_ADMIN_KEY)
    user = Signer(w3, USER_KEY).address
    _send(w3, admin, bean.functions.issue(bridge.address, 1_000))
    _send(w3, bridge, bean.functions.approve(htlc.address, 1_000))
    ids = []
    for n, (secret, amount) in enumerate(zip(SECRETS, AMOUNTS, strict=True)):
        timelock = _latest(w3) + 1_000 + 10_000 * (n == 2)
        counterpart = timelock + 3_600 if n == 2 else 0
        hashlock = hashlib.sha256(secret).digest()
        receipt = _send(
            w3,
            bridge,
            htlc.functions.lock(bean.address, user, amount, hashlock, timelock, counterpart),
        )
        ids.append("0x" + bytes(receipt["logs"][0]["topics"][1]).hex())
    _send(w3, bridge, htlc.functions.claim(ids[0], SECRETS[0]))
    w3.provider.make_request("evm_increaseTime", [2_000])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    _send(w3, bridge, htlc.functions.refund(ids[1]))
    return ids


@pytest.fixture(scope="module")
def history(chain: TestChain, tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    snapshot = chain.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        ids = _make_history(chain)
        data_dir = tmp_path_factory.mktemp("htlc-indexed")
        save_deployment(data_dir / "deployments", chain.deployment)
        services = build_services(Settings(data_dir=data_dir, rpc_url=chain.url))
        Indexer(services, progress=False).backfill()
        services.engine.dispose()
        db_file = data_dir / "tongdui.db"
        with sqlite3.connect(db_file) as db:
            (checkpoint,) = db.execute("SELECT block_number FROM index_checkpoint").fetchone()
        with JsonRpc(chain.url) as rpc:
            contracts = Contracts.from_names(chain.deployment.addresses)
            result = replay_chain(rpc, contracts, chain.deployment.deployment_block, checkpoint)
        yield History(chain, db_file, ids, result)
    finally:
        chain.w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


def _rows(db_file: Path) -> dict[str, dict[str, Any]]:
    with closing(sqlite3.connect(db_file)) as db:
        db.row_factory = sqlite3.Row
        return {r["lock_id"]: dict(r) for r in db.execute("SELECT * FROM htlc_locks")}


def test_the_index_serves_each_lock_with_its_state_and_the_revealed_secret(
    history: History,
) -> None:
    claimed, refunded, still_open = history.lock_ids
    rows = _rows(history.db_file)

    assert set(rows) == {claimed, refunded, still_open}
    assert (rows[claimed]["state"], rows[claimed]["preimage"]) == ("claimed", "0x" + "01" * 32)
    assert (rows[refunded]["state"], rows[refunded]["preimage"]) == ("refunded", None)
    assert rows[still_open]["state"] == "open"
    assert rows[still_open]["settled_block"] is None
    assert [rows[i]["amount"] for i in history.lock_ids] == AMOUNTS
    assert rows[claimed]["hashlock"] == "0x" + hashlib.sha256(SECRETS[0]).hexdigest()
    assert rows[still_open]["counterpart_timelock"] == rows[still_open]["timelock"] + 3_600
    assert rows[claimed]["token"] == history.chain.tokens["BEAN"]  # checksummed, as served


def test_the_audit_rebuilds_the_locks_from_events_alone(history: History) -> None:
    locks = history.result.replay.htlc.locks
    claimed, refunded, still_open = history.lock_ids

    assert [locks[i].state for i in history.lock_ids] == ["claimed", "refunded", "open"]
    assert locks[claimed].preimage == "0x" + SECRETS[0].hex()
    assert history.result.replay.htlc.open_sums() == {history.chain.tokens["BEAN"].lower(): 30}
    assert not [f for f in history.result.replay.findings if f.check == "htlc"]
    assert locks[still_open].settled_block is None
    assert locks[refunded].settled_block is not None


def test_the_audit_finds_nothing_wrong_with_honest_locks_and_index(history: History) -> None:
    report = run_audit(
        history.chain.url,
        history.contracts(),
        history.chain.deployment.deployment_block,
        db_url=history.db_url,
    )

    assert report.ok, report.text()
    htlc = report.canonical["invariants"]["htlc"]
    assert htlc["ok"]
    assert htlc["checks"] >= 3 + 2  # one per lock, the HTLC's balance on both sides
    assert report.database is not None
    assert report.database["tables"]["htlc_locks"]["rows"] == 3
    assert report.canonical["state"]["htlc"] == {
        "locks": 3,
        "open": 1,
        "claimed": 1,
        "refunded": 1,
        "openPoints": {history.chain.tokens["BEAN"]: 30},
        "stray": {},
    }


@pytest.mark.parametrize(
    ("column", "update"),
    [
        ("amount", "amount = amount + 1"),
        ("state", "state = 'open'"),
        ("preimage", "preimage = NULL"),
        ("receiver", "receiver = sender"),
        ("timelock", "timelock = timelock + 3600"),
    ],
)
def test_the_audit_finds_a_tampered_lock_row(
    history: History, tmp_path: Path, column: str, update: str
) -> None:
    copy = tmp_path / "tampered.db"
    shutil.copy(history.db_file, copy)
    claimed = history.lock_ids[0]
    with closing(sqlite3.connect(copy)) as db, db:
        db.execute(f"UPDATE htlc_locks SET {update} WHERE lock_id = ?", (claimed,))

    findings, _ = compare_database(f"sqlite:///{copy}", history.result)

    assert [(f.where, f.field) for f in findings] == [("db:htlc_locks", column)]
    assert claimed in findings[0].key


def test_the_audit_finds_a_lock_row_the_chain_never_made(history: History, tmp_path: Path) -> None:
    copy = tmp_path / "tampered.db"
    shutil.copy(history.db_file, copy)
    with closing(sqlite3.connect(copy)) as db, db:
        db.execute(
            "INSERT INTO htlc_locks SELECT ? , htlc, token, sender, receiver, amount, hashlock,"
            " timelock, counterpart_timelock, 'open', NULL, locked_block, locked_tx, locked_at,"
            " NULL, NULL, NULL FROM htlc_locks WHERE lock_id = ?",
            ("0x" + "ee" * 32, history.lock_ids[2]),
        )

    findings, _ = compare_database(f"sqlite:///{copy}", history.result)

    assert [(f.where, f.message) for f in findings] == [
        ("db:htlc_locks", "extra row: the index has it, the chain does not")
    ]


def test_a_rebuild_from_events_serves_the_same_locks(history: History, tmp_path: Path) -> None:
    """The table is derived: rebuilding every table from ``events`` gives the same rows (as a
    reorg's replay of the latest-value events does)."""
    copy = tmp_path / "rebuilt.db"
    shutil.copy(history.db_file, copy)
    before = _rows(copy)
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with Session(engine) as session, session.begin():
            session.execute(delete(HtlcLock))
            store.rebuild(session)
        with Session(engine) as session:
            assert len(list(session.scalars(select(HtlcLock)))) == 3
    finally:
        engine.dispose()

    assert _rows(copy) == before


def test_the_platform_deploys_the_htlc_on_its_registry_with_the_default_durations(
    chain: TestChain,
) -> None:
    htlc = chain.platform.htlc
    defaults = Settings()

    assert htlc.functions.registry().call() == chain.deployment.address("MerchantRegistry")
    assert htlc.functions.minLockDuration().call() == defaults.htlc_min_lock_seconds == 900
    assert htlc.functions.maxLockDuration().call() == defaults.htlc_max_lock_seconds == 86_400
    assert htlc.functions.safetyMargin().call() == defaults.htlc_safety_margin_seconds == 1_800


def test_the_audit_finds_an_htlc_holding_fewer_points_than_its_open_locks(
    history: History,
) -> None:
    """The custody check can fail: replayed as if the refund never happened, the open locks
    owe 80 BEAN while the HTLC's replayed balance is 30."""
    replay = copy.deepcopy(history.result.replay)
    replay.htlc.locks[history.lock_ids[1]].state = "open"
    htlc = history.chain.deployment.address("HashedTimelock").lower()

    findings, checks, stray = custody_findings(replay.htlc, htlc, {}, lambda token: token)

    bean = history.chain.tokens["BEAN"].lower()
    assert [(f.where, f.expected, f.actual) for f in findings] == [(f"{bean}.balanceOf", 80, 30)]
    assert checks >= 1
    assert stray == {}


def test_a_reorg_below_a_claim_serves_the_lock_open_again(history: History, tmp_path: Path) -> None:
    """``htlc_locks`` is a latest-value table: undoing the claim's block (and the refund's,
    above it) rebuilds the locks from the events that remain: open, without a preimage."""
    copy_file = tmp_path / "reorged.db"
    shutil.copy(history.db_file, copy_file)
    claimed = history.lock_ids[0]
    claim_block = _rows(copy_file)[claimed]["settled_block"]
    ancestor = claim_block - 1
    ancestor_hash = history.chain.w3.eth.get_block(ancestor)["hash"].to_0x_hex()
    engine = create_engine(f"sqlite:///{copy_file}")
    try:
        with Session(engine) as session, session.begin():
            store.rollback_to(session, ancestor, ancestor_hash)
    finally:
        engine.dispose()

    rows = _rows(copy_file)
    assert (rows[claimed]["state"], rows[claimed]["preimage"]) == ("open", None)
    assert rows[claimed]["settled_block"] is None
    assert set(rows) == set(history.lock_ids)  # all three were locked before the claim
    assert [rows[i]["state"] for i in history.lock_ids] == ["open", "open", "open"]
