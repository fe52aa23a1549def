"""One audit: replay the chain, compare with the contracts (and the indexer database), report.

The report's *canonical* part is what any auditor of the same chain at the same block gets,
whatever its node or machine: chain id, block range and block hash, history digest, event
counts, the rebuilt state's summary, the checks run and the chain findings. Its hash
(``reportHash`` = keccak256 of the canonical part as JSON with sorted keys, no spaces, UTF-8)
is what an attestation records. The database comparison and the timings are not part of it:
they depend on the auditor's own index and machine. When the node keeps no state at the
audited block, the contracts are read at the head and the canonical part says so
(``stateBlock``); the history digest never depends on state.

This module only drives: the result types are in ``results`` (data only), the comparisons in
``checks`` and ``dbcompare``, the text in ``report_text``; none of those imports this one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eth_utils import to_checksum_address

from ..chain.rpc import JsonRpc, RpcError
from ..core.errors import ConfigurationError
from .checks import compare_with_contracts
from .dbcompare import compare_database
from .decode import Log
from .digest import HistoryDigest
from .fetch import Contracts, LogReader
from .findings import CHECKS, jsonable
from .index_snapshot import IndexSnapshot
from .invariants import invariant_findings
from .orders import domain_separator, orders_of
from .replay import Replay
from .results import REPORT_VERSION, AuditReport, ReplayResult

__all__ = ["AuditReport", "ReplayResult", "replay_chain", "run_audit"]


@contextmanager
def _progress(enabled: bool, total: int, label: str) -> Iterator[Any]:
    """A rich progress bar on a terminal; silent otherwise (logs, CI, tests)."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda _n: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def replay_chain(
    rpc: JsonRpc,
    contracts: Contracts,
    from_block: int,
    to_block: int | None = None,
    *,
    chunk_size: int = 2_000,
    progress: bool = False,
    digest_at: set[int] | None = None,
) -> ReplayResult:
    """Replays every platform log from ``from_block`` to ``to_block`` (default: the head)."""
    chain_id = rpc.chain_id()
    end = rpc.block_number() if to_block is None else to_block
    reader = LogReader(rpc, contracts, chunk_size)
    replay = Replay(contracts.settlement, contracts.exchange)
    replay.htlc.chain_id = chain_id
    separator = domain_separator(chain_id, to_checksum_address(contracts.exchange))
    digest = HistoryDigest(chain_id)
    pending = sorted(b for b in digest_at or () if b <= end)
    digests_at: dict[int, str] = {}
    logs: list[Log] = []
    started = time.perf_counter()
    with _progress(progress, end - from_block + 1, "replaying blocks") as advance:
        for log in reader.read(from_block, end, advance):
            while pending and pending[0] < log.block_number:
                digests_at[pending.pop(0)] = digest.hex()
            if log.name in ("Swapped", "OrderRejected") and log.tx_hash not in replay.orders:
                tx = reader.transactions.get(log.tx_hash)
                replay.orders[log.tx_hash] = (
                    [] if tx is None else orders_of(tx, contracts.exchange, separator)
                )
            digest.update(log)
            replay.apply(log)
            logs.append(log)
    for block in pending:
        digests_at[block] = digest.hex()
    seconds = time.perf_counter() - started
    end_block = rpc.block(end)
    block_hash = end_block["hash"]
    replay.expiry.now = int(end_block["timestamp"], 16)  # issue 16: what is expired at `end`
    replay.expiry.advance(replay.expiry.now)
    return ReplayResult(
        chain_id,
        from_block,
        end,
        block_hash,
        replay,
        digest.hex(),
        digest.count,
        seconds,
        digests_at,
        logs,
    )


def _summary(replay: Replay) -> dict[str, Any]:
    symbols = {m.token: m.symbol for m in replay.merchants.values()}
    tokens = []
    for address, token in sorted(replay.tokens.items()):
        tokens.append(
            {
                "token": to_checksum_address(address),
                "symbol": "sCNY" if token.kind == "settlement" else symbols.get(address, "?"),
                "supply": token.supply,
                "minted": token.minted,
                "burned": token.burned,
                "issued": token.issued,
                "redeemed": token.redeemed,
                "swapMinted": token.swap_minted,
                "swapBurned": token.swap_burned,
                "holders": sum(1 for v in token.balances.values() if v),
            }
        )
    markets = [
        {
            "symbol": symbols.get(token, "?"),
            "token": to_checksum_address(token),
            "pointValue": m.point_value,
            "active": m.active,
            "settlementBalance": m.settlement_balance,
            "feeCredit": m.fee_credit,
        }
        for token, m in sorted(replay.markets.items())
    ]
    return {
        "tokens": tokens,
        "markets": markets,
        "payeeCredits": {
            to_checksum_address(p): c for p, c in sorted(replay.payee_credits.items()) if c
        },
        "swaps": len(replay.swaps),
        "ordersChecked": replay.orders_checked,
        "rejections": len(replay.rejections),
        # sCNY held beyond every account (sent to the exchange directly): not a violation,
        # reported apart from the findings; governance may sweep it (``sweepSurplus``).
        "settlementSurplus": replay.surplus(),
        "surplusSwept": replay.surplus_swept,
        "feesCharged": replay.fees_charged,
        "feesCredited": replay.fees_credited,
        "merchants": len(replay.merchants),
        "attestations": len(replay.attestations),
        **({"htlc": replay.htlc.summary()} if replay.htlc.locks or replay.htlc.stray else {}),
    }


def run_audit(
    rpc_url: str,
    contracts: Contracts,
    from_block: int,
    to_block: int | None = None,
    *,
    db_url: str | None = None,
    chunk_size: int = 2_000,
    progress: bool = False,
) -> AuditReport:
    """The whole audit, both sides pinned to one block.

    The head is read once; with ``db_url`` and no ``to_block`` the audit is at the index's
    checkpoint, read in the same read transaction as every table it compares (so an index
    that moves meanwhile is still compared at that block). The contracts' state is read at the
    audited block; a node without that state (an anvil restored from its state file keeps
    none before its restart; a pruned node keeps only recent blocks) is read at the pinned
    head instead, after replaying up to it, and the report names that ``stateBlock``.
    """
    snapshot = None
    if db_url is not None:
        snapshot = IndexSnapshot(db_url)
    try:
        with JsonRpc(rpc_url) as rpc:
            head = rpc.block_number()
            if to_block is None and snapshot is not None:
                to_block = snapshot.checkpoint()
            audited = head if to_block is None else to_block
            if audited > head:
                raise ConfigurationError(
                    f"block {audited} is beyond the node's head ({head})", block=audited
                )
            result = replay_chain(
                rpc, contracts, from_block, audited, chunk_size=chunk_size, progress=progress
            )
            db_result = None
            if snapshot is not None:
                db_result = compare_database(snapshot, result, rpc)
            started = time.perf_counter()
            state_result, state_block = result, result.to_block
            try:
                compared = compare_with_contracts(rpc, result.replay, contracts, state_block)
            except RpcError:
                if result.to_block == head:
                    raise
                state_result = replay_chain(rpc, contracts, from_block, head, chunk_size=chunk_size)
                state_block = head
                compared = compare_with_contracts(rpc, state_result.replay, contracts, head)
            state_findings, chain_values, calls = compared
            compare_seconds = time.perf_counter() - started
    finally:
        if snapshot is not None:
            snapshot.close()
    replay = result.replay
    invariant_list, checked = invariant_findings(state_result.replay, chain_values, contracts)
    chain_findings = replay.findings + invariant_list + state_findings
    per_event = {
        "invariant-2": len(replay.swaps),
        "invariant-3": len(replay.swaps),
        "invariant-4": len(replay.swaps) + len(replay.used_nonce_rows),
        "invariant-5": calls,
        "htlc": len(replay.htlc.locks),
        "vouchers": len(replay.vouchers.purchases) + len(replay.vouchers.activity),
    }
    invariants = {}
    checks = ["invariant-1", "invariant-2", "invariant-3", "invariant-4", "invariant-5"]
    checks += ["htlc"] if contracts.htlc is not None else []  # a deployment before issue 17
    checks += ["vouchers"] if contracts.voucher_book is not None else []  # before issue 16
    for check in checks:
        failures = [f for f in chain_findings if f.check == check]
        invariants[check] = {
            "statement": CHECKS[check],
            "ok": not failures,
            "checks": checked.get(check, 0) + per_event.get(check, 0),
            "failures": len(failures),
        }
    canonical = {
        "report": "tongdui-audit",
        "version": REPORT_VERSION,
        "chainId": result.chain_id,
        "contracts": {k: to_checksum_address(v) for k, v in contracts.to_json().items()},
        "fromBlock": result.from_block,
        "toBlock": result.to_block,
        "toBlockHash": result.to_block_hash,
        **({} if state_block == result.to_block else {"stateBlock": state_block}),
        "historyDigest": result.digest,
        "events": result.events,
        "eventCounts": dict(sorted(replay.event_counts.items())),
        "state": _summary(replay),
        "invariants": invariants,
        "findings": [f.to_json() for f in chain_findings],
        "ok": not chain_findings,
    }
    database = None
    findings = list(chain_findings)
    if db_url is not None and db_result is not None:
        db_findings, tables = db_result
        findings += db_findings
        database = {
            "url": _redact(db_url),
            "tables": tables,
            "ok": not db_findings,
            "findings": [f.to_json() for f in db_findings],
        }
    timing = {
        "replaySeconds": round(result.seconds, 3),
        "eventsPerSecond": round(result.events_per_second, 1),
        "stateCalls": calls,
        "stateCompareSeconds": round(compare_seconds, 3),
    }
    return AuditReport(jsonable(canonical), database, timing, findings, result)


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return url
