"""Comparing the indexer's database with the replay, row by row.

The tables are read by reflection (plain SQL through SQLAlchemy Core), not through the
indexer's models or projector: the audit must not share the indexer's code path. Every row the
replay expects is looked up by its key; each difference is named (table, key, column, the
database's value and the chain's), as are missing rows, extra rows and duplicated keys.
Values are compared exactly, in the one form the index stores them (``stored_form``):
addresses checksummed, hex lower-case, integers as integers; a lower-cased address or an
amount stored as text is a difference, because the API looks rows up exactly.

Both sides are pinned to one block: the whole database is read in one read transaction
(``IndexSnapshot``), whose checkpoint is the block the chain is replayed to, so an index that
moves during the audit is compared as it was at that block.

Compared: events (every column, decoded args included), balances, token_supplies,
settlement_accounts, payee_credits, merchants, order_counters, swaps (with the fee split),
order_rejections (with their reason codes), used_nonces, point_value_history, attestations,
platform_parameters, governance_members, governance_proposals, governance_votes, the
read-side tables (address_events, merchant_totals, swap_users, index_totals; see
``read_indexes``), indexed_blocks and index_checkpoint (block hashes against the chain's),
and the relayer's records of orders and signed requests (``served_tables``). Not compared:
tables that hold nothing the chain knows (merchant API keys, the relayer's transaction log).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_utils import to_checksum_address
from sqlalchemy import Connection, Engine, MetaData, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..chain.errors import code_for_selector
from ..core.errors import ConfigurationError
from .findings import Finding
from .htlc import expected_lock_rows
from .read_indexes import read_index_rows
from .served_tables import (
    check_relayer_orders,
    check_relayer_requests,
    governance_rows,
    parameter_rows,
)
from .stored_form import column_kind, event_json, same, stored

if TYPE_CHECKING:
    from .rpc import JsonRpc
    from .run import ReplayResult

Key = tuple[Any, ...]
Rows = dict[Key, dict[str, Any]]
ZERO = "0x" + "00" * 20
STATUS = {1: "active", 2: "suspended"}


def norm(value: Any) -> Any:
    """One normal form for both sides of a comparison."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str):
        return value.lower() if value.startswith(("0x", "0X")) else value
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [norm(v) for v in value]
    return str(value)


def open_index(db_url: str) -> Engine:
    """An engine on the index, or a one-line error saying what ``--db`` takes."""
    try:
        url = make_url(db_url)
    except ArgumentError:
        hint = f"sqlite:///{Path(db_url).resolve()}" if Path(db_url).exists() else None
        raise ConfigurationError(
            f"--db takes a database URL, not {db_url!r}: "
            + (f"for that file, {hint}" if hint else "e.g. sqlite:////path/to/tongdui.db")
            + " or postgresql+psycopg://user@host/db",
            db_url=db_url,
        ) from None
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            raise ConfigurationError(
                f"--db: there is no SQLite database at {database or '(none)'}", db_url=db_url
            )
    try:
        return create_engine(url)
    except (SQLAlchemyError, ImportError) as error:
        raise ConfigurationError(f"--db: cannot open {url!r}: {error}", db_url=db_url) from None


class IndexSnapshot:
    """The whole index as of one moment: every read is in one read transaction.

    The checkpoint read first and every table read later see the same committed state, so the
    audit compares the database at its checkpoint even while the indexer keeps writing
    (SQLite WAL: the snapshot is fixed at the first read; PostgreSQL: REPEATABLE READ).
    """

    def __init__(self, db_url: str) -> None:
        self.url = db_url
        self.engine = open_index(db_url)
        try:
            connection = self.engine.connect()
            if self.engine.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            elif self.engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN")
            self.connection: Connection = connection
            self.meta = MetaData()
            self.meta.reflect(connection)
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise ConfigurationError(
                f"--db: cannot read the index at {db_url}: {error.__class__.__name__}",
                db_url=db_url,
            ) from None

    def checkpoint(self) -> int | None:
        """The last block the index says it holds completely (None if it has none)."""
        table = self.meta.tables.get("index_checkpoint")
        if table is None:
            raise ConfigurationError(f"{self.url} is not a Tongdui index (no index_checkpoint)")
        row = self.connection.execute(select(table)).first()
        return None if row is None else int(row._mapping["block_number"])

    def rows(self, name: str) -> list[dict[str, Any]] | None:
        table = self.meta.tables.get(name)
        if table is None:
            return None
        return [dict(row._mapping) for row in self.connection.execute(select(table))]

    def kinds(self, name: str) -> dict[str, str]:
        return {c.name: column_kind(c.type) for c in self.meta.tables[name].columns}

    def close(self) -> None:
        try:
            self.connection.rollback()
            self.connection.close()
        finally:
            self.engine.dispose()

    def __enter__(self) -> IndexSnapshot:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def checkpoint_block(db_url: str) -> int | None:
    """The last block the index says it holds completely (None if it has none)."""
    with IndexSnapshot(db_url) as snapshot:
        return snapshot.checkpoint()


def _by_event(rows: list[dict[str, Any]]) -> Rows:
    return {(r["block_number"], r["log_index"]): r for r in rows}


def expected_rows(result: ReplayResult) -> dict[str, tuple[tuple[str, ...], Rows]]:
    """table → (key columns, key → expected row) as the replay rebuilds them."""
    r = result.replay
    tables: dict[str, tuple[tuple[str, ...], Rows]] = {}
    tables["events"] = (
        ("block_number", "log_index"),
        {
            (log.block_number, log.log_index): {
                "block_hash": "0x" + log.block_hash.hex(),
                "block_timestamp": log.timestamp,
                "tx_hash": "0x" + log.tx_hash.hex(),
                "tx_index": log.tx_index,
                "contract": log.address,
                "event": log.name,
                "args": event_json(log.args),
            }
            for log in result.logs
        },
    )
    tables["balances"] = (
        ("token", "holder"),
        {
            (token, holder): {"amount": amount}
            for token, state in r.tokens.items()
            for holder, amount in state.balances.items()
            if amount
        },
    )
    tables["token_supplies"] = (
        ("token",),
        {
            (token,): {"minted": s.minted, "burned": s.burned, "supply": s.supply}
            for token, s in r.tokens.items()
            if s.minted or s.burned
        },
    )
    tables["settlement_accounts"] = (
        ("token",),
        {
            (token,): {"settlement_balance": m.settlement_balance, "fee_credit": m.fee_credit}
            for token, m in r.markets.items()
            if m.settlement_balance or m.fee_credit
        },
    )
    tables["payee_credits"] = (
        ("payee",),
        {(payee,): {"credit": credit} for payee, credit in r.payee_credits.items() if credit},
    )
    tables["merchants"] = (
        ("id",),
        {
            (m.id,): {
                "token": m.token,
                "name": m.name,
                "symbol": m.symbol,
                "admin": m.admin,
                "status": STATUS.get(m.status, str(m.status)),
                "market_active": r.markets[m.token].active if m.token in r.markets else False,
                "point_value": r.markets[m.token].point_value if m.token in r.markets else 0,
                "issuance_cap": r.tokens[m.token].issuance_cap,
                "issuance_suspended": r.tokens[m.token].issuance_suspended,
                "admitted_block": m.admitted_block,
                "admitted_at": m.admitted_at,
            }
            for m in r.merchants.values()
        },
    )
    tables["order_counters"] = (
        ("owner",),
        {(owner,): {"counter": counter} for owner, counter in r.counters.items()},
    )
    swap_columns = (
        "tx_hash",
        "block_timestamp",
        "order_hash",
        "owner",
        "from_token",
        "to_token",
        "nonce",
        "amount_in",
        "amount_out",
        "gross_value",
        "paid_to_target",
        "fee",
        "dust",
        "relayer",
        "platform_payee",
        "platform_fee",
        "source_merchant_fee",
        "target_merchant_fee",
        "relayer_fee",
    )
    tables["swaps"] = (
        ("block_number", "log_index"),
        {
            (s.block_number, s.log_index): {
                c: getattr(s, "timestamp" if c == "block_timestamp" else c) for c in swap_columns
            }
            for s in r.swaps
        },
    )
    tables["order_rejections"] = (
        ("block_number", "log_index"),
        _by_event(
            [
                {**row, "reason_code": code_for_selector(bytes.fromhex(row["reason"][2:]))}
                for row in r.rejections
            ]
        ),
    )
    tables["used_nonces"] = (
        ("block_number", "log_index"),
        _by_event([{**row, "mask": f"0x{row['mask']:064x}"} for row in r.used_nonce_rows]),
    )
    tables["point_value_history"] = (
        ("block_number", "log_index"),
        _by_event([{k: v for k, v in row.items() if k != "timestamp"} for row in r.value_history]),
    )
    tables["attestations"] = (
        ("block_number", "log_index"),
        _by_event([{k: v for k, v in row.items() if k != "timestamp"} for row in r.attestations]),
    )
    # Freeze flags by authority and the current issuer keys (issue 13), as /controls serves them.
    tables["account_freezes"] = (
        ("token", "account"),
        {
            (token, account): {"by_merchant": bool(flags[0]), "by_governance": bool(flags[1])}
            for token, state in r.tokens.items()
            for account, flags in state.freezes.items()
            if flags[0] or flags[1]
        },
    )
    tables["merchant_issuers"] = (
        ("token", "issuer"),
        {(token, issuer): {} for token, state in r.tokens.items() for issuer in state.issuers},
    )
    tables["platform_parameters"] = (("name",), parameter_rows(result))
    tables.update(governance_rows(result))
    for rows in (
        tables[n][1]
        for n in ("order_rejections", "used_nonces", "point_value_history", "attestations")
    ):
        for row in rows.values():
            row.pop("block_number", None)
            row.pop("log_index", None)
    tables.update(read_index_rows(result))
    tables["htlc_locks"] = (("lock_id",), expected_lock_rows(r.htlc))
    return tables


def _key_text(columns: tuple[str, ...], key: Key, checksum: bool = True) -> str:
    parts = []
    for column, value in zip(columns, key, strict=True):
        if checksum and isinstance(value, str) and len(value) == 42 and value.startswith("0x"):
            value = to_checksum_address(value)
        parts.append(f"{column}={value}")
    return ", ".join(parts)


def compare_database(
    db: str | IndexSnapshot, result: ReplayResult, rpc: JsonRpc | None = None
) -> tuple[list[Finding], dict[str, dict[str, int]]]:
    """(findings, per-table counts of rows, missing, extra and different rows)."""
    snapshot = IndexSnapshot(db) if isinstance(db, str) else db
    try:
        return _compare(snapshot, result, rpc)
    finally:
        if isinstance(db, str):
            snapshot.close()


def _compare(
    snapshot: IndexSnapshot, result: ReplayResult, rpc: JsonRpc | None
) -> tuple[list[Finding], dict[str, dict[str, int]]]:
    expected = expected_rows(result)
    findings: list[Finding] = []
    summary: dict[str, dict[str, int]] = {}
    for table_name, (key_columns, rows) in expected.items():
        found_rows = snapshot.rows(table_name)
        if found_rows is None:
            findings.append(
                Finding(
                    "database",
                    f"db:{table_name}",
                    "",
                    "",
                    "a table",
                    None,
                    "the table is missing",
                )
            )
            continue
        kinds = snapshot.kinds(table_name)
        actual: dict[Key, list[dict[str, Any]]] = defaultdict(list)
        for mapping in found_rows:
            actual[tuple(mapping[c] for c in key_columns)].append(mapping)
        summary[table_name] = _compare_table(table_name, key_columns, rows, actual, findings, kinds)
    for table_name, check in (
        ("relayer_orders", check_relayer_orders),
        ("relayer_requests", check_relayer_requests),
    ):
        found_rows = snapshot.rows(table_name)
        if found_rows is not None:
            table_findings = check(found_rows, result)
            findings += table_findings
            summary[table_name] = {"rows": len(found_rows), "different": len(table_findings)}
    findings += _check_blocks(snapshot.meta, snapshot.connection, result, rpc)
    return findings, summary


def _compare_table(
    name: str,
    key_columns: tuple[str, ...],
    expected: Rows,
    actual: dict[Key, list[dict[str, Any]]],
    findings: list[Finding],
    kinds: dict[str, str],
) -> dict[str, int]:
    where = f"db:{name}"
    counts = {
        "rows": sum(len(v) for v in actual.values()),
        "missing": 0,
        "extra": 0,
        "different": 0,
        "duplicated": 0,
    }
    wanted = {
        tuple(stored(k, kinds[c]) for c, k in zip(key_columns, key, strict=True)): (key, row)
        for key, row in expected.items()
    }
    for nkey, (key, row) in wanted.items():
        found = actual.get(nkey)
        label = _key_text(key_columns, key)
        if not found:
            counts["missing"] += 1
            findings.append(
                Finding(
                    "database",
                    where,
                    label,
                    "",
                    "row",
                    None,
                    "missing row: the chain has it, the index does not",
                )
            )
            continue
        if len(found) > 1:
            counts["duplicated"] += 1
            findings.append(Finding("database", where, label, "", 1, len(found), "duplicated row"))
        differs = False
        for column, value in row.items():
            db_value = found[0].get(column, "<no column>")
            if not same(db_value, stored(value, kinds.get(column, "other"))):
                differs = True
                findings.append(
                    Finding(
                        "database",
                        where,
                        label,
                        column,
                        _show(value),
                        _show(db_value),
                        "db value differs from the chain's",
                    )
                )
        counts["different"] += differs
    for nkey, found in actual.items():
        if nkey not in wanted:
            counts["extra"] += len(found)
            findings.append(
                Finding(
                    "database",
                    where,
                    _key_text(key_columns, nkey, checksum=False),
                    "",
                    None,
                    "row",
                    "extra row: the index has it, the chain does not",
                )
            )
    return counts


def _show(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 42 and value.startswith("0x"):
        return to_checksum_address(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)
    return value


def _check_blocks(
    meta: MetaData, connection: Connection, result: ReplayResult, rpc: JsonRpc | None
) -> list[Finding]:
    """The checkpoint and recent block hashes the index keeps must be the chain's."""
    findings: list[Finding] = []
    known = {log.block_number: "0x" + log.block_hash.hex() for log in result.logs}
    known[result.to_block] = result.to_block_hash
    stored: list[tuple[str, int, str]] = []
    for name in ("index_checkpoint", "indexed_blocks"):
        table = meta.tables.get(name)
        if table is None:
            continue
        for row in connection.execute(select(table)):
            m = row._mapping
            stored.append((name, int(m["block_number"]), str(m["block_hash"])))
    unknown = sorted({n for _, n, _ in stored if n not in known and n <= result.to_block})
    if unknown and rpc is not None:
        blocks = rpc.batch([("eth_getBlockByNumber", [hex(n), False]) for n in unknown])
        known.update({n: b["hash"] for n, b in zip(unknown, blocks, strict=True) if b})
    fetch: Callable[[int], str | None] = known.get
    for name, number, block_hash in stored:
        if name == "index_checkpoint" and number != result.to_block:
            findings.append(
                Finding(
                    "database",
                    "db:index_checkpoint",
                    "id=1",
                    "block_number",
                    result.to_block,
                    number,
                    "the index is at another block than the audit",
                )
            )
        chain_hash = fetch(number)
        if chain_hash is not None and chain_hash != block_hash:
            findings.append(
                Finding(
                    "database",
                    f"db:{name}",
                    f"block_number={number}",
                    "block_hash",
                    chain_hash,
                    block_hash,
                    "the index holds a block hash the chain does not have",
                )
            )
    return findings
