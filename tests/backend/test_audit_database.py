"""The audit compares the indexer's database with the chain row by row: on an honest index it
finds nothing; every corruption injected here is found and named (table, key, column)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.chains import TestChain
from tongdui.audit.dbcompare import compare_database
from tongdui.audit.results import ReplayResult
from tongdui.audit.run import replay_chain, run_audit
from tongdui.chain.deployment import save_deployment
from tongdui.chain.rpc import JsonRpc
from tongdui.core.config import Settings
from tongdui.indexer import Indexer
from tongdui.services import build_services

from .audit_fixtures import contracts_of


@dataclass
class Indexed:
    chain: TestChain
    db_file: Path
    result: ReplayResult


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, history: TestChain) -> Indexed:
    data_dir = tmp_path_factory.mktemp("indexed")
    save_deployment(data_dir / "deployments", history.deployment)
    services = build_services(Settings(data_dir=data_dir, rpc_url=history.url))
    Indexer(services, progress=False).backfill()
    services.engine.dispose()
    db_file = data_dir / "tongdui.db"
    with sqlite3.connect(db_file) as db:
        (checkpoint,) = db.execute("SELECT block_number FROM index_checkpoint").fetchone()
    with JsonRpc(history.url) as rpc:
        result = replay_chain(
            rpc, contracts_of(history), history.deployment.deployment_block, checkpoint
        )
    return Indexed(history, db_file, result)


def test_the_audit_with_the_index_finds_nothing_on_an_honest_index(indexed: Indexed) -> None:
    report = run_audit(
        indexed.chain.url,
        contracts_of(indexed.chain),
        indexed.chain.deployment.deployment_block,
        db_url=f"sqlite:///{indexed.db_file}",
    )
    assert report.ok, report.text()
    assert report.database is not None
    assert report.database["tables"]["events"]["rows"] == report.canonical["events"]


Tamper = Callable[[sqlite3.Connection, random.Random], tuple[str, str]]


def _pick(db: sqlite3.Connection, rng: random.Random, table: str) -> tuple[int, ...]:
    rowids = [r[0] for r in db.execute(f"SELECT rowid FROM {table}")]
    return (rng.choice(rowids),)


def change_an_amount(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    db.execute(
        "UPDATE balances SET amount = amount + ? WHERE rowid = ?",
        (rng.randint(1, 99), *_pick(db, rng, "balances")),
    )
    return "db:balances", "amount"


def change_a_fee_share(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    column = rng.choice(["platform_fee", "source_merchant_fee", "relayer_fee", "gross_value"])
    db.execute(
        f"UPDATE swaps SET {column} = {column} + 1 WHERE rowid = ?",
        _pick(db, rng, "swaps"),
    )
    return "db:swaps", column


def drop_a_row(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    table = rng.choice(["swaps", "events", "used_nonces", "balances"])
    db.execute(f"DELETE FROM {table} WHERE rowid = ?", _pick(db, rng, table))
    return f"db:{table}", ""


def duplicate_a_row(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    table = rng.choice(["swaps", "events", "used_nonces"])
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    select = ", ".join(
        "log_index + 100000"
        if c == "log_index"
        else "order_hash || 'ff'"
        if c == "order_hash"
        else c
        for c in columns
    )
    db.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table} WHERE rowid = ?",
        _pick(db, rng, table),
    )
    return f"db:{table}", ""


def alter_a_block_hash(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    table = rng.choice(["events", "index_checkpoint", "indexed_blocks"])
    fake = "0x" + rng.randbytes(32).hex()
    db.execute(
        f"UPDATE {table} SET block_hash = ? WHERE rowid = ?",
        (fake, *_pick(db, rng, table)),
    )
    return f"db:{table}", "block_hash"


def alter_event_arguments(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    rowid = rng.choice(
        [r[0] for r in db.execute("SELECT rowid FROM events WHERE event = 'Transfer'")]
    )
    (args,) = db.execute("SELECT args FROM events WHERE rowid = ?", (rowid,)).fetchone()
    changed = json.loads(args)
    changed["value"] = str(int(changed["value"]) + 1)
    db.execute("UPDATE events SET args = ? WHERE rowid = ?", (json.dumps(changed), rowid))
    return "db:events", "args"


def change_a_merchant(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    column = rng.choice(["point_value", "issuance_cap"])
    db.execute(
        f"UPDATE merchants SET {column} = {column} * 2 WHERE rowid = ?",
        _pick(db, rng, "merchants"),
    )
    return "db:merchants", column


def change_a_nonce_mask(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    db.execute(
        "UPDATE used_nonces SET mask = ? WHERE rowid = ?",
        (f"0x{1 << rng.randint(0, 255):064x}", *_pick(db, rng, "used_nonces")),
    )
    return "db:used_nonces", "mask"


def add_a_payee_credit(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    db.execute(
        "INSERT INTO payee_credits (payee, credit) VALUES (?, ?)",
        ("0x" + rng.randbytes(20).hex(), rng.randint(1, 10**6)),
    )
    return "db:payee_credits", ""


def change_a_settlement_account(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    column = rng.choice(["settlement_balance", "fee_credit"])
    db.execute(
        f"UPDATE settlement_accounts SET {column} = {column} + 5 WHERE rowid = ?",
        _pick(db, rng, "settlement_accounts"),
    )
    return "db:settlement_accounts", column


def hide_an_event_from_a_history(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    """/history reads address_events: a missing row hides a swap from its owner."""
    db.execute("DELETE FROM address_events WHERE rowid = ?", _pick(db, rng, "address_events"))
    return "db:address_events", ""


def inflate_a_statistic(db: sqlite3.Connection, rng: random.Random) -> tuple[str, str]:
    """/stats reads merchant_totals: a changed total is a wrong figure on every dashboard."""
    column = rng.choice(["swaps_out", "value_in", "fees_paid", "points_issued"])
    db.execute(
        f"UPDATE merchant_totals SET {column} = {column} + 1 WHERE rowid = ?",
        _pick(db, rng, "merchant_totals"),
    )
    return "db:merchant_totals", column


TAMPERINGS = [
    change_an_amount,
    change_a_fee_share,
    drop_a_row,
    duplicate_a_row,
    alter_a_block_hash,
    alter_event_arguments,
    change_a_merchant,
    change_a_nonce_mask,
    add_a_payee_credit,
    change_a_settlement_account,
    hide_an_event_from_a_history,
    inflate_a_statistic,
]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda t: t.__name__)
def test_every_corruption_of_the_index_is_found_and_named(
    indexed: Indexed, tmp_path: Path, tamper: Tamper, seed: int
) -> None:
    copy = tmp_path / "tampered.db"
    shutil.copy(indexed.db_file, copy)
    with sqlite3.connect(copy) as db:
        where, column = tamper(db, random.Random(seed))
    with JsonRpc(indexed.chain.url) as rpc:
        findings, _ = compare_database(f"sqlite:///{copy}", indexed.result, rpc)
    assert findings, f"{tamper.__name__} went unnoticed"
    assert {f.where for f in findings} == {where}, [f.line() for f in findings]
    if column:
        assert any(f.field == column for f in findings), [f.line() for f in findings]
    else:
        assert any("missing row" in f.message or "extra row" in f.message for f in findings)


@dataclass(frozen=True)
class Kind:
    """One way to tamper with one table's column: the rows it may pick, the change, and where
    the audit must say the difference is (no column: a missing/extra row)."""

    name: str
    table: str
    change: str  # SQL SET clause
    column: str = ""
    pick: str = "1"  # SQL condition on the rows it may pick

    @property
    def where(self) -> str:
        return f"db:{self.table}"


def _lower(column: str, table: str, key: bool = False) -> Kind:
    return Kind(
        f"{table}.{column} lower-cased",
        table,
        f"{column} = lower({column})",
        "" if key else column,
        f"{column} <> lower({column})",
    )


JSON_TRANSFER = "event = 'Transfer'"
KINDS = [
    # point 10: one canonical address form, compared exactly (the six the issue found, and
    # their siblings)
    _lower("holder", "balances", key=True),
    _lower("address", "address_events", key=True),
    _lower("token", "merchants"),
    _lower("token", "settlement_accounts", key=True),
    _lower("payee", "payee_credits", key=True),
    _lower("owner", "swaps"),
    _lower("from_token", "swaps"),
    _lower("relayer", "swaps"),
    _lower("owner", "swap_users", key=True),
    _lower("token", "merchant_totals", key=True),
    _lower("token", "token_supplies", key=True),
    _lower("owner", "order_counters", key=True),
    _lower("owner", "used_nonces"),
    _lower("owner", "order_rejections"),
    _lower("token", "point_value_history"),
    _lower("admin", "merchants"),
    _lower("contract", "events"),
    _lower("member", "governance_members", key=True),
    _lower("member", "governance_votes"),
    _lower("proposer", "governance_proposals"),
    # hashes are lower-case hex; another case is another value
    Kind("events.tx_hash upper-cased", "events", "tx_hash = '0x' || upper(substr(tx_hash, 3))",
         "tx_hash"),
    Kind("swaps.order_hash upper-cased", "swaps",
         "order_hash = '0x' || upper(substr(order_hash, 3))", "order_hash"),
    Kind("index_checkpoint.block_hash upper-cased", "index_checkpoint",
         "block_hash = '0x' || upper(substr(block_hash, 3))", "block_hash"),
    # point 11: amounts and numbers in the wrong type, inside JSON
    Kind("events.args amount as a JSON number", "events",
         "args = json_set(args, '$.value', CAST(json_extract(args, '$.value') AS INTEGER))",
         "args", JSON_TRANSFER),
    Kind("events.args address lower-cased", "events",
         "args = json_set(args, '$.to', lower(json_extract(args, '$.to')))", "args",
         JSON_TRANSFER + " AND json_extract(args, '$.to') <> lower(json_extract(args, '$.to'))"),
    Kind("platform_parameters.fee_bps as text", "platform_parameters",
         "value = '\"' || CAST(value AS TEXT) || '\"'",
         "value", "name = 'fee_bps'"),
    Kind("platform_parameters.fee_bps raised", "platform_parameters", "value = value + 10",
         "value", "name = 'fee_bps'"),
    Kind("platform_parameters.fee_shares changed", "platform_parameters",
         "value = json_set(value, '$.platformBps', json_extract(value, '$.platformBps') + 1)",
         "value", "name = 'fee_shares'"),
    Kind("platform_parameters.platform_payee replaced", "platform_parameters",
         "value = json_quote('0x' || substr(hex(randomblob(20)), 1, 40))", "value",
         "name = 'platform_payee'"),
    Kind("platform_parameters.block_number moved", "platform_parameters",
         "block_number = block_number + 1", "block_number"),
    Kind("platform_parameters row renamed", "platform_parameters", "name = name || '_'"),
    Kind("governance_proposals.status reopened", "governance_proposals",
         "status = CASE status WHEN 'pending' THEN 'executed' ELSE 'pending' END", "status"),
    Kind("governance_proposals.approvals raised", "governance_proposals",
         "approvals = approvals + 1", "approvals"),
    Kind("governance_proposals.description changed", "governance_proposals",
         "description = description || ' (amended)'", "description"),
    Kind("governance_proposals.calls changed", "governance_proposals",
         "calls = json_set(calls, '$[0][1]', '1')", "calls"),
    Kind("governance_proposals.deadline moved", "governance_proposals", "deadline = deadline + 1",
         "deadline"),
    Kind("governance_proposals.cancel_votes raised", "governance_proposals",
         "cancel_votes = cancel_votes + 1", "cancel_votes"),
    Kind("governance_votes.epoch changed", "governance_votes", "epoch = epoch + 1", "epoch"),
    Kind("platform_parameters.min_order_value lowered", "platform_parameters",
         "value = value - 1", "value", "name = 'min_order_value'"),
    Kind("governance_votes.kind flipped", "governance_votes",
         "kind = CASE kind WHEN 'approved' THEN 'revoked' ELSE 'approved' END", "kind"),
    Kind("governance_votes row moved", "governance_votes", "log_index = log_index + 100000"),
    Kind("governance_members.added_block moved", "governance_members",
         "added_block = added_block + 1", "added_block"),
    Kind("order_rejections.reason_code changed", "order_rejections",
         "reason_code = 'NONCE_USED'", "reason_code", "reason_code <> 'NONCE_USED'"),
    Kind("merchants.name changed", "merchants", "name = name || ' Ltd'", "name"),
    Kind("merchants.status flipped", "merchants",
         "status = CASE status WHEN 'active' THEN 'suspended' ELSE 'active' END", "status"),
    Kind("merchants.market_active flipped", "merchants", "market_active = 1 - market_active",
         "market_active"),
    Kind("token_supplies.supply raised", "token_supplies", "supply = supply + 1", "supply"),
    Kind("swap_users.swaps raised", "swap_users", "swaps = swaps + 1", "swaps"),
    Kind("index_totals.value raised", "index_totals", "value = value + 1", "value"),
    Kind("used_nonces.source flipped", "used_nonces",
         "source = CASE source WHEN 'swap' THEN 'cancel' ELSE 'swap' END", "source"),
    Kind("point_value_history.new_value changed", "point_value_history",
         "new_value = new_value + 1", "new_value"),
    Kind("order_counters.counter raised", "order_counters",
         "counter = CAST(CAST(counter AS INTEGER) + 1 AS TEXT)", "counter"),
    Kind("swaps.nonce with a leading zero", "swaps", "nonce = '0' || nonce", "nonce"),
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_kind_of_tampering_with_a_served_table_is_found(
    indexed: Indexed, tmp_path: Path, kind: Kind
) -> None:
    copy = tmp_path / "tampered.db"
    shutil.copy(indexed.db_file, copy)
    with sqlite3.connect(copy) as db:
        rowids = [r[0] for r in db.execute(f"SELECT rowid FROM {kind.table} WHERE {kind.pick}")]
        assert rowids, f"the history has no {kind.table} row to tamper with"
        db.execute(
            f"UPDATE {kind.table} SET {kind.change} WHERE rowid = ?",
            (random.Random(kind.name).choice(rowids),),
        )
    with JsonRpc(indexed.chain.url) as rpc:
        findings, _ = compare_database(f"sqlite:///{copy}", indexed.result, rpc)
    assert findings, f"{kind.name} went unnoticed"
    assert {f.where for f in findings} == {kind.where}, [f.line() for f in findings]
    if kind.column:
        assert any(f.field == kind.column for f in findings), [f.line() for f in findings]
    else:
        assert any("missing row" in f.message or "extra row" in f.message for f in findings)


PLANTED_ROWS = [
    ("an issuer key planted in merchant_issuers", "merchant_issuers",
     "INSERT INTO merchant_issuers (token, issuer) SELECT token, "
     "'0x00000000000000000000000000000000000000bA' FROM merchants LIMIT 1"),
    ("a governance freeze invented in account_freezes", "account_freezes",
     "INSERT INTO account_freezes (token, account, by_merchant, by_governance) SELECT token, "
     "'0x00000000000000000000000000000000000000bA', 0, 1 FROM merchants LIMIT 1"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "table", "insert"), PLANTED_ROWS, ids=[r[0] for r in PLANTED_ROWS]
)
def test_a_planted_issuer_key_or_freeze_in_the_index_is_found(
    indexed: Indexed, tmp_path: Path, name: str, table: str, insert: str
) -> None:
    """The merchant page's issuer keys and freezes (GET /merchants/{t}/controls) come from
    these tables: a row the chain never made must not pass the audit."""
    copy = tmp_path / "tampered.db"
    shutil.copy(indexed.db_file, copy)
    with sqlite3.connect(copy) as db:
        db.execute(insert)
    with JsonRpc(indexed.chain.url) as rpc:
        findings, _ = compare_database(f"sqlite:///{copy}", indexed.result, rpc)
    assert {f.where for f in findings} == {f"db:{table}"}, [f.line() for f in findings]
    assert any("extra row" in f.message for f in findings), [f.line() for f in findings]


def _relayer_rows_from_the_chain(db: sqlite3.Connection) -> None:
    """What an honest relayer wrote: each settled swap, each on-chain rejection, one order
    still queued."""
    common = "0, 0, '0x', {gross}, {state}, 1, {tx}, block_number, {out}, {fee}, {gross2}, 0, 0"
    columns = (
        "order_hash, owner, from_token, to_token, amount_in, min_amount_out, nonce, deadline, "
        "counter, signature, quoted_gross, state, attempts, tx_hash, block_number, amount_out, "
        "fee, gross_value, created_at, updated_at"
    )
    db.execute(
        f"INSERT INTO relayer_orders ({columns}) SELECT order_hash, owner, from_token, to_token, "
        "amount_in, amount_out, nonce, "
        + common.format(
            gross="gross_value", state="'settled'", tx="tx_hash", out="amount_out", fee="fee",
            gross2="gross_value",
        )
        + " FROM swaps"
    )  # fmt: skip
    db.execute(
        f"INSERT INTO relayer_orders ({columns}) SELECT order_hash, owner, owner, owner, 1, 1, "
        "nonce, "
        + common.format(
            gross="1", state="'rejected'", tx="tx_hash", out="NULL", fee="NULL", gross2="NULL"
        )
        + " FROM order_rejections"
    )  # fmt: skip
    db.execute(
        f"INSERT INTO relayer_orders ({columns}) VALUES ('0x' || hex(randomblob(32)), "
        "'0x0000000000000000000000000000000000000001', '0x', '0x', 5, 1, '77', 0, 0, '0x', 5, "
        "'received', 0, NULL, NULL, NULL, NULL, NULL, 0, 0)"
    )


RELAYER_TAMPERINGS = [
    ("a settled order's amount raised by 100", "amount_out = amount_out + 100", "amount_out",
     "state = 'settled'"),
    ("a settled order turned into rejected", "state = 'rejected'", "state", "state = 'settled'"),
    ("a settled order's fee changed", "fee = fee + 1", "fee", "state = 'settled'"),
    ("a settled order's owner lower-cased", "owner = lower(owner)", "owner",
     "state = 'settled' AND owner <> lower(owner)"),
    ("a queued order called settled", "state = 'settled', block_number = 1", "state",
     "state = 'received'"),
    ("an off-chain rejection moved on chain", "block_number = block_number - 1", "block_number",
     "state = 'rejected'"),
    ("an unknown state", "state = 'paid'", "state", "state = 'settled'"),
]  # fmt: skip


def test_the_relayers_record_of_each_order_is_checked_against_the_chain(
    indexed: Indexed, tmp_path: Path
) -> None:
    honest = tmp_path / "honest.db"
    shutil.copy(indexed.db_file, honest)
    with closing(sqlite3.connect(honest)) as db, db:  # closed: no WAL left beside the file
        _relayer_rows_from_the_chain(db)
    with JsonRpc(indexed.chain.url) as rpc:
        findings, summary = compare_database(f"sqlite:///{honest}", indexed.result, rpc)
        assert findings == [], [f.line() for f in findings]
        assert summary["relayer_orders"]["rows"] > 1_000
        for name, change, column, pick in RELAYER_TAMPERINGS:
            copy = tmp_path / "tampered.db"
            shutil.copy(honest, copy)
            with closing(sqlite3.connect(copy)) as db, db:
                db.execute(
                    f"UPDATE relayer_orders SET {change} WHERE id = "
                    f"(SELECT min(id) FROM relayer_orders WHERE {pick})"
                )
            findings, _ = compare_database(f"sqlite:///{copy}", indexed.result, rpc)
            assert {(f.where, f.field) for f in findings} == {("db:relayer_orders", column)}, name


def test_an_index_that_moves_during_the_audit_is_compared_at_its_checkpoint(
    indexed: Indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tongdui.audit.run as audit_run

    copy = tmp_path / "live.db"
    shutil.copy(indexed.db_file, copy)
    with sqlite3.connect(copy) as db:
        db.execute("PRAGMA journal_mode=WAL")
    replay = audit_run.replay_chain

    def replay_while_the_indexer_writes(*args: object, **kwargs: object) -> ReplayResult:
        with sqlite3.connect(copy) as indexer:  # the next block arrives meanwhile
            indexer.execute("UPDATE index_checkpoint SET block_number = block_number + 1")
            indexer.execute("UPDATE balances SET amount = amount + 1")
        return replay(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_run, "replay_chain", replay_while_the_indexer_writes)
    report = run_audit(
        indexed.chain.url,
        contracts_of(indexed.chain),
        indexed.chain.deployment.deployment_block,
        db_url=f"sqlite:///{copy}",
    )
    assert report.ok, report.text()
    assert report.canonical["toBlock"] == indexed.result.to_block


def test_a_file_path_for_the_database_is_one_clear_line(indexed: Indexed, tmp_path: Path) -> None:
    import subprocess
    import sys

    save_deployment(tmp_path / "deployments", indexed.chain.deployment)
    tongdui = str(Path(sys.executable).with_name("tongdui"))
    for db, says in [
        (str(indexed.db_file), f"sqlite:///{indexed.db_file}"),
        ("sqlite:////nowhere/tongdui.db", "no SQLite database at /nowhere/tongdui.db"),
    ]:
        ran = subprocess.run(
            [tongdui, "audit", "--rpc", indexed.chain.url, "--data-dir", str(tmp_path), "--db", db],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert ran.returncode == 2, ran.stdout + ran.stderr
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1 and says in lines[0] and "Traceback" not in ran.stderr, ran.stderr
