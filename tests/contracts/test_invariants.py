"""DESIGN.md's invariants 1-4 hold after every step of random operations on the real contracts.

A state machine drives the seeded platform on anvil through random programs: it issues points,
swaps directly, settles batches with bad orders mixed in, cancels orders by nonce (directly and
by signature) and all at once (counter bump), changes point values, moves settlement funds,
withdraws fees, pauses the exchange by vote and freezes users. Two kinds of ghost state:

- the model: what every balance, supply, settlement account and credit must be, and each
  order's outcome (settled, or rejected with which error), from DESIGN.md's value model in
  Python. Every transaction's outcome is compared with it, using the block's own timestamp;
- the auditor: figures rebuilt from events alone (points minted and burned, fees charged and
  credited, withdrawals, nonces consumed or cancelled, counters, point values), as an auditor
  replaying the chain would.

After every step the contracts' state is checked against both. Every program starts from the
same chain snapshot.

Why Hypothesis draws a seed, not the steps: with the Hypothesis that brownie pins (6.27.3), a
`RuleBasedStateMachine` spends a small budget badly. Its first ten examples are zero-extended
(one step each) and most of the others are block-duplicating mutations of a few random
programs: measured at 25 examples x 20 steps, 57 calls and about eight distinct programs.
Here Hypothesis draws one seed per example (so failing seeds are kept in its database and
replayed first) and the seed drives a weighted random program of exactly STEPS steps. The
price is no shrinking; every step is noted, so a failure prints its whole program.

Settings: TONGDUI_INVARIANT_EXAMPLES programs (default 25) of TONGDUI_INVARIANT_STEPS steps
(default 20), about two minutes; raise them to search longer. TONGDUI_INVARIANT_SEED=<n>
replays the one program a failure reported.
"""

from __future__ import annotations

import copy
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from brownie import accounts, chain, web3
from brownie.exceptions import TransactionError, VirtualMachineError
from eth_utils import keccak
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from scripts.platform import govern
from tongdui.chain.eip712 import (
    CancelNonces,
    Domain,
    SwapOrder,
    digest,
    order_digest,
    sign_digest,
    sign_order,
)

EXAMPLES = int(os.environ.get("TONGDUI_INVARIANT_EXAMPLES", "25"))
STEPS = int(os.environ.get("TONGDUI_INVARIANT_STEPS", "20"))
SEED = os.environ.get("TONGDUI_INVARIANT_SEED")

BPS = 10_000
SYMBOLS = ("SKYM", "BEAN", "FRESH")
PAIRS = tuple((a, b) for a in SYMBOLS for b in SYMBOLS if a != b)
USER_COUNT = 4  # the three seeded demo users and a newcomer without points
TRANSFER_TOPIC = keccak(text="Transfer(address,address,uint256)")
ZERO = "0x" + "00" * 20

# What a batch order may be: the good, and every way an order can fail.
BATCH_KINDS = (
    "valid",
    "valid",
    "valid",
    "pending",  # a signed order from the pool: maybe fine, expired, cancelled or stale
    "replay",  # an order that already settled, sent again
    "duplicate",  # the same signed order twice in one batch
    "expired",
    "stale_counter",
    "wrong_signer",
    "malformed_signature",
    "min_out_too_high",
    "zero_output",  # too few points for one point of the target
    "cover_exceeded",
    "too_many_points",
    "zero_amount",
    "same_token",
)
DIRECT_KINDS = ("valid", "valid", "expired", "stale_counter", "min_out_too_high", "not_owner")


# ─── Pricing, as DESIGN.md's value model states it ──────────────────────────────────────────


@dataclass(frozen=True)
class Quote:
    gross: int  # V = amountIn × valueA
    amount_out: int  # ⌊(V − F) / valueB⌋
    paid_to_target: int  # amountOut × valueB
    fee: int  # F + dust
    dust: int


def quote(amount_in: int, value_a: int, value_b: int, fee_bps: int) -> Quote:
    gross = amount_in * value_a
    charged = -(-gross * fee_bps // BPS)  # rounded up: splitting an order never avoids it
    net = gross - charged
    amount_out = net // value_b
    paid = amount_out * value_b
    return Quote(gross, amount_out, paid, charged + net - paid, net - paid)


def decayed(used: int, elapsed: int, cap: int, window: int) -> int:
    """The user limit's usage after `elapsed` seconds: it falls by cap / window per second."""
    recovered = elapsed * cap // window
    return used - recovered if used > recovered else 0


DAY = 86_400  # Constants.VALUE_REFERENCE_PERIOD


def split_fee(fee: int, shares: tuple[int, int, int, int], relayed: bool) -> tuple[int, ...]:
    """(platform, source merchant, target merchant, relayer); the platform takes the rest."""
    _, source_bps, target_bps, relayer_bps = shares
    source = fee * source_bps // BPS
    target = fee * target_bps // BPS
    relayer = fee * relayer_bps // BPS if relayed else 0
    return fee - source - target - relayer, source, target, relayer


# ─── The world (fixed) and the ghosts (per example) ─────────────────────────────────────────


@dataclass
class World:
    """Contracts and actors; the same for every example."""

    platform: Any
    tokens: dict[str, Any]  # symbol -> PointsToken
    admins: dict[str, Any]  # symbol -> merchant operator
    users: list[Any]
    stranger: Any  # signs orders that are not its own
    settler: Any
    relayer: Any
    platform_payee: Any
    domain: Domain
    fee_bps: int
    shares: tuple[int, int, int, int]
    max_step_bps: int
    min_interval: int
    max_daily_bps: int
    min_order_value: int
    limit_cap: int  # the per-user limit (decaying); 0: none
    limit_window: int
    errors: dict[bytes, str]  # selector -> error name, for OrderRejected.reason
    event_names: dict[bytes, str]  # topic -> event name
    # The contracts as web3 objects: batched reads and log decoding, one round trip per step.
    readers: dict[str, Any]  # symbol, "exchange", "settlement" -> web3 contract
    symbol_of: dict[str, str] = field(default_factory=dict)  # token address -> symbol


@dataclass
class Model:
    """What the chain must hold, predicted operation by operation."""

    balances: Counter[tuple[str, str]]  # (symbol, holder) -> points
    minted: Counter[str]
    burned: Counter[str]
    values: dict[str, int]
    value_changed_at: dict[str, int]
    settlement: dict[str, int]
    merchant_credit: Counter[str]
    payee_credit: Counter[str]
    frozen: set[tuple[str, str]]
    counters: Counter[str]
    nonce_bits: dict[str, set[int]]  # used or cancelled
    reference: dict[str, tuple[int, int]]  # symbol -> (daily band's anchor value, since)
    limit_used: dict[str, tuple[int, int]] = field(default_factory=dict)  # (at, usage)
    paused: bool = False


@dataclass
class Auditor:
    """Figures rebuilt from the events alone."""

    last_block: int
    values: dict[str, int]  # token address -> point value
    minted: Counter[str]  # token address -> points (opening supply counts as minted)
    burned: Counter[str] = field(default_factory=Counter)
    fees_charged: int = 0
    credited: Counter[str] = field(default_factory=Counter)  # payee key -> fee credited
    withdrawn: Counter[str] = field(default_factory=Counter)
    consumed: dict[str, set[int]] = field(default_factory=dict)  # executed or cancelled
    executed: set[tuple[str, int]] = field(default_factory=set)
    counters: Counter[str] = field(default_factory=Counter)
    swaps_seen: int = 0


@dataclass(frozen=True)
class Ticket:
    """A signed order, and who really signed it (None: a malformed signature)."""

    order: SwapOrder
    signature: bytes
    digest: bytes
    signer: str | None


# One batched read of every figure the invariants compare.
@dataclass
class Snapshot:
    supply: dict[str, int]
    balances: dict[tuple[str, str], int]
    markets: dict[str, tuple[Any, ...]]  # (pointValue, valueChangedAt, listed, active, admin,
    #                                       settlementBalance, feeCredit)
    payee_credit: dict[str, int]
    exchange_holds: int
    nonce_words: dict[tuple[str, int], int]
    counters: dict[str, int]
    paused: bool


# Rejections settle refuses before it has verified the owner's signature: no nonce consumed.
UNVERIFIED_REJECTIONS = frozenset(
    {"ExchangeOrderExpired", "ExchangeOrderCancelled", "ExchangeNonceUsed", "ExchangeInvalidSigner"}
)


def merchant_key(token: str) -> str:
    return f"merchant:{token}"


def error_name(exc: VirtualMachineError, errors: dict[bytes, str]) -> str:
    """The custom error's name from brownie's decoded revert message ("Name: args")."""
    message = exc.revert_msg or ""
    if message.startswith("typed error: 0x"):
        return errors.get(bytes.fromhex(message[15:23]), message)
    return message.split(":")[0].strip()


def signature_hashes(kind: str, *abis: list[dict[str, Any]]) -> dict[bytes, str]:
    """keccak256("Name(types)") -> name of every `kind` ("error", "event") in the ABIs."""
    hashes = {}
    for abi in abis:
        for item in abi:
            if item["type"] == kind:
                types = ",".join(i["type"] for i in item["inputs"])
                hashes[keccak(text=f"{item['name']}({types})")] = item["name"]
    return hashes


# ─── The state machine ──────────────────────────────────────────────────────────────────────

StepFn = Callable[["PlatformMachine"], None]


def step(weight: float, when: Callable[[PlatformMachine], bool] | None = None) -> Any:
    """Marks a method as a step of the random programs, drawn with this relative weight
    whenever `when` (if given) holds."""

    def mark(fn: StepFn) -> StepFn:
        fn.step_weight = weight  # type: ignore[attr-defined]
        fn.step_when = when  # type: ignore[attr-defined]
        return fn

    return mark


class PlatformMachine:
    """One random program: steps drawn from `rng`, every invariant checked after each."""

    tally: ClassVar[Counter[str]] = (
        Counter()
    )  # outcomes seen over the whole run, printed at the end

    def __init__(self, world: World, opening: tuple[Model, Auditor], rng: random.Random):
        self.w = world
        self.rng = rng
        self.model = copy.deepcopy(opening[0])
        self.auditor = copy.deepcopy(opening[1])
        self.tickets: dict[bytes, Ticket] = {}  # every order signed in this program
        self.pending: list[Ticket] = []  # signed, handed to nobody yet
        self.settled: list[Ticket] = []
        self.next_nonce = 1

    def run(self, steps: int) -> None:
        table = [
            fn
            for fn in vars(PlatformMachine).values()
            if callable(fn) and hasattr(fn, "step_weight")
        ]
        self.check_invariants()
        for number in range(1, steps + 1):
            ready = [fn for fn in table if fn.step_when is None or fn.step_when(self)]
            chosen = self.rng.choices(ready, weights=[fn.step_weight for fn in ready])[0]
            self.step_name = f"step {number}: {chosen.__name__}"
            chosen(self)
            self.check_invariants()

    def note(self, detail: str) -> None:
        """Records what the step did; Hypothesis prints the notes of a failing program."""
        note(f"{self.step_name}: {detail}")

    # ── helpers ──

    def user(self) -> Any:
        return self.w.users[self.rng.randrange(USER_COUNT)]

    def pair_for(self, owner: Any) -> tuple[str, str]:
        """Mostly a pair whose source the owner holds; now and then any pair."""
        held = [s for s in SYMBOLS if self.model.balances[(s, owner.address)] > 0]
        if not held or self.rng.random() < 0.15:
            return self.rng.choice(PAIRS)
        source = self.rng.choice(held)
        return source, self.rng.choice([s for s in SYMBOLS if s != source])

    def share(self) -> int:
        """A share of a holding in basis points: often small, sometimes more than all of it."""
        return self.rng.choice((self.rng.randint(1, 500), self.rng.randint(1, 12_000)))

    def latest_time(self) -> int:
        return int(web3.eth.get_block("latest")["timestamp"])

    def new_order(
        self,
        user: Any,
        source: str,
        target: str,
        amount_in: int,
        *,
        min_out: int = 0,
        lifetime: int = 3_600,
        counter: int | None = None,
        nonce_gap: int = 0,
    ) -> SwapOrder:
        nonce = self.next_nonce + nonce_gap  # gaps reach later bitmap words
        self.next_nonce = nonce + 1
        return SwapOrder(
            owner=user.address,
            from_token=self.w.tokens[source].address,
            to_token=self.w.tokens[target].address,
            amount_in=amount_in,
            min_amount_out=min_out,
            nonce=nonce,
            deadline=self.latest_time() + lifetime,
            counter=self.model.counters[user.address] if counter is None else counter,
        )

    def sign(self, order: SwapOrder, signer: Any = None, malformed: bytes = b"") -> Ticket:
        """Signs with `signer`'s key, or attaches the `malformed` bytes as the signature."""
        signature = sign_order(signer.private_key, self.w.domain, order) if signer else malformed
        ticket = Ticket(
            order, signature, order_digest(self.w.domain, order), signer and signer.address
        )
        self.tickets[ticket.digest] = ticket
        return ticket

    def amount_of(self, user: Any, source: str, target: str, share: int) -> int:
        """`share` (basis points) of what the user holds of `source`, but at least enough
        for one point of `target` (the user may not hold that much)."""
        held = self.model.balances[(source, user.address)]
        value_in = self.model.values[source] * (BPS - self.w.fee_bps)
        enough = -(-self.model.values[target] * BPS // value_in)
        return max(enough, held * share // BPS)

    def transact(self, fn: Any, *args: Any, sender: Any) -> tuple[Any, str | None, int]:
        """Sends a transaction; returns (receipt or None, error name or None, block time).

        brownie's anvil network sends with the block gas limit, so a reverting transaction is
        mined too and the block's timestamp is the one the contract saw."""
        try:
            tx = fn(*args, {"from": sender})
            error = None
        except VirtualMachineError as exc:
            tx, error = None, error_name(exc, self.w.errors)
        except TransactionError as exc:
            # brownie 1.22 now and then calls a mined transaction "dropped without known
            # replacement" (it looks it up between anvil's pool and block): ask the node.
            if "dropped" not in str(exc):
                raise
            txid = str(exc).rsplit(" ", 1)[-1]
            web3.eth.wait_for_transaction_receipt(txid, timeout=60)
            tx = chain.get_transaction(txid)
            error = None if tx.status == 1 else (tx.revert_msg or "").split(":")[0]
            tx = tx if error is None else None
        return tx, error, self.latest_time()

    def expect(self, what: str, expected: str | None, actual: str | None) -> None:
        self.note(f"{what} -> {actual or 'ok'}")
        assert actual == expected, f"{what}: expected {expected or 'success'}, got {actual}"
        self.tally[f"{what.split(' ')[0]}: {actual or 'ok'}"] += 1

    def predict(
        self, model: Model, ticket: Ticket, now: int, relayer: str | None, sender: str
    ) -> tuple[str | None, Quote | None]:
        """The error the exchange must raise for this order, in its checks' order, or None
        and the quote if it must settle."""
        order = ticket.order
        if relayer is None and sender != order.owner:
            return "ExchangeNotOwner", None
        if now > order.deadline:
            return "ExchangeOrderExpired", None
        if order.counter != model.counters[order.owner]:
            return "ExchangeOrderCancelled", None
        if order.nonce in model.nonce_bits.setdefault(order.owner, set()):
            return "ExchangeNonceUsed", None
        if relayer is not None and ticket.signer != order.owner:
            return "ExchangeInvalidSigner", None
        if order.amount_in == 0:
            return "ExchangeZeroAmount", None
        if order.from_token == order.to_token:
            return "ExchangeSameToken", None
        source = self.w.symbol_of[order.from_token]
        target = self.w.symbol_of[order.to_token]
        q = quote(order.amount_in, model.values[source], model.values[target], self.w.fee_bps)
        if q.gross < self.w.min_order_value:
            return "ExchangeOrderValueTooLow", None
        if q.amount_out == 0:
            return "ExchangeZeroOutput", None
        if q.amount_out < order.min_amount_out:
            return "ExchangeInsufficientOutput", None
        if self.w.limit_cap and self.usage(model, order.owner, now) + q.gross > self.w.limit_cap:
            return "ExchangeUserLimitExceeded", None
        if model.settlement[source] < q.gross:
            return "ExchangeInsufficientCover", None
        if (source, order.owner) in model.frozen:
            return "PointsTokenAccountFrozen", None
        if model.balances[(source, order.owner)] < order.amount_in:
            return "ERC20InsufficientBalance", None
        if (target, order.owner) in model.frozen:
            return "PointsTokenAccountFrozen", None
        return None, q

    def usage(self, model: Model, owner: str, now: int) -> int:
        at, used = model.limit_used.get(owner, (0, 0))
        return decayed(used, now - at, self.w.limit_cap, self.w.limit_window)

    def apply_swap(
        self, model: Model, ticket: Ticket, q: Quote, relayer: str | None, now: int
    ) -> None:
        order = ticket.order
        if self.w.limit_cap:
            model.limit_used[order.owner] = (now, self.usage(model, order.owner, now) + q.gross)
        source = self.w.symbol_of[order.from_token]
        target = self.w.symbol_of[order.to_token]
        model.nonce_bits[order.owner].add(order.nonce)
        model.balances[(source, order.owner)] -= order.amount_in
        model.burned[source] += order.amount_in
        model.balances[(target, order.owner)] += q.amount_out
        model.minted[target] += q.amount_out
        platform, source_part, target_part, relayer_part = split_fee(
            q.fee, self.w.shares, relayer is not None
        )
        model.settlement[source] -= q.gross
        model.settlement[target] += q.paid_to_target
        model.merchant_credit[source] += source_part
        model.merchant_credit[target] += target_part
        model.payee_credit[self.w.platform_payee.address] += platform
        if relayer is not None:
            model.payee_credit[relayer] += relayer_part

    # ── rules: points ──

    @step(weight=2)
    def issue_points(self) -> None:
        symbol, holder = self.rng.choice(SYMBOLS), self.user()
        amount = self.rng.choice((self.rng.randint(1, 1_000), self.rng.randint(1, 100_000)))
        token = self.w.tokens[symbol]
        _, error, _ = self.transact(token.issue, holder, amount, sender=self.w.admins[symbol])
        expected = (
            "PointsTokenAccountFrozen" if (symbol, holder.address) in self.model.frozen else None
        )
        self.expect(f"issue {amount} {symbol} to {holder.address[:8]}", expected, error)
        if error is None:
            self.model.balances[(symbol, holder.address)] += amount
            self.model.minted[symbol] += amount

    @step(weight=1)
    def set_frozen(self) -> None:
        symbol, holder = self.rng.choice(SYMBOLS), self.user().address
        # Unfreezing what is frozen is likelier, so that frozen users do not pile up.
        frozen = ((symbol, holder) in self.model.frozen) == (self.rng.random() < 0.2)
        token = self.w.tokens[symbol]
        _, error, _ = self.transact(token.setFrozen, holder, frozen, sender=self.w.admins[symbol])
        self.expect(f"setFrozen {symbol} {holder[:8]} {frozen}", None, error)
        if frozen:
            self.model.frozen.add((symbol, holder))
        else:
            self.model.frozen.discard((symbol, holder))

    # ── rules: swaps ──

    @step(weight=2)
    def swap_directly(self) -> None:
        owner = self.user()
        source, target = self.pair_for(owner)
        kind = self.rng.choice(DIRECT_KINDS)
        amount = self.amount_of(owner, source, target, self.share())
        order = self.new_order(owner, source, target, amount)
        sender = owner
        if kind == "expired":
            order = self.new_order(owner, source, target, amount, lifetime=-60)
        elif kind == "stale_counter":
            order = self.new_order(owner, source, target, amount, counter=self.stale(owner))
        elif kind == "min_out_too_high":
            q = quote(amount, self.model.values[source], self.model.values[target], self.w.fee_bps)
            order = self.new_order(owner, source, target, amount, min_out=q.amount_out + 1)
        elif kind == "not_owner":
            sender = self.w.users[(self.w.users.index(owner) + 1) % USER_COUNT]
        ticket = self.sign(order)  # a direct swap needs no signature
        tx, error, now = self.transact(
            self.w.platform.exchange.swap, order.as_tuple(), sender=sender
        )
        expected, q = self.predict(self.model, ticket, now, None, sender.address)
        if self.model.paused:
            expected, q = "EnforcedPause", None
        what = f"swap ({kind}) {amount} {source}->{target} by {owner.address[:8]}"
        self.expect(what, expected, error)
        if q is not None:
            swapped = tx.events["Swapped"]
            assert (swapped["amountOut"], swapped["fee"]) == (q.amount_out, q.fee)
            self.apply_swap(self.model, ticket, q, None, now)
            self.settled.append(ticket)

    def batch_ticket(self, kind: str, batch: list[Ticket]) -> Ticket:
        rng = self.rng
        owner = self.user()
        source, target = self.pair_for(owner)
        amount = self.amount_of(owner, source, target, self.share())
        gap = rng.choice((0, 0, 0, 255, 1_000))  # gaps reach later bitmap words
        signer = owner
        if kind == "pending" and self.pending:
            return rng.choice(self.pending)
        if kind == "replay" and self.settled:
            return rng.choice(self.settled)
        if kind == "duplicate" and batch:
            return rng.choice(batch)
        if kind == "expired":
            return self.sign(self.new_order(owner, source, target, amount, lifetime=-60), owner)
        if kind == "stale_counter":
            stale = self.stale(owner)
            return self.sign(self.new_order(owner, source, target, amount, counter=stale), owner)
        if kind == "wrong_signer":
            signer = rng.choice([self.w.stranger, *self.w.users])
        if kind == "malformed_signature":
            malformed = rng.choice((b"\x00" * 65, b"\x01" * 64))
            return self.sign(self.new_order(owner, source, target, amount), malformed=malformed)
        if kind == "min_out_too_high":
            q = quote(amount, self.model.values[source], self.model.values[target], self.w.fee_bps)
            order = self.new_order(owner, source, target, amount, min_out=q.amount_out + 1)
            return self.sign(order, owner)
        if kind == "zero_output":
            values = self.model.values
            source, target = max(PAIRS, key=lambda pair: values[pair[1]] / values[pair[0]])
            amount = self.amount_of(owner, source, target, 0) - 1
        if kind == "cover_exceeded":
            amount = self.model.settlement[source] // self.model.values[source] + 1
        if kind == "too_many_points":
            amount = self.model.balances[(source, owner.address)] + 1
        if kind == "zero_amount":
            amount = 0
        if kind == "same_token":
            target = source
        return self.sign(self.new_order(owner, source, target, amount, nonce_gap=gap), signer)

    def stale(self, owner: Any) -> int:
        """A counter other than the owner's current one (an order voided by a counter bump,
        or one signed for a counter not reached yet)."""
        current = self.model.counters[owner.address]
        return current + (self.rng.choice((-1, 1)) if current else 1)

    @step(weight=5)
    def settle_batch(self) -> None:
        size = self.rng.choice((1, 1, 2, 3, 4, 6, 10))
        batch: list[Ticket] = []
        kinds = []
        for _ in range(size):
            kinds.append(self.rng.choice(BATCH_KINDS))
            batch.append(self.batch_ticket(kinds[-1], batch))
        self.note(f"settle {size}: {', '.join(kinds)}")
        relayer = self.w.relayer
        tx, error, now = self.transact(
            self.w.platform.exchange.settle,
            [t.order.as_tuple() for t in batch],
            [t.signature for t in batch],
            sender=relayer,
        )
        if self.model.paused:
            self.expect("settle", "EnforcedPause", error)
            return
        self.expect("settle", None, error)
        outcomes = self.batch_outcomes(tx)
        assert len(outcomes) == len(batch), f"{len(batch)} orders, {len(outcomes)} outcomes"
        settled = 0
        for position, (ticket, (actual, swapped)) in enumerate(zip(batch, outcomes, strict=True)):
            expected, q = self.predict(self.model, ticket, now, relayer.address, relayer.address)
            self.expect(f"settled-order {position} of the batch", expected, actual)
            assert swapped is None or swapped["orderHash"] == ticket.digest
            if q is not None:
                assert (swapped["amountOut"], swapped["fee"]) == (q.amount_out, q.fee)
                self.apply_swap(self.model, ticket, q, relayer.address, now)
                self.settled.append(ticket)
                settled += 1
            elif expected not in UNVERIFIED_REJECTIONS:
                # Rejected after its signature was verified: final, its nonce consumed.
                self.model.nonce_bits[ticket.order.owner].add(ticket.order.nonce)
        assert tx.return_value == settled
        self.pending = [t for t in self.pending if t not in self.settled]

    def batch_outcomes(self, tx: Any) -> list[tuple[str | None, Any]]:
        """Per order, in order: (None, Swapped args) or (error name, None)."""
        outcomes: list[tuple[str | None, Any]] = []
        for log in web3.eth.get_transaction_receipt(tx.txid)["logs"]:
            event = self.decode(log)
            if event is None:
                continue
            if event.event == "Swapped":
                outcomes.append((None, event.args))
            elif event.event == "OrderRejected":
                reason = bytes(event.args["reason"])
                outcomes.append((self.w.errors.get(reason, reason.hex()), None))
        return outcomes

    # ── rules: cancelling ──

    @step(weight=2)
    def sign_for_later(self) -> None:
        owner = self.user()
        pair = self.pair_for(owner)
        amount = self.amount_of(owner, *pair, self.share())
        order = self.new_order(owner, *pair, amount, lifetime=self.rng.choice((60, 3_600)))
        self.pending = [*self.pending[-11:], self.sign(order, owner)]
        self.note(f"signed nonce {order.nonce} of {owner.address[:8]} for later")

    @step(weight=1.5, when=lambda self: bool(self.pending))
    def cancel_nonce(self) -> None:
        by_signature = self.rng.random() < 0.5
        ticket = self.rng.choice(self.pending)
        owner = next(u for u in self.w.users if u.address == ticket.order.owner)
        word, bit = ticket.order.nonce >> 8, ticket.order.nonce & 0xFF
        exchange = self.w.platform.exchange
        if by_signature:
            request = CancelNonces(owner.address, word, 1 << bit, self.latest_time() + 600)
            signature = sign_digest(owner.private_key, digest(self.w.domain, request.struct_hash()))
            _, error, _ = self.transact(
                exchange.cancelNoncesWithSig, request.as_tuple(), signature, sender=self.w.relayer
            )
        else:
            _, error, _ = self.transact(exchange.cancelNonces, word, 1 << bit, sender=owner)
        how = "by signature" if by_signature else "directly"
        self.expect(f"cancel nonce {ticket.order.nonce} {how}", None, error)
        self.model.nonce_bits.setdefault(owner.address, set()).add(ticket.order.nonce)

    @step(weight=0.4)
    def cancel_all(self) -> None:
        owner = self.user()
        tx, error, _ = self.transact(self.w.platform.exchange.incrementCounter, sender=owner)
        self.expect(f"incrementCounter {owner.address[:8]}", None, error)
        self.model.counters[owner.address] += 1
        assert tx.return_value == self.model.counters[owner.address]

    # ── rules: merchants ──

    @step(weight=1.5)
    def change_point_value(self) -> None:
        symbol, step_bps = self.rng.choice(SYMBOLS), self.rng.randint(-3_000, 3_000)
        if self.rng.random() < 0.7:
            chain.sleep(self.w.min_interval + 1)
        old = self.model.values[symbol]
        new = old + old * step_bps // BPS
        token = self.w.tokens[symbol]
        exchange = self.w.platform.exchange
        _, error, now = self.transact(
            exchange.setPointValue, token, new, sender=self.w.admins[symbol]
        )
        expected = None
        anchor, since = self.model.reference[symbol]
        if now >= since + DAY:  # the first change a day on re-anchors at the value in force
            anchor, since = old, now
        if new == 0:
            expected = "ExchangeInvalidPointValue"
        elif now < self.model.value_changed_at[symbol] + self.w.min_interval:
            expected = "ExchangeValueChangeTooSoon"
        elif abs(new - old) * BPS > old * self.w.max_step_bps:
            expected = "ExchangeValueStepTooLarge"
        elif abs(new - anchor) * BPS > anchor * self.w.max_daily_bps:
            expected = "ExchangeValueOutsideDailyBand"
        self.expect(f"setPointValue {old}->{new}", expected, error)
        if error is None:
            self.model.values[symbol] = new
            self.model.value_changed_at[symbol] = now
            self.model.reference[symbol] = (anchor, since)

    @step(weight=1)
    def deposit_settlement(self) -> None:
        symbol, amount = self.rng.choice(SYMBOLS), self.rng.randint(1, 10_000_000)
        exchange = self.w.platform.exchange
        token = self.w.tokens[symbol]
        _, error, _ = self.transact(exchange.deposit, token, amount, sender=self.w.settler)
        self.expect(f"deposit {amount} for {symbol}", None, error)
        self.model.settlement[symbol] += amount

    @step(weight=1.5)
    def withdraw_settlement(self) -> None:
        symbol = self.rng.choice(SYMBOLS)
        admin = self.w.admins[symbol]
        amount = max(1, self.model.settlement[symbol] * self.share() // BPS)
        exchange = self.w.platform.exchange
        token = self.w.tokens[symbol]
        _, error, _ = self.transact(exchange.withdraw, token, admin, amount, sender=admin)
        too_much = amount > self.model.settlement[symbol]
        expected = "ExchangeInsufficientSettlementBalance" if too_much else None
        # While paused the holders cannot swap out, so the merchant may not take the cover.
        self.expect("withdraw", "EnforcedPause" if self.model.paused else expected, error)
        if error is None:
            self.model.settlement[symbol] -= amount

    @step(weight=1)
    def withdraw_fees(self) -> None:
        payee = self.rng.choice((*SYMBOLS, "platform", "relayer"))
        exchange = self.w.platform.exchange
        if payee in SYMBOLS:
            admin = self.w.admins[payee]
            token = self.w.tokens[payee]
            tx, error, _ = self.transact(exchange.withdrawMerchantFees, token, admin, sender=admin)
            credit = self.model.merchant_credit[payee]
            if self.model.paused:
                self.expect(f"withdraw {payee} fees", "EnforcedPause", error)
                return
            self.model.merchant_credit[payee] = 0
        else:
            account = self.w.platform_payee if payee == "platform" else self.w.relayer
            tx, error, _ = self.transact(exchange.withdrawPayeeCredit, account, sender=account)
            credit = self.model.payee_credit[account.address]
            self.model.payee_credit[account.address] = 0
        self.expect(
            f"withdraw {payee} fees", "ExchangeNothingToWithdraw" if credit == 0 else None, error
        )
        if tx is not None:
            assert tx.return_value == credit

    # ── rules: governance and time ──

    @step(weight=0.4, when=lambda self: not self.model.paused)
    def pause_exchange(self) -> None:
        self.vote("pause")

    @step(weight=3, when=lambda self: self.model.paused)
    def unpause_exchange(self) -> None:
        self.vote("unpause")

    def vote(self, action: str) -> None:
        """The consortium pauses or unpauses the exchange (an M-of-N vote)."""
        exchange = self.w.platform.exchange
        govern(self.w.platform, [(exchange, action, ())], f"{action} the exchange")
        self.model.paused = action == "pause"
        self.tally[f"vote: {action}"] += 1
        self.note(f"vote: {action} the exchange")

    @step(weight=1)
    def let_time_pass(self) -> None:
        seconds = self.rng.choice((30, 600, 3_601, 7_200))
        self.note(f"sleep {seconds} s")
        chain.sleep(seconds)
        chain.mine()

    def check_invariants(self) -> None:
        self.replay_events()
        state = self.read()
        self.points_supply_is_conserved(state)
        self.settlement_and_fees_are_conserved(state)
        self.nonces_match_the_model(state)

    def read(self) -> Snapshot:
        """Every figure the invariants compare, in one batched JSON-RPC round trip."""
        r = self.w.readers
        users = [u.address for u in self.w.users]
        payees = [self.w.platform_payee.address, self.w.relayer.address]
        words = sorted({(o, n >> 8) for o, nonces in self.model.nonce_bits.items() for n in nonces})
        with web3.batch_requests() as batch:
            for symbol in SYMBOLS:
                batch.add(r[symbol].functions.totalSupply())
                for user in users:
                    batch.add(r[symbol].functions.balanceOf(user))
                batch.add(r["exchange"].functions.market(self.w.tokens[symbol].address))
            for payee in payees:
                batch.add(r["exchange"].functions.payeeCredit(payee))
            batch.add(r["settlement"].functions.balanceOf(self.w.platform.exchange.address))
            for owner, word in words:
                batch.add(r["exchange"].functions.nonceBitmap(owner, word))
            for user in users:
                batch.add(r["exchange"].functions.userState(user))
            batch.add(r["exchange"].functions.paused())
            results = iter(batch.execute())
        supply, balances, markets = {}, {}, {}
        for symbol in SYMBOLS:
            supply[symbol] = next(results)
            for user in users:
                balances[(symbol, user)] = next(results)
            markets[symbol] = tuple(next(results))
        payee_credit = {payee: next(results) for payee in payees}
        exchange_holds = next(results)
        nonce_words = {key: next(results) for key in words}
        counters = {user: next(results)[0] for user in users}
        return Snapshot(
            supply,
            balances,
            markets,
            payee_credit,
            exchange_holds,
            nonce_words,
            counters,
            paused=next(results),
        )

    # ── invariants ──

    def decode(self, log: Any) -> Any:
        """The exchange's event in `log`, decoded, or None."""
        if log["address"] != self.w.platform.exchange.address:
            return None
        name = self.w.event_names.get(bytes(log["topics"][0]))
        decoder = self.w.readers["exchange"].events
        return getattr(decoder, name)().process_log(log) if name else None

    def replay_events(self) -> None:
        """Replays new events as an auditor: invariants 2 (per swap), 3 and 4."""
        latest = web3.eth.block_number
        a = self.auditor
        if latest <= a.last_block:
            return
        span = {"fromBlock": a.last_block + 1, "toBlock": latest}
        exchange = self.w.platform.exchange.address
        token_addresses = [t.address for t in self.w.tokens.values()]
        for log in web3.eth.get_logs(
            {**span, "address": token_addresses, "topics": [TRANSFER_TOPIC]}
        ):
            value = int.from_bytes(bytes(log["data"]), "big")
            if int.from_bytes(bytes(log["topics"][1]), "big") == 0:
                a.minted[log["address"]] += value
            if int.from_bytes(bytes(log["topics"][2]), "big") == 0:
                a.burned[log["address"]] += value
        times: dict[int, int] = {}
        for log in web3.eth.get_logs({**span, "address": exchange}):
            event = self.decode(log)
            if event is None:
                continue
            name, args = event.event, event.args
            if name == "Swapped":
                block = log["blockNumber"]
                if block not in times:
                    times[block] = int(web3.eth.get_block(block)["timestamp"])
                self.audit_swap(args, times[block])
            elif name == "PointValueChanged":
                a.values[args["token"]] = args["newValue"]
            elif name == "OrderRejected" and args["nonceConsumed"]:
                a.consumed.setdefault(args["owner"], set()).add(args["nonce"])
            elif name == "NoncesCancelled":
                nonces = {(args["word"] << 8) + i for i in range(256) if args["mask"] >> i & 1}
                a.consumed.setdefault(args["owner"], set()).update(nonces)
            elif name == "CounterIncremented":
                a.counters[args["owner"]] = args["counter"]
            elif name == "MerchantFeesWithdrawn":
                key = merchant_key(args["token"])
                a.withdrawn[key] += args["amount"]
                # invariant 3: a payee never takes out more than it was credited
                assert a.withdrawn[key] <= a.credited[key], f"{key} withdrew beyond its credit"
            elif name == "PayeeCreditWithdrawn":
                a.withdrawn[args["payee"]] += args["amount"]
                assert a.withdrawn[args["payee"]] <= a.credited[args["payee"]]
        a.last_block = latest

    def audit_swap(self, args: Any, block_time: int) -> None:
        a = self.auditor
        owner, nonce = args["owner"], args["nonce"]
        value_a, value_b = a.values[args["fromToken"]], a.values[args["toToken"]]
        # invariant 2: what merchant A pays, B and the fee payees receive, to the unit
        assert args["grossValue"] == args["amountIn"] * value_a
        assert args["grossValue"] == args["amountOut"] * value_b + args["fee"], "value lost"
        assert args["dust"] <= args["fee"] and args["dust"] < value_b
        # invariant 4: once per (owner, nonce); never expired, cancelled or stale
        ticket = self.tickets.get(bytes(args["orderHash"]))
        assert ticket is not None, "a swap of an order nobody signed"
        assert (owner, nonce) not in a.executed, f"nonce {nonce} of {owner} executed twice"
        assert nonce not in a.consumed.get(owner, set()), f"cancelled nonce {nonce} executed"
        assert ticket.order.deadline >= block_time, "an expired order executed"
        assert ticket.order.counter == a.counters[owner], "an order cancelled by counter executed"
        a.executed.add((owner, nonce))
        a.consumed.setdefault(owner, set()).add(nonce)
        # invariant 3: the fee is credited in full, split among the payees
        platform, source, target, relayer = split_fee(
            args["fee"], self.w.shares, args["relayer"] != ZERO
        )
        a.fees_charged += args["fee"]
        a.credited[self.w.platform_payee.address] += platform
        a.credited[merchant_key(args["fromToken"])] += source
        a.credited[merchant_key(args["toToken"])] += target
        if relayer:
            a.credited[args["relayer"]] += relayer
        a.swaps_seen += 1

    def points_supply_is_conserved(self, state: Snapshot) -> None:
        """Invariant 1, per token: Σ balances == totalSupply == minted − burned (by the events);
        then every balance and supply against the model."""
        for symbol, token in self.w.tokens.items():
            supply = state.supply[symbol]
            held = sum(state.balances[(symbol, user.address)] for user in self.w.users)
            assert held == supply, f"invariant 1: {symbol} holders have {held}, supply {supply}"
            minted, burned = self.auditor.minted[token.address], self.auditor.burned[token.address]
            assert supply == minted - burned, f"invariant 1: {symbol} supply != minted - burned"
            assert supply == self.model.minted[symbol] - self.model.burned[symbol], symbol
            for user in self.w.users:
                balance = state.balances[(symbol, user.address)]
                expected = self.model.balances[(symbol, user.address)]
                assert balance == expected, f"{symbol} balance of {user.address}"

    def settlement_and_fees_are_conserved(self, state: Snapshot) -> None:
        """Invariants 2 and 3 on the exchange's state, then each figure against the model."""
        a = self.auditor
        merchant_credits = {s: market[6] for s, market in state.markets.items()}
        in_accounts = sum(market[5] for market in state.markets.values())
        credits = sum(merchant_credits.values()) + sum(state.payee_credit.values())
        held = state.exchange_holds
        assert held == in_accounts + credits, (
            f"invariant 2: the exchange holds {held} settlement units, its accounts and "
            f"credits {in_accounts + credits}"
        )
        withdrawn = sum(a.withdrawn.values())
        assert a.fees_charged == credits + withdrawn, (
            f"invariant 3: fees charged {a.fees_charged}, credited {credits} + withdrawn "
            f"{withdrawn}"
        )
        payees = {merchant_key(self.w.tokens[s].address): c for s, c in merchant_credits.items()}
        for payee, credit in {**payees, **state.payee_credit}.items():
            expected = a.credited[payee] - a.withdrawn[payee]
            assert credit == expected, f"invariant 3: {payee} holds {credit}, credited {expected}"
        for symbol, (value, _, _, _, _, settlement, credit, *_) in state.markets.items():
            assert value == self.model.values[symbol], f"{symbol} point value"
            assert settlement == self.model.settlement[symbol], f"{symbol} settlement account"
            assert credit == self.model.merchant_credit[symbol], f"{symbol} fee credit"
        for payee, credit in state.payee_credit.items():
            assert credit == self.model.payee_credit[payee], f"credit of {payee}"

    def nonces_match_the_model(self, state: Snapshot) -> None:
        """Invariant 4 on the exchange's state: the used or cancelled nonces are exactly the
        model's, and the events told the auditor of each."""
        for owner, nonces in self.model.nonce_bits.items():
            assert nonces <= self.auditor.consumed.get(owner, set())
            for word in {n >> 8 for n in nonces}:
                bits = sum(1 << (n & 0xFF) for n in nonces if n >> 8 == word)
                assert state.nonce_words[(owner, word)] == bits, f"nonce word {word} of {owner}"
        for owner, counter in state.counters.items():
            assert counter == self.model.counters[owner] == self.auditor.counters[owner]
        assert state.paused == self.model.paused


# ─── The test ───────────────────────────────────────────────────────────────────────────────


def read_opening(world: World) -> tuple[Model, Auditor]:
    """The model and the auditor at the snapshot every example starts from."""
    exchange = world.platform.exchange
    markets = {symbol: exchange.market(token) for symbol, token in world.tokens.items()}
    model = Model(
        balances=Counter(
            {
                (symbol, user.address): token.balanceOf(user)
                for symbol, token in world.tokens.items()
                for user in world.users
            }
        ),
        minted=Counter({s: t.totalSupply() for s, t in world.tokens.items()}),
        burned=Counter(),
        values={s: m["pointValue"] for s, m in markets.items()},
        value_changed_at={s: m["valueChangedAt"] for s, m in markets.items()},
        settlement={s: m["settlementBalance"] for s, m in markets.items()},
        merchant_credit=Counter({s: m["feeCredit"] for s, m in markets.items()}),
        payee_credit=Counter(
            {p.address: exchange.payeeCredit(p) for p in (world.platform_payee, world.relayer)}
        ),
        frozen=set(),
        counters=Counter(),
        nonce_bits={},
        reference={s: (m["referenceValue"], m["referenceAt"]) for s, m in markets.items()},
    )
    assert not exchange.paused()
    opening_credits = sum(model.merchant_credit.values()) + sum(model.payee_credit.values())
    assert opening_credits == 0, "the test expects a platform on which nobody swapped yet"
    auditor = Auditor(
        last_block=web3.eth.block_number,
        values={world.tokens[s].address: v for s, v in model.values.items()},
        minted=Counter({world.tokens[s].address: v for s, v in model.minted.items()}),
    )
    return model, auditor


def test_invariants_hold_after_every_step(
    platform: Any,
    users: list[Any],
    tokens: dict[str, Any],
    admins: dict[str, Any],
    settler: Any,
    relayer: Any,
    platform_payee: Any,
    domain: Domain,
) -> None:
    newcomer = accounts.add(keccak(text="tongdui invariant newcomer").hex())
    stranger = accounts.add(keccak(text="tongdui invariant stranger").hex())
    actors = [*users, newcomer]
    for account in actors:
        accounts[0].transfer(account, "1 ether")
    exchange = platform.exchange
    float_fen = 10**15  # the settler's float for deposits
    platform.settlement.mint(settler, float_fen, keccak(text="float"), {"from": settler})
    platform.settlement.approve(exchange, float_fen, {"from": settler})

    fees = exchange.feeConfig()
    risk = exchange.riskConfig()
    token_abi = next(iter(tokens.values())).abi
    readers = {s: web3.eth.contract(address=t.address, abi=t.abi) for s, t in tokens.items()}
    readers["exchange"] = web3.eth.contract(address=exchange.address, abi=exchange.abi)
    readers["settlement"] = web3.eth.contract(
        address=platform.settlement.address, abi=platform.settlement.abi
    )
    errors = signature_hashes("error", exchange.abi, token_abi)
    world = World(
        platform=platform,
        tokens=tokens,
        admins=admins,
        users=actors,
        stranger=stranger,
        settler=settler,
        relayer=relayer,
        platform_payee=platform_payee,
        domain=domain,
        fee_bps=fees["feeBps"],
        shares=(
            fees["platformBps"],
            fees["sourceMerchantBps"],
            fees["targetMerchantBps"],
            fees["relayerBps"],
        ),
        max_step_bps=risk["maxValueStepBps"],
        min_interval=risk["minValueInterval"],
        max_daily_bps=risk["maxDailyStepBps"],
        min_order_value=risk["minOrderValue"],
        limit_cap=risk["maxValuePerWindow"],
        limit_window=risk["limitWindow"],
        errors={selector[:4]: name for selector, name in errors.items()},
        event_names=signature_hashes("event", exchange.abi),
        readers=readers,
        symbol_of={token.address: symbol for symbol, token in tokens.items()},
    )
    opening = read_opening(world)
    chain.snapshot()

    def run_program(seed: int) -> None:
        chain.revert()
        PlatformMachine(world, opening, random.Random(seed)).run(STEPS)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        # Shrinking a seed finds nothing smaller: the notes print the failing program instead.
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(seed=st.integers(0, 2**32 - 1))
    def random_programs(seed: int) -> None:
        run_program(seed)

    PlatformMachine.tally.clear()
    if SEED is None:
        random_programs()
    else:
        run_program(int(SEED))
    print("\noutcomes:", ", ".join(f"{k} x{v}" for k, v in sorted(PlatformMachine.tally.items())))
