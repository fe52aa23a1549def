"""The audit's handlers of PointsExchange's orders: swaps, rejections, nonces and counters.

Each swap is priced again with the values and fee in force at its block
(``chain.swap_math.quote``), its fee split as FeeSplit.sol does it, its signed order found in
the batch's calldata and checked (not expired, counter current, signed by its owner, terms as
executed), its nonce used once and the owner's decaying window kept. ``HANDLERS`` are this
family's rows of ``replay.HANDLERS``.
"""

from __future__ import annotations

from ..chain.constants import ZERO_ADDRESS
from ..chain.swap_math import quote, split_fee
from .decode import Log
from .replay_base import Handler, ReplayBase
from .state import SwapRecord, decayed_usage


def on_NoncesCancelled(replay: ReplayBase, log: Log) -> None:
    owner, word, mask = log.args["owner"], log.args["word"], log.args["mask"]
    replay.nonce_words[(owner, word)] = replay.nonce_words.get((owner, word), 0) | mask
    for bit in range(256):
        if mask >> bit & 1:
            replay.nonce_source.setdefault((owner, word << 8 | bit), "cancel")
    replay.used_nonce_rows.append(
        {
            "block_number": log.block_number,
            "log_index": log.log_index,
            "owner": owner,
            "word": word,
            "mask": mask,
            "source": "cancel",
        }
    )


def on_CounterIncremented(replay: ReplayBase, log: Log) -> None:
    owner, counter = log.args["owner"], log.args["counter"]
    previous = replay.counters.get(owner, 0)
    if counter != previous + 1:
        replay.find(
            "invariant-4", log, "counter", previous + 1, counter, "a counter moves up by one"
        )
    replay.counters[owner] = counter


def on_OrderRejected(replay: ReplayBase, log: Log) -> None:
    """Keyed by order hash, never by (owner, nonce): a relayer may name any owner and nonce
    in an order whose signature fails. Only a rejection whose nonce the contract consumed
    (signature verified there) touches the owner's nonces, and the audit verifies that
    signature itself from the batch's calldata."""
    a = log.args
    if a["nonceConsumed"]:
        _check_rejected_order(replay, log)
        _use_nonce(replay, log, a["owner"], a["nonce"], "reject")
    replay.rejections.append(
        {
            "block_number": log.block_number,
            "log_index": log.log_index,
            "order_hash": a["orderHash"],
            "owner": a["owner"],
            "nonce": a["nonce"],
            "reason": a["reason"],
        }
    )


def on_Swapped(replay: ReplayBase, log: Log) -> None:
    a = log.args
    owner, nonce = a["owner"], a["nonce"]
    source, target = replay.markets.get(a["fromToken"]), replay.markets.get(a["toToken"])
    if source is None or target is None or not source.active or not target.active:
        replay.find(
            "invariant-2",
            log,
            "market",
            "two listed, active markets",
            f"{a['fromToken']}→{a['toToken']}",
            "swap on an unknown or inactive market",
        )
        return
    q = quote(a["amountIn"], source.point_value, target.point_value, replay.fees.fee_bps)
    for name, mine in (
        ("grossValue", q.gross_value),
        ("amountOut", q.amount_out),
        ("fee", q.fee),
        ("dust", q.dust),
    ):
        if a[name] != mine:
            replay.find(
                "invariant-2",
                log,
                name,
                mine,
                a[name],
                "differs from SwapMath with the values and fee in force",
            )
    paid = a["amountOut"] * target.point_value
    if a["grossValue"] < replay.min_order_value:
        replay.find(
            "invariant-2",
            log,
            "grossValue",
            f"≥ {replay.min_order_value}",
            a["grossValue"],
            "a swap below the minimum order value executed",
        )
    if a["grossValue"] != paid + a["fee"]:
        replay.find(
            "invariant-2",
            log,
            "grossValue",
            paid + a["fee"],
            a["grossValue"],
            "V must equal amountOut × valueB + fee",
        )
    if source.settlement_balance < a["grossValue"]:
        replay.find(
            "invariant-2",
            log,
            "settlementBalance",
            f"≥ {a['grossValue']}",
            source.settlement_balance,
            "the source merchant could not cover V",
        )
    _check_order(replay, log, owner, nonce)
    _use_nonce(replay, log, owner, nonce)
    enforce_user_window(replay, log, owner, a["grossValue"])

    has_relayer = a["relayer"] != ZERO_ADDRESS
    platform, src, tgt, rel = split_fee(replay.fees.shares, a["fee"], has_relayer)
    source.settlement_balance -= a["grossValue"]
    source.fee_credit += src
    target.settlement_balance += paid
    target.fee_credit += tgt
    payee = replay.fees.platform_payee
    replay.payee_credits[payee] = replay.payee_credits.get(payee, 0) + platform
    if rel:
        replay.payee_credits[a["relayer"]] = replay.payee_credits.get(a["relayer"], 0) + rel
    replay.fees_charged += a["fee"]
    replay.fees_credited += platform + src + tgt + rel
    replay.swap_value_paid += a["grossValue"]
    replay.swap_value_received += paid + a["fee"]
    replay.token(a["fromToken"]).swap_burned += a["amountIn"]
    replay.token(a["toToken"]).swap_minted += a["amountOut"]
    replay.swaps.append(
        SwapRecord(
            log.block_number,
            log.log_index,
            "0x" + log.tx_hash.hex(),
            log.timestamp,
            a["orderHash"],
            owner,
            a["fromToken"],
            a["toToken"],
            nonce,
            a["amountIn"],
            a["amountOut"],
            a["grossValue"],
            paid,
            a["fee"],
            a["dust"],
            a["relayer"],
            payee,
            platform,
            src,
            tgt,
            rel,
        )
    )


def _use_nonce(replay: ReplayBase, log: Log, owner: str, nonce: int, source: str = "swap") -> None:
    word, bit = nonce >> 8, 1 << (nonce & 0xFF)
    used = replay.nonce_words.get((owner, word), 0)
    if used & bit:
        how = replay.nonce_source.get((owner, nonce), "swap")
        if how == "reject":
            how = "rejected before"
        replay.find(
            "invariant-4",
            log,
            "nonce",
            "unused",
            f"{nonce} ({how})",
            {
                "swap": "order executed twice",
                "cancel": "order executed after its nonce was cancelled",
            }.get(how, "order executed after it was rejected (a rejection is final)"),
        )
    replay.nonce_words[(owner, word)] = used | bit
    replay.nonce_source.setdefault((owner, nonce), source)
    replay.used_nonce_rows.append(
        {
            "block_number": log.block_number,
            "log_index": log.log_index,
            "owner": owner,
            "word": word,
            "mask": bit,
            "source": source,
        }
    )


def _check_rejected_order(replay: ReplayBase, log: Log) -> None:
    """A rejection that consumed a nonce: the batch's calldata must carry an order with
    this hash, signed by the owner the event names, with that nonce."""
    a = log.args
    found = [o for o in replay.orders.get(log.tx_hash, []) if o.order_hash == a["orderHash"]]
    if not found:
        replay.find(
            "invariant-4",
            log,
            "order",
            "the signed order in the transaction",
            None,
            "a rejection consumed a nonce but its order is not in the calldata",
        )
        return
    order = found[0]
    for name, mine, theirs in (
        ("signer", order.signer, a["owner"]),
        ("owner", order.owner, a["owner"]),
        ("nonce", order.nonce, a["nonce"]),
    ):
        if mine != theirs:
            replay.find(
                "invariant-4",
                log,
                name,
                mine,
                theirs,
                "a rejection consumed the nonce of an order its owner did not sign",
            )


def _check_order(replay: ReplayBase, log: Log, owner: str, nonce: int) -> None:
    """The signed order behind this swap: not expired, counter current, signed by its
    owner, terms as executed."""
    a = log.args
    candidates = [o for o in replay.orders.get(log.tx_hash, []) if o.order_hash == a["orderHash"]]
    if not candidates:
        replay.find(
            "invariant-4",
            log,
            "order",
            "the signed order in the transaction",
            None,
            "cannot find the order in the calldata; expiry and counter not verifiable",
        )
        return
    order = candidates[0]
    replay.orders_checked += 1
    if log.timestamp > order.deadline:
        replay.find(
            "invariant-4",
            log,
            "deadline",
            f"≥ block time {log.timestamp}",
            order.deadline,
            "an expired order executed",
        )
    counter = replay.counters.get(owner, 0)
    if order.counter != counter:
        replay.find(
            "invariant-4",
            log,
            "counter",
            counter,
            order.counter,
            "an order signed under an old counter (cancelled) executed",
        )
    if order.signer != owner:
        replay.find(
            "invariant-4",
            log,
            "signer",
            owner,
            order.signer,
            "the order is not signed by its owner",
        )
    for name, mine, theirs in (
        ("owner", order.owner, owner),
        ("nonce", order.nonce, nonce),
        ("amountIn", order.amount_in, a["amountIn"]),
        ("fromToken", order.from_token, a["fromToken"]),
        ("toToken", order.to_token, a["toToken"]),
    ):
        if mine != theirs:
            replay.find("invariant-4", log, name, mine, theirs, "event differs from order")
    if a["amountOut"] < order.min_amount_out:
        replay.find(
            "invariant-4",
            log,
            "amountOut",
            f"≥ {order.min_amount_out}",
            a["amountOut"],
            "below the owner's minAmountOut",
        )


def enforce_user_window(replay: ReplayBase, log: Log, owner: str, value: int) -> None:
    """PointsExchange._enforceUserLimit (a decaying window), so userState compares too; swaps
    and voucher payments with another program's points (``VoucherPaid``) both count."""
    limit, window = replay.user_limit
    if limit == 0:
        return
    updated_at, used = replay.windows.get(owner, (0, 0))
    used = decayed_usage(used, log.timestamp - updated_at, limit, window) + value
    if used > limit:
        replay.find(
            "invariant-4",
            log,
            "limitUsed",
            f"≤ {limit}",
            used,
            "a swap above the user's limit executed",
        )
    replay.windows[owner] = (log.timestamp, used)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("PointsExchange", "NoncesCancelled"): on_NoncesCancelled,
    ("PointsExchange", "CounterIncremented"): on_CounterIncremented,
    ("PointsExchange", "OrderRejected"): on_OrderRejected,
    ("PointsExchange", "Swapped"): on_Swapped,
}
