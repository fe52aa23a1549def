"""The auditor's own state machine: the platform's state rebuilt from its events alone (into
the records of ``state.py``).

Written apart from the indexer on purpose: an audit that reused the indexer's projector would
share its bugs. Each handler follows the Solidity it mirrors (PointsExchange, FeeSplit,
SwapMath, PointsToken, MerchantRegistry) and checks, as it goes, the invariants that belong to
one event: a swap priced with the values and fee in force at its block, its fee split exactly
as FeeSplit.sol does it, a nonce used once, no withdrawal above the credit.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from typing import Any

from eth_utils import keccak

from . import htlc
from .decode import Log
from .findings import Finding
from .orders import SignedOrder
from .state import (
    BPS,
    VALUE_REFERENCE_PERIOD,
    ZERO_ADDRESS,
    FeeConfig,
    MarketState,
    MerchantState,
    SwapRecord,
    TokenState,
    decayed_usage,
    quote,
    split_fee,
)

ISSUER_ROLE = "0x" + keccak(text="ISSUER_ROLE").hex()  # PointsToken.ISSUER_ROLE


class Replay:
    """Apply logs in (block, logIndex) order; read the rebuilt state and the findings."""

    def __init__(self, settlement: str, exchange: str) -> None:
        self.settlement_address = settlement
        self.exchange_address = exchange
        self.tokens: dict[str, TokenState] = {settlement: TokenState(settlement, "settlement")}
        self.markets: dict[str, MarketState] = {}
        self.merchants: dict[int, MerchantState] = {}
        self.payee_credits: dict[str, int] = {}
        self.fees = FeeConfig()
        self.value_bounds = (0, 0, 0)  # (maxStepBps, minInterval, maxDailyStepBps)
        self.user_limit = (0, 0)  # (maxValuePerWindow, window)
        self.min_order_value = 0
        self.cover_floor_bps = 0
        self.surplus_swept = 0  # settlement units governance swept out (not an account's)
        self.nonce_words: dict[tuple[str, int], int] = {}
        # (owner, nonce) → "swap" | "cancel" | "reject" (a signed order rejected in a batch)
        self.nonce_source: dict[tuple[str, int], str] = {}
        self.counters: dict[str, int] = {}
        self.windows: dict[str, tuple[int, int]] = {}  # owner → (limitUpdatedAt, limitUsed)
        self.swaps: list[SwapRecord] = []
        self.used_nonce_rows: list[dict[str, Any]] = []
        self.value_history: list[dict[str, Any]] = []
        self.rejections: list[dict[str, Any]] = []
        self.attestations: list[dict[str, Any]] = []
        self.members: set[str] = set()
        self.threshold = 0
        self.orders: dict[bytes, list[SignedOrder]] = {}  # tx hash → orders it carried
        self.findings: list[Finding] = []
        self.event_counts: Counter[str] = Counter()
        self.fees_charged = 0
        self.fees_credited = 0
        self.swap_value_paid = 0  # Σ V
        self.swap_value_received = 0  # Σ (paid to target + fee)
        self.orders_checked = 0
        self.last_block = -1
        handlers: dict[str, Callable[[Log], None]] = {}
        for name in dir(self):
            if name.startswith("on_"):
                handlers[name[3:]] = getattr(self, name)
        self.htlc = htlc.HtlcReplay(self)  # the hashed timelocks (issue 17): audit/htlc.py
        for (kind, event), handler in htlc.HANDLERS.items():
            handlers[f"{kind}_{event}"] = functools.partial(handler, self)
        self._handlers = handlers

    # ─── driving ─────────────────────────────────────────────────────────────────────────

    def apply(self, log: Log) -> None:
        self.event_counts[log.name or "unknown"] += 1
        self.last_block = log.block_number
        handler = self._handlers.get(f"{log.kind}_{log.name}") or self._handlers.get(log.name)
        if handler is not None:
            handler(log)

    def _find(
        self, check: str, log: Log, field_: str, expected: Any, actual: Any, message: str
    ) -> None:
        self.findings.append(
            Finding(
                check,
                f"{log.kind}.{log.name}",
                f"block {log.block_number} log {log.log_index} tx 0x{log.tx_hash.hex()}",
                field_,
                expected,
                actual,
                message,
            )
        )

    def token(self, address: str) -> TokenState:
        state = self.tokens.get(address)
        if state is None:
            state = self.tokens[address] = TokenState(address, "points")
        return state

    # ─── tokens ──────────────────────────────────────────────────────────────────────────

    def on_Transfer(self, log: Log) -> None:
        token = self.token(log.address)
        sender, receiver, value = log.args["from"], log.args["to"], log.args["value"]
        if sender == ZERO_ADDRESS:
            token.minted += value
        else:
            balance = token.balances.get(sender, 0)
            if balance < value:
                self._find(
                    "invariant-1",
                    log,
                    "balance",
                    value,
                    balance,
                    f"{sender} moves more than its replayed balance",
                )
            token.balances[sender] = balance - value
        if sender == ZERO_ADDRESS and token.kind == "points":
            self._check_cap(log, token)
        if receiver == ZERO_ADDRESS:
            token.burned += value
        else:
            token.balances[receiver] = token.balances.get(receiver, 0) + value

    def on_PointsToken_Issued(self, log: Log) -> None:
        self.token(log.address).issued += log.args["amount"]

    def on_PointsToken_Redeemed(self, log: Log) -> None:
        self.token(log.address).redeemed += log.args["amount"]

    def on_SettlementToken_SettlementMinted(self, log: Log) -> None:
        self.token(log.address).issued += log.args["amount"]

    def on_SettlementToken_SettlementBurned(self, log: Log) -> None:
        self.token(log.address).redeemed += log.args["amount"]

    def on_IssuanceCapChanged(self, log: Log) -> None:
        self.token(log.address).issuance_cap = log.args["cap"]

    def on_IssuanceSuspended(self, log: Log) -> None:
        self.token(log.address).issuance_suspended = log.args["suspended"]

    def _check_cap(self, log: Log, token: TokenState) -> None:
        """IPointsToken: every mint (issue or swap in) stays within the cap on the supply."""
        if token.supply > token.issuance_cap:
            self._find(
                "invariant-1",
                log,
                "supply",
                token.issuance_cap,
                token.supply,
                f"a mint of {token.address} took its supply past the issuance cap",
            )

    def on_AccountFrozen(self, log: Log) -> None:
        flags = self.token(log.address).freezes.setdefault(log.args["account"], [False, False])
        flags[log.args["authority"]] = log.args["frozen"]

    def on_PointsToken_RoleGranted(self, log: Log) -> None:
        if log.args["role"] == ISSUER_ROLE:
            self.token(log.address).issuers.add(log.args["account"])

    def on_PointsToken_RoleRevoked(self, log: Log) -> None:
        if log.args["role"] == ISSUER_ROLE:
            self.token(log.address).issuers.discard(log.args["account"])

    def on_IssuersRevoked(self, log: Log) -> None:
        token = self.token(log.address)
        token.issuers.clear()
        token.issuer_epoch = log.args["epoch"]

    # ─── registry ────────────────────────────────────────────────────────────────────────

    def on_MerchantAdmitted(self, log: Log) -> None:
        a = log.args
        self.merchants[a["id"]] = MerchantState(
            a["id"],
            a["token"],
            a["admin"],
            a["name"],
            a["symbol"],
            1,
            log.block_number,
            log.timestamp,
        )
        self.token(a["token"])

    def on_MerchantRegistry_MerchantStatusChanged(self, log: Log) -> None:
        merchant = self.merchants.get(log.args["id"])
        if merchant is not None:
            merchant.status = log.args["status"]

    def on_MerchantAdminChanged(self, log: Log) -> None:
        merchant = self.merchants.get(log.args["id"])
        if merchant is not None:
            merchant.admin = log.args["admin"]

    # ─── exchange: markets and settlement accounts ───────────────────────────────────────

    def on_MarketListed(self, log: Log) -> None:
        a = log.args
        self.markets[a["token"]] = MarketState(
            a["token"],
            a["pointValue"],
            log.timestamp,
            a["admin"],
            reference_value=a["pointValue"],
            reference_at=log.timestamp,
        )
        self.value_history.append(
            {
                "block_number": log.block_number,
                "log_index": log.log_index,
                "token": a["token"],
                "old_value": None,
                "new_value": a["pointValue"],
                "timestamp": log.timestamp,
            }
        )

    def _market(self, log: Log, token: str) -> MarketState | None:
        market = self.markets.get(token)
        if market is None:
            self._find(
                "invariant-5",
                log,
                "token",
                "a listed market",
                token,
                "event for a market that was never listed",
            )
        return market

    def on_MarketStatusChanged(self, log: Log) -> None:
        if market := self._market(log, log.args["token"]):
            market.active = log.args["active"]

    def on_MarketAdminChanged(self, log: Log) -> None:
        if market := self._market(log, log.args["token"]):
            market.admin = log.args["admin"]

    def on_PointValueChanged(self, log: Log) -> None:
        a = log.args
        if market := self._market(log, a["token"]):
            if a["oldValue"] != market.point_value:
                self._find(
                    "invariant-5",
                    log,
                    "oldValue",
                    market.point_value,
                    a["oldValue"],
                    "the old value differs from the replayed point value",
                )
            self._check_daily_band(log, market, a["newValue"])
            market.point_value = a["newValue"]
            market.value_changed_at = log.timestamp
        self.value_history.append(
            {
                "block_number": log.block_number,
                "log_index": log.log_index,
                "token": a["token"],
                "old_value": a["oldValue"],
                "new_value": a["newValue"],
                "timestamp": log.timestamp,
            }
        )

    def _check_daily_band(self, log: Log, market: MarketState, new_value: int) -> None:
        """PointsExchange._checkDailyBand: the first change a day after the anchor re-anchors
        at the value then in force; every change stays within the band around the anchor."""
        if log.timestamp >= market.reference_at + VALUE_REFERENCE_PERIOD:
            market.reference_value, market.reference_at = market.point_value, log.timestamp
        anchor, band = market.reference_value, self.value_bounds[2]
        if band and abs(new_value - anchor) * BPS > anchor * band:
            self._find(
                "invariant-5",
                log,
                "newValue",
                f"within {band} bps of {anchor}",
                new_value,
                "a point value left the daily band around its reference",
            )

    def surplus(self) -> int:
        """Settlement units the exchange holds beyond every account (sent to it directly)."""
        held = self.tokens[self.settlement_address].balances.get(self.exchange_address, 0)
        return max(0, held - self.exchange_liabilities())

    def on_SettlementDeposited(self, log: Log) -> None:
        if market := self._market(log, log.args["token"]):
            market.settlement_balance += log.args["amount"]

    def on_SettlementWithdrawn(self, log: Log) -> None:
        amount = log.args["amount"]
        if market := self._market(log, log.args["token"]):
            if amount > market.settlement_balance:
                self._find(
                    "invariant-3",
                    log,
                    "amount",
                    f"≤ {market.settlement_balance}",
                    amount,
                    "withdrawal above the settlement balance",
                )
            market.settlement_balance -= amount

    def on_MerchantFeesWithdrawn(self, log: Log) -> None:
        amount = log.args["amount"]
        if market := self._market(log, log.args["token"]):
            if amount != market.fee_credit:
                self._find(
                    "invariant-3",
                    log,
                    "amount",
                    market.fee_credit,
                    amount,
                    "a merchant's fee withdrawal must equal its credit",
                )
            market.fee_credit -= amount

    def on_PayeeCreditWithdrawn(self, log: Log) -> None:
        payee, amount = log.args["payee"], log.args["amount"]
        credit = self.payee_credits.get(payee, 0)
        if amount != credit:
            self._find(
                "invariant-3",
                log,
                "amount",
                credit,
                amount,
                "a payee's withdrawal must equal its credit",
            )
        self.payee_credits[payee] = credit - amount

    # ─── exchange: configuration ─────────────────────────────────────────────────────────

    def on_FeeChanged(self, log: Log) -> None:
        self.fees.fee_bps = log.args["feeBps"]

    def on_FeeSharesChanged(self, log: Log) -> None:
        a = log.args
        self.fees.platform_bps, self.fees.source_bps = a["platformBps"], a["sourceMerchantBps"]
        self.fees.target_bps, self.fees.relayer_bps = a["targetMerchantBps"], a["relayerBps"]
        total = sum(
            (a["platformBps"], a["sourceMerchantBps"], a["targetMerchantBps"], a["relayerBps"])
        )
        if total != BPS:
            self._find("invariant-3", log, "sum", BPS, total, "fee shares must sum to 10 000")

    def on_PlatformPayeeChanged(self, log: Log) -> None:
        self.fees.platform_payee = log.args["payee"]

    def on_ValueBoundsChanged(self, log: Log) -> None:
        a = log.args
        self.value_bounds = (a["maxStepBps"], a["minInterval"], a["maxDailyStepBps"])

    def on_MinOrderValueChanged(self, log: Log) -> None:
        self.min_order_value = log.args["minOrderValue"]

    def on_CoverFloorChanged(self, log: Log) -> None:
        self.cover_floor_bps = log.args["coverFloorBps"]

    def on_SurplusSwept(self, log: Log) -> None:
        self.surplus_swept += log.args["amount"]

    def on_UserLimitChanged(self, log: Log) -> None:
        self.user_limit = (log.args["maxValuePerWindow"], log.args["window"])

    # ─── exchange: nonces and swaps ──────────────────────────────────────────────────────

    def on_NoncesCancelled(self, log: Log) -> None:
        owner, word, mask = log.args["owner"], log.args["word"], log.args["mask"]
        self.nonce_words[(owner, word)] = self.nonce_words.get((owner, word), 0) | mask
        for bit in range(256):
            if mask >> bit & 1:
                self.nonce_source.setdefault((owner, word << 8 | bit), "cancel")
        self.used_nonce_rows.append(
            {
                "block_number": log.block_number,
                "log_index": log.log_index,
                "owner": owner,
                "word": word,
                "mask": mask,
                "source": "cancel",
            }
        )

    def on_CounterIncremented(self, log: Log) -> None:
        owner, counter = log.args["owner"], log.args["counter"]
        previous = self.counters.get(owner, 0)
        if counter != previous + 1:
            self._find(
                "invariant-4", log, "counter", previous + 1, counter, "a counter moves up by one"
            )
        self.counters[owner] = counter

    def on_OrderRejected(self, log: Log) -> None:
        """Keyed by order hash, never by (owner, nonce): a relayer may name any owner and nonce
        in an order whose signature fails. Only a rejection whose nonce the contract consumed
        (signature verified there) touches the owner's nonces, and the audit verifies that
        signature itself from the batch's calldata."""
        a = log.args
        if a["nonceConsumed"]:
            self._check_rejected_order(log)
            self._use_nonce(log, a["owner"], a["nonce"], "reject")
        self.rejections.append(
            {
                "block_number": log.block_number,
                "log_index": log.log_index,
                "order_hash": a["orderHash"],
                "owner": a["owner"],
                "nonce": a["nonce"],
                "reason": a["reason"],
            }
        )

    def on_Swapped(self, log: Log) -> None:
        a = log.args
        owner, nonce = a["owner"], a["nonce"]
        source, target = self.markets.get(a["fromToken"]), self.markets.get(a["toToken"])
        if source is None or target is None or not source.active or not target.active:
            self._find(
                "invariant-2",
                log,
                "market",
                "two listed, active markets",
                f"{a['fromToken']}→{a['toToken']}",
                "swap on an unknown or inactive market",
            )
            return
        gross, amount_out, fee, dust = quote(
            a["amountIn"], source.point_value, target.point_value, self.fees.fee_bps
        )
        for name, mine in (
            ("grossValue", gross),
            ("amountOut", amount_out),
            ("fee", fee),
            ("dust", dust),
        ):
            if a[name] != mine:
                self._find(
                    "invariant-2",
                    log,
                    name,
                    mine,
                    a[name],
                    "differs from SwapMath with the values and fee in force",
                )
        paid = a["amountOut"] * target.point_value
        if a["grossValue"] < self.min_order_value:
            self._find(
                "invariant-2",
                log,
                "grossValue",
                f"≥ {self.min_order_value}",
                a["grossValue"],
                "a swap below the minimum order value executed",
            )
        if a["grossValue"] != paid + a["fee"]:
            self._find(
                "invariant-2",
                log,
                "grossValue",
                paid + a["fee"],
                a["grossValue"],
                "V must equal amountOut × valueB + fee",
            )
        if source.settlement_balance < a["grossValue"]:
            self._find(
                "invariant-2",
                log,
                "settlementBalance",
                f"≥ {a['grossValue']}",
                source.settlement_balance,
                "the source merchant could not cover V",
            )
        self._check_order(log, owner, nonce)
        self._use_nonce(log, owner, nonce)
        self._enforce_window(log, owner, a["grossValue"])

        has_relayer = a["relayer"] != ZERO_ADDRESS
        platform, src, tgt, rel = split_fee(self.fees, a["fee"], has_relayer)
        source.settlement_balance -= a["grossValue"]
        source.fee_credit += src
        target.settlement_balance += paid
        target.fee_credit += tgt
        payee = self.fees.platform_payee
        self.payee_credits[payee] = self.payee_credits.get(payee, 0) + platform
        if rel:
            self.payee_credits[a["relayer"]] = self.payee_credits.get(a["relayer"], 0) + rel
        self.fees_charged += a["fee"]
        self.fees_credited += platform + src + tgt + rel
        self.swap_value_paid += a["grossValue"]
        self.swap_value_received += paid + a["fee"]
        self.token(a["fromToken"]).swap_burned += a["amountIn"]
        self.token(a["toToken"]).swap_minted += a["amountOut"]
        self.swaps.append(
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

    def _use_nonce(self, log: Log, owner: str, nonce: int, source: str = "swap") -> None:
        word, bit = nonce >> 8, 1 << (nonce & 0xFF)
        used = self.nonce_words.get((owner, word), 0)
        if used & bit:
            how = self.nonce_source.get((owner, nonce), "swap")
            if how == "reject":
                how = "rejected before"
            self._find(
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
        self.nonce_words[(owner, word)] = used | bit
        self.nonce_source.setdefault((owner, nonce), source)
        self.used_nonce_rows.append(
            {
                "block_number": log.block_number,
                "log_index": log.log_index,
                "owner": owner,
                "word": word,
                "mask": bit,
                "source": source,
            }
        )

    def _check_rejected_order(self, log: Log) -> None:
        """A rejection that consumed a nonce: the batch's calldata must carry an order with
        this hash, signed by the owner the event names, with that nonce."""
        a = log.args
        found = [o for o in self.orders.get(log.tx_hash, []) if o.order_hash == a["orderHash"]]
        if not found:
            self._find(
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
                self._find(
                    "invariant-4",
                    log,
                    name,
                    mine,
                    theirs,
                    "a rejection consumed the nonce of an order its owner did not sign",
                )

    def _check_order(self, log: Log, owner: str, nonce: int) -> None:
        """The signed order behind this swap: not expired, counter current, signed by its
        owner, terms as executed."""
        a = log.args
        candidates = [o for o in self.orders.get(log.tx_hash, []) if o.order_hash == a["orderHash"]]
        if not candidates:
            self._find(
                "invariant-4",
                log,
                "order",
                "the signed order in the transaction",
                None,
                "cannot find the order in the calldata; expiry and counter not verifiable",
            )
            return
        order = candidates[0]
        self.orders_checked += 1
        if log.timestamp > order.deadline:
            self._find(
                "invariant-4",
                log,
                "deadline",
                f"≥ block time {log.timestamp}",
                order.deadline,
                "an expired order executed",
            )
        counter = self.counters.get(owner, 0)
        if order.counter != counter:
            self._find(
                "invariant-4",
                log,
                "counter",
                counter,
                order.counter,
                "an order signed under an old counter (cancelled) executed",
            )
        if order.signer != owner:
            self._find(
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
                self._find("invariant-4", log, name, mine, theirs, "event differs from order")
        if a["amountOut"] < order.min_amount_out:
            self._find(
                "invariant-4",
                log,
                "amountOut",
                f"≥ {order.min_amount_out}",
                a["amountOut"],
                "below the owner's minAmountOut",
            )

    def _enforce_window(self, log: Log, owner: str, value: int) -> None:
        """PointsExchange._enforceUserLimit (a decaying window), so userState compares too."""
        limit, window = self.user_limit
        if limit == 0:
            return
        updated_at, used = self.windows.get(owner, (0, 0))
        used = decayed_usage(used, log.timestamp - updated_at, limit, window) + value
        if used > limit:
            self._find(
                "invariant-4",
                log,
                "limitUsed",
                f"≤ {limit}",
                used,
                "a swap above the user's limit executed",
            )
        self.windows[owner] = (log.timestamp, used)

    # ─── attestations and governance ─────────────────────────────────────────────────────

    def on_Attested(self, log: Log) -> None:
        a = log.args
        self.attestations.append(
            {
                "block_number": log.block_number,
                "log_index": log.log_index,
                "id": a["id"],
                "auditor": a["auditor"],
                "attested_block": a["blockNumber"],
                "attested_block_hash": a["blockHash"],
                "history_digest": a["historyDigest"],
                "report_hash": a["reportHash"],
                "timestamp": log.timestamp,
            }
        )

    def on_MemberAdded(self, log: Log) -> None:
        self.members.add(log.args["member"])

    def on_MemberRemoved(self, log: Log) -> None:
        self.members.discard(log.args["member"])

    def on_ThresholdChanged(self, log: Log) -> None:
        self.threshold = log.args["threshold"]

    # ─── summaries used by the checks ────────────────────────────────────────────────────

    def owners(self) -> set[str]:
        return (
            {s.owner for s in self.swaps}
            | set(self.counters)
            | {owner for owner, _ in self.nonce_words}
        )

    def exchange_liabilities(self) -> int:
        return sum(m.settlement_balance + m.fee_credit for m in self.markets.values()) + sum(
            self.payee_credits.values()
        )
