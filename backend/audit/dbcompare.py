"""Comparing the indexer's database with the replay, row by row.

The tables are read by reflection (plain SQL through SQLAlchemy Core), not through the
indexer's models or projector: the audit must not share the indexer's code path. Every row the
replay expects is looked up by its key; each difference is named (table, key, column, the
database's value and the chain's), as are missing rows, extra rows and duplicated keys.
Values are compared exactly, in the one form the index stores them (``stored_form``):
addresses checksummed, hex lower-case, integers as integers; a lower-cased address or an
amount stored as text is a difference, because the API looks rows up exactly.

Both sides are pinned to one block: the whole database is read in one read transaction
(``index_snapshot.IndexSnapshot``), whose checkpoint is the block the chain is replayed to, so
an index that moves during the audit is compared as it was at that block. What each table must
hold is ``expected_rows``.

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
from typing import TYPE_CHECKING, Any

from eth_utils import to_checksum_address
from sqlalchemy import Connection, MetaData, select

from .expected_rows import Key, Rows, expected_rows
from .findings import Finding
from .index_snapshot import IndexSnapshot
from .served_tables import check_relayer_orders, check_relayer_requests
from .stored_form import same, stored

if TYPE_CHECKING:
    from ..chain.rpc import JsonRpc
    from .results import ReplayResult


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
