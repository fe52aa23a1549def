"""Clearing statements (清分): per merchant and period, and the consortium's who-paid-whom.

A statement is built from the auditor's replay (never from the index), over a block range;
a period given as dates is turned into the blocks whose timestamps fall in it (in the
consortium's clock, UTC+8 by default, ``--utc-offset`` or ``TONGDUI_STATEMENT_UTC_OFFSET``).
A period with no block (a day before the first block, or not begun) is an empty statement.
Every statement carries its block range, the hash of its last block and the history digest at
that block, so anyone can rebuild it from a node and compare (``tongdui audit
verify-statement``); its labels are bound too: the days and clock it names must be exactly
its blocks (all of them when ``period.complete``, else those up to its last block).
Periods are ``statement_periods``; files and their verification ``statement_files``.

Figures for merchant M over blocks [from, to]:
  issued / redeemed            points of M issued and redeemed (核销)
  swappedOut {points, value}   M's points swapped away; value = Σ V that M's account paid
  swappedIn  {points, value}   points of M received by swaps; value = Σ amountOut × value(M)
  feesPaid                     Σ fee (incl. dust) inside the V that M paid
  feesEarned                   M's shares of every swap's fee (as source and as target)
  deposits / withdrawals / feesWithdrawn   movements of M's settlement account and credit
  settlementBalance, feeCredit {opening, closing}   before `from` and after `to`
  voucherSales {count, value, points, cash}   vouchers of M sold (prices; how they were paid)
  voucherRedemptions {count, value}           vouchers of M redeemed (face values)
  voucherBreakage {count, value, refundedPoints}   vouchers of M expired unused (value kept)
  voucherPayments {paidIn, paidOut}           VoucherPaid: points part received by M; V paid
                                              by M's account for its points spent on vouchers
  netPosition                  swappedIn.value − swappedOut.value + voucherPayments.paidIn −
                               voucherPayments.paidOut + feesEarned
and they reconcile: closing − opening = deposits − withdrawals + swappedIn.value −
swappedOut.value + paidIn − paidOut (settlement; a voucher's cash part arrives as a deposit)
and = feesEarned − feesWithdrawn (fee credit; voucher payments' fee shares included).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from eth_utils import to_checksum_address

from ..chain.rpc import JsonRpc
from .fetch import Contracts
from .findings import jsonable
from .replay import Replay
from .results import ReplayResult
from .run import replay_chain

STATEMENT_VERSION = 1


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
        **_zero_voucher_counts(),
    }


def _zero_voucher_counts() -> dict[str, Any]:
    """Issue 16: vouchers sold (their prices, and how they were paid), redeemed (face values),
    expired unused (the value kept: breakage; points refunded), and the voucher payments made
    with other programs' points, which move settlement value as swaps do."""
    return {
        "voucherSales": {"count": 0, "value": 0, "points": 0, "cash": 0},
        "voucherRedemptions": {"count": 0, "value": 0},
        "voucherBreakage": {"count": 0, "value": 0, "refundedPoints": 0},
        "voucherPayments": {"paidIn": 0, "paidOut": 0},
    }


def _voucher_figures(
    closing: Replay, figures: dict[str, dict[str, Any]], symbols: dict[str, str], from_block: int
) -> None:
    """Adds the period's voucher figures: sales, redemptions, breakage by the product's
    merchant, and each ``VoucherPaid`` as a swap's settlement move (source pays V and its fee,
    the voucher merchant receives the points part, both earn their fee shares)."""
    kinds = {
        "sale": "voucherSales",
        "redemption": "voucherRedemptions",
        "expiry": "voucherBreakage",
    }
    for row in closing.vouchers.activity:
        if (
            row["block_number"] < from_block
            or row["kind"] not in kinds
            or row["token"] not in figures
        ):
            continue
        cell = figures[row["token"]][kinds[row["kind"]]]
        cell["count"] += 1
        cell["value"] += row["value"]
        if row["kind"] == "sale":
            cell["points"] += row["points"]
            cell["cash"] += row["cash"]
        elif row["kind"] == "expiry":
            cell["refundedPoints"] += row["points"]
    for pay in closing.vouchers.payments:
        if pay["block_number"] < from_block:
            continue
        source, target = figures[pay["from_token"]], figures[pay["to_token"]]
        source["voucherPayments"]["paidOut"] += pay["gross_value"]
        source["feesPaid"] += pay["fee"]
        source["feesEarned"] += pay["source_merchant_fee"]
        source["paidTo"][symbols[pay["to_token"]]] += pay["paid_to_target"]
        target["voucherPayments"]["paidIn"] += pay["paid_to_target"]
        target["feesEarned"] += pay["target_merchant_fee"]
        target["receivedFrom"][symbols[pay["from_token"]]] += pay["paid_to_target"]


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
    _voucher_figures(closing, figures, symbols, from_block)
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
        vouchers = f["voucherPayments"]
        f["netPosition"] = (
            f["swappedIn"]["value"]
            - f["swappedOut"]["value"]
            + vouchers["paidIn"]
            - vouchers["paidOut"]
            + f["feesEarned"]
        )
        f["paidTo"], f["receivedFrom"] = (
            dict(sorted(f["paidTo"].items())),
            dict(sorted(f["receivedFrom"].items())),
        )
        settled = (
            f["settlementBalance"]["closing"] - f["settlementBalance"]["opening"]
            == f["deposits"]
            - f["withdrawals"]
            + f["swappedIn"]["value"]
            - f["swappedOut"]["value"]
            + vouchers["paidIn"]
            - vouchers["paidOut"]
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
