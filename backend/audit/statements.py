"""Clearing statements (清分): per merchant and period, and the consortium's who-paid-whom.

A statement is built from the auditor's replay (never from the index), over a block range;
a period given as dates is turned into the blocks whose timestamps fall in it (in the
consortium's clock, UTC+8 by default, ``--utc-offset`` or ``TONGDUI_STATEMENT_UTC_OFFSET``).
A period with no block (a day before the first block, or not begun) is an empty statement.
Every statement carries its block range, the hash of its last block and the history digest at
that block, so anyone can rebuild it from a node and compare (``tongdui audit
verify-statement``); its labels are bound too: the days and clock it names must be exactly
its blocks (all of them when ``period.complete``, else those up to its last block).

Figures for merchant M over blocks [from, to]:
  issued / redeemed            points of M issued and redeemed (核销)
  swappedOut {points, value}   M's points swapped away; value = Σ V that M's account paid
  swappedIn  {points, value}   points of M received by swaps; value = Σ amountOut × value(M)
  feesPaid                     Σ fee (incl. dust) inside the V that M paid
  feesEarned                   M's shares of every swap's fee (as source and as target)
  deposits / withdrawals / feesWithdrawn   movements of M's settlement account and credit
  settlementBalance, feeCredit {opening, closing}   before `from` and after `to`
  netPosition                  swappedIn.value − swappedOut.value + feesEarned
and they reconcile: closing − opening = deposits − withdrawals + swappedIn.value −
swappedOut.value (settlement) and = feesEarned − feesWithdrawn (fee credit).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from eth_utils import to_checksum_address

from ..chain.rpc import JsonRpc
from .fetch import Contracts
from .findings import Finding, jsonable
from .replay import Replay
from .run import ReplayResult, replay_chain

STATEMENT_VERSION = 1
CHINA_UTC_OFFSET = 8


def day_bounds(
    first: date, last: date, utc_offset_hours: int = CHINA_UTC_OFFSET
) -> tuple[int, int]:
    """[start, end) unix seconds of the days ``first``..``last`` in the given clock."""
    zone = timezone(timedelta(hours=utc_offset_hours))
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
    return int(start.timestamp()), int(end.timestamp())


def blocks_between(
    rpc: JsonRpc, start_time: int, end_time: int, lowest: int = 0
) -> tuple[int, int]:
    """The first block at or after ``start_time`` and the last before ``end_time`` (binary
    search on block timestamps; standard JSON-RPC only)."""
    head = rpc.block_number()

    def first_at_or_after(moment: int) -> int:
        low, high = lowest, head + 1
        while low < high:
            middle = (low + high) // 2
            if int(rpc.block(middle)["timestamp"], 16) >= moment:
                high = middle
            else:
                low = middle + 1
        return low

    return first_at_or_after(start_time), first_at_or_after(end_time) - 1


@dataclass(frozen=True)
class Period:
    """Days in a clock, and the blocks whose timestamps fall in them on a given chain."""

    first_day: date
    last_day: date
    utc_offset_hours: int
    first_block: int
    last_block: int  # first_block − 1 when no block falls in the days
    complete: bool  # the chain has a block after the period: no block of it can follow

    def labels(self) -> dict[str, Any]:
        return {
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "utcOffsetHours": self.utc_offset_hours,
            "complete": self.complete,
        }


def resolve_period(
    rpc: JsonRpc, first_day: date, last_day: date, utc_offset_hours: int, lowest: int
) -> Period:
    """The blocks of the days ``first_day``..``last_day`` in the clock UTC+``offset``."""
    if last_day < first_day:
        raise ValueError(f"the period ends ({last_day}) before it begins ({first_day})")
    if not -12 <= utc_offset_hours <= 14:
        raise ValueError(f"a UTC offset is between -12 and 14 hours, not {utc_offset_hours}")
    head = rpc.block_number()
    start, end = day_bounds(first_day, last_day, utc_offset_hours)
    first, last = blocks_between(rpc, start, end, lowest)
    last = min(last, head)
    return Period(first_day, last_day, utc_offset_hours, first, max(last, first - 1), last < head)


def _opening_state(result: ReplayResult, from_block: int) -> Replay:
    """The replay just before ``from_block``, rebuilt from the logs already read."""
    replay = Replay(result.replay.settlement_address, result.replay.exchange_address)
    replay.orders = result.replay.orders
    for log in result.logs:
        if log.block_number >= from_block:
            break
        replay.apply(log)
    return replay


def _zero_counts() -> dict[str, Any]:
    """A merchant's period counters before any event: one shape for every statement."""
    return {
        "issued": 0,
        "redeemed": 0,
        "swappedOut": {"points": 0, "value": 0, "swaps": 0},
        "swappedIn": {"points": 0, "value": 0, "swaps": 0},
        "feesPaid": 0,
        "feesEarned": 0,
        "deposits": 0,
        "withdrawals": 0,
        "feesWithdrawn": 0,
    }


def build_statements(result: ReplayResult, contracts: Contracts, from_block: int) -> dict[str, Any]:
    """Every merchant's statement and the consortium matrix over [from_block, result.to_block]."""
    closing = result.replay
    opening = _opening_state(result, from_block)
    symbols = {m.token: m.symbol for m in closing.merchants.values()}
    figures: dict[str, dict[str, Any]] = {}
    for merchant in sorted(closing.merchants.values(), key=lambda m: m.id):
        figures[merchant.token] = {
            **_zero_counts(),
            "paidTo": defaultdict(int),
            "receivedFrom": defaultdict(int),
        }
    matrix: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    fees_to_split: dict[str, int] = defaultdict(int)
    for log in result.logs:
        if log.block_number < from_block:
            continue
        a, name = log.args, log.name
        if name == "Issued" and log.address in figures:
            figures[log.address]["issued"] += a["amount"]
        elif name == "Redeemed" and log.address in figures:
            figures[log.address]["redeemed"] += a["amount"]
        elif name == "SettlementDeposited" and a["token"] in figures:
            figures[a["token"]]["deposits"] += a["amount"]
        elif name == "SettlementWithdrawn" and a["token"] in figures:
            figures[a["token"]]["withdrawals"] += a["amount"]
        elif name == "MerchantFeesWithdrawn" and a["token"] in figures:
            figures[a["token"]]["feesWithdrawn"] += a["amount"]
    for swap in closing.swaps:
        if swap.block_number < from_block:
            continue
        source, target = figures[swap.from_token], figures[swap.to_token]
        source["swappedOut"]["points"] += swap.amount_in
        source["swappedOut"]["value"] += swap.gross_value
        source["swappedOut"]["swaps"] += 1
        source["feesPaid"] += swap.fee
        source["feesEarned"] += swap.source_merchant_fee
        source["paidTo"][symbols[swap.to_token]] += swap.paid_to_target
        target["swappedIn"]["points"] += swap.amount_out
        target["swappedIn"]["value"] += swap.paid_to_target
        target["swappedIn"]["swaps"] += 1
        target["feesEarned"] += swap.target_merchant_fee
        target["receivedFrom"][symbols[swap.from_token]] += swap.paid_to_target
        matrix[symbols[swap.from_token]][symbols[swap.to_token]] += swap.paid_to_target
        fees_to_split[symbols[swap.from_token]] += swap.fee
    merchants = {}
    for token, f in figures.items():
        before = opening.markets.get(token)
        after = closing.markets[token]
        f["settlementBalance"] = {
            "opening": before.settlement_balance if before else 0,
            "closing": after.settlement_balance,
        }
        f["feeCredit"] = {
            "opening": before.fee_credit if before else 0,
            "closing": after.fee_credit,
        }
        f["netPosition"] = f["swappedIn"]["value"] - f["swappedOut"]["value"] + f["feesEarned"]
        f["paidTo"], f["receivedFrom"] = (
            dict(sorted(f["paidTo"].items())),
            dict(sorted(f["receivedFrom"].items())),
        )
        settled = (
            f["settlementBalance"]["closing"] - f["settlementBalance"]["opening"]
            == f["deposits"] - f["withdrawals"] + f["swappedIn"]["value"] - f["swappedOut"]["value"]
        )
        credited = (
            f["feeCredit"]["closing"] - f["feeCredit"]["opening"]
            == f["feesEarned"] - f["feesWithdrawn"]
        )
        f["reconciles"] = settled and credited
        merchants[symbols[token]] = {"token": to_checksum_address(token), **f}
    return {
        "merchants": merchants,
        "consortium": {
            "settlementPaid": {
                payer: dict(sorted(row.items())) for payer, row in sorted(matrix.items())
            },
            "feesToRevenueSplit": dict(sorted(fees_to_split.items())),
            "payeeCreditsClosing": {
                to_checksum_address(p): c for p, c in sorted(closing.payee_credits.items()) if c
            },
        },
    }


def _not_yet_admitted(
    rpc_url: str, contracts: Contracts, deployment_block: int
) -> dict[str, dict[str, Any]]:
    """Zero figures for the merchants of today's chain: an empty period before a merchant
    was admitted is an empty statement of that merchant, not an unknown merchant."""
    with JsonRpc(rpc_url) as rpc:
        now = replay_chain(rpc, contracts, deployment_block, None)
    zero = {"opening": 0, "closing": 0}
    return {
        m.symbol: {
            "token": to_checksum_address(m.token),
            **_zero_counts(),
            "paidTo": {},
            "receivedFrom": {},
            "settlementBalance": dict(zero),
            "feeCredit": dict(zero),
            "netPosition": 0,
            "reconciles": True,
        }
        for m in sorted(now.replay.merchants.values(), key=lambda m: m.id)
    }


def make_statement(
    rpc_url: str,
    contracts: Contracts,
    deployment_block: int,
    from_block: int,
    to_block: int,
    merchant: str | None = None,
    period: dict[str, Any] | None = None,
    result: ReplayResult | None = None,
) -> dict[str, Any]:
    """One statement (a merchant's, or the consortium's when ``merchant`` is None)."""
    if result is None or result.to_block != to_block:
        with JsonRpc(rpc_url) as rpc:
            result = replay_chain(rpc, contracts, deployment_block, to_block)
    built = build_statements(result, contracts, from_block)
    body: dict[str, Any]
    if merchant is None:
        body = {"merchant": None, "figures": None, "consortium": built["consortium"]}
    else:
        symbol = merchant.upper()
        if symbol not in built["merchants"] and to_block < from_block:
            built["merchants"].update(_not_yet_admitted(rpc_url, contracts, deployment_block))
        if symbol not in built["merchants"]:
            from ..core.errors import NotFoundError

            raise NotFoundError(
                f"no merchant with symbol {merchant} at block {to_block}; "
                f"known: {', '.join(built['merchants'])}",
                symbol=merchant,
            )
        figures = built["merchants"][symbol]
        body = {
            "merchant": {"symbol": symbol, "token": figures.pop("token")},
            "figures": figures,
            "consortium": built["consortium"],
        }
    statement: dict[str, Any] = jsonable(
        {
            "statement": "tongdui-clearing",
            "version": STATEMENT_VERSION,
            "chainId": result.chain_id,
            "exchange": to_checksum_address(contracts.exchange),
            "period": {"fromBlock": from_block, "toBlock": result.to_block, **(period or {})},
            "toBlockHash": result.to_block_hash,
            "historyDigest": result.digest,
            "generatedAt": datetime.now(UTC).isoformat(timespec="seconds"),
            **body,
        }
    )
    return statement


# ─── files: JSON and CSV, and verification ───────────────────────────────────────────────


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """``{"a": {"b": 1}}`` → ``{"a.b": "1"}``: the CSV rows, and what verification compares."""
    rows: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            rows.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif value is None:
        rows[prefix] = ""
    elif isinstance(value, bool):
        rows[prefix] = "true" if value else "false"
    else:
        rows[prefix] = str(value)
    return rows


def to_csv(statement: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["field", "value"])
    for key, value in flatten(statement).items():
        writer.writerow([key, value])
    return out.getvalue()


def read_statement(text: str) -> dict[str, str]:
    """A statement file (JSON or the CSV above), flattened."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return flatten(json.loads(stripped))
    rows = list(csv.reader(io.StringIO(text)))
    return {key: value for key, value in rows[1:] if key}


IGNORED = ("generatedAt",)


def verify_statement(
    rpc_url: str, contracts: Contracts, deployment_block: int, text: str
) -> tuple[list[Finding], dict[str, str]]:
    """Rebuilds the statement the file claims (same merchant, same blocks) and names every
    field that differs, including the digest and block hash it was built from."""
    claimed = read_statement(text)
    try:
        from_block, to_block = int(claimed["period.fromBlock"]), int(claimed["period.toBlock"])
    except (KeyError, ValueError):
        return [
            Finding(
                "statement",
                "file",
                "period",
                "fromBlock/toBlock",
                "block numbers",
                None,
                "not a Tongdui statement: no block range",
            )
        ], {}
    symbol = claimed.get("merchant.symbol") or None
    label_findings = _check_labels(rpc_url, deployment_block, claimed, from_block, to_block)
    period = {
        k.split(".", 1)[1]: v
        for k, v in claimed.items()
        if k.startswith("period.") and k not in ("period.fromBlock", "period.toBlock")
    }
    rebuilt = flatten(
        make_statement(rpc_url, contracts, deployment_block, from_block, to_block, symbol, period)
    )
    findings = label_findings
    for key in sorted(set(claimed) | set(rebuilt)):
        if key in IGNORED or key.startswith("period."):
            continue
        mine, theirs = rebuilt.get(key), claimed.get(key)
        if mine != theirs:
            findings.append(
                Finding(
                    "statement",
                    "statement",
                    symbol or "consortium",
                    key,
                    mine,
                    theirs,
                    "differs from the statement rebuilt from the chain"
                    if theirs is not None and mine is not None
                    else "field missing from one side",
                )
            )
    return findings, rebuilt


def _check_labels(
    rpc_url: str, deployment_block: int, claimed: dict[str, str], from_block: int, to_block: int
) -> list[Finding]:
    """The days and clock a statement names must be its blocks (see the module's docstring)."""
    labels = {k: claimed.get(f"period.{k}") for k in ("from", "to", "utcOffsetHours")}
    if not any(labels.values()):
        return []  # a statement over a block range names no days

    def finding(field: str, expected: Any, actual: Any, message: str) -> Finding:
        return Finding("statement", "statement", "period", field, expected, actual, message)

    try:
        first_day = date.fromisoformat(labels["from"] or "")
        last_day = date.fromisoformat(labels["to"] or "")
        offset = int(labels["utcOffsetHours"] or "")
    except ValueError:
        return [
            finding(
                "from/to/utcOffsetHours", "two days and an hour offset", labels, "unreadable period"
            )
        ]
    with JsonRpc(rpc_url) as rpc:
        try:
            period = resolve_period(rpc, first_day, last_day, offset, deployment_block)
        except ValueError as error:
            return [finding("from/to/utcOffsetHours", "a period", labels, str(error))]
    where = f"{first_day}…{last_day} at UTC{offset:+d}"
    findings = []
    if from_block != period.first_block:
        findings.append(
            finding(
                "fromBlock",
                period.first_block,
                from_block,
                f"the first block of {where} is another one: the labels do not match the figures",
            )
        )
    complete = claimed.get("period.complete") == "true"
    if complete and not period.complete:
        findings.append(
            finding("complete", "false", "true", f"{where} is not over on this chain yet")
        )
    if to_block > period.last_block or (complete and to_block != period.last_block):
        findings.append(
            finding(
                "toBlock",
                period.last_block,
                to_block,
                f"the last block of {where} is another one: the labels do not match the figures",
            )
        )
    return findings
