"""The invariant test's state machine: random programs of operations on the real contracts.

It issues points, swaps directly, settles batches with bad orders mixed in, cancels orders by
nonce (directly and by signature) and all at once (counter bump), changes point values, moves
settlement funds, withdraws fees, pauses the exchange by vote and freezes users; merchants
change their expiry rules, anyone sweeps expired points and time jumps over the month
boundaries where points expire (issue 16). Each step's
outcome is compared with the model's prediction (invariant_model.py), using the block's own
timestamp; after each step the invariants are checked (invariant_auditor.py).
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from typing import Any, ClassVar

from brownie import chain, web3
from brownie.exceptions import TransactionError, VirtualMachineError
from hypothesis import note

from scripts.platform import govern
from tests.contracts.invariant_auditor import Auditor, InvariantChecks
from tests.contracts.invariant_model import (
    BATCH_KINDS,
    DAY,
    DIRECT_KINDS,
    EXPIRY_RULES,
    PAIRS,
    SYMBOLS,
    UNVERIFIED_REJECTIONS,
    USER_COUNT,
    Model,
    Ticket,
    World,
    apply_swap,
    predict,
)
from tests.contracts.points_token_expiry_model import NEVER, expiry_of, month_of
from tongdui.chain.eip712 import (
    CancelNonces,
    SwapOrder,
    digest,
    order_digest,
    sign_digest,
    sign_order,
)
from tongdui.chain.swap_math import BPS, quote


def error_name(exc: VirtualMachineError, errors: dict[bytes, str]) -> str:
    """The custom error's name from brownie's decoded revert message ("Name: args")."""
    message = exc.revert_msg or ""
    if message.startswith("typed error: 0x"):
        return errors.get(bytes.fromhex(message[15:23]), message)
    return message.split(":")[0].strip()


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


class PlatformMachine(InvariantChecks):
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
        now = self.latest_time()
        held = [s for s in SYMBOLS if self.model.spendable(s, owner.address, now) > 0]
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
        held = self.model.spendable(source, user.address, self.latest_time())
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

    # ── rules: points ──

    @step(weight=2)
    def issue_points(self) -> None:
        symbol, holder = self.rng.choice(SYMBOLS), self.user()
        amount = self.rng.choice((self.rng.randint(1, 1_000), self.rng.randint(1, 100_000)))
        token = self.w.tokens[symbol]
        _, error, now = self.transact(token.issue, holder, amount, sender=self.w.admins[symbol])
        expected = (
            "PointsTokenAccountFrozen" if (symbol, holder.address) in self.model.frozen else None
        )
        self.expect(f"issue {amount} {symbol} to {holder.address[:8]}", expected, error)
        if error is None:
            self.model.mint(symbol, holder.address, amount, now)

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
        expected, q = predict(self.w, self.model, ticket, now, None, sender.address)
        if self.model.paused:
            expected, q = "EnforcedPause", None
        what = f"swap ({kind}) {amount} {source}->{target} by {owner.address[:8]}"
        self.expect(what, expected, error)
        if q is not None:
            swapped = tx.events["Swapped"]
            assert (swapped["amountOut"], swapped["fee"]) == (q.amount_out, q.fee)
            apply_swap(self.w, self.model, ticket, q, None, now)
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
            amount = self.model.spendable(source, owner.address, self.latest_time()) + 1
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
            expected, q = predict(self.w, self.model, ticket, now, relayer.address, relayer.address)
            self.expect(f"settled-order {position} of the batch", expected, actual)
            assert swapped is None or swapped["orderHash"] == ticket.digest
            if q is not None:
                assert (swapped["amountOut"], swapped["fee"]) == (q.amount_out, q.fee)
                apply_swap(self.w, self.model, ticket, q, relayer.address, now)
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

    # ── rules: expiry (issue 16) ──

    @step(weight=1)
    def set_expiry_rule(self) -> None:
        symbol = self.rng.choice(SYMBOLS)
        rule = self.rng.choice(EXPIRY_RULES)
        token = self.w.tokens[symbol]
        _, error, _ = self.transact(token.setExpiryRule, *rule, sender=self.w.admins[symbol])
        self.expect(f"setExpiryRule {symbol} {rule}", None, error)
        self.model.rules[symbol] = rule

    @step(weight=1)
    def sweep_expired(self) -> None:
        symbol, holder = self.rng.choice(SYMBOLS), self.user()
        token = self.w.tokens[symbol]
        tx, error, now = self.transact(token.sweepExpired, holder, sender=self.w.relayer)
        frozen = (symbol, holder.address) in self.model.frozen
        self.expect(
            f"sweepExpired {symbol} {holder.address[:8]}",
            "PointsTokenAccountFrozen" if frozen else None,
            error,
        )
        if error is None:
            assert tx.return_value == self.model.sweep(symbol, holder.address, now)

    @step(weight=1)
    def let_months_pass(self) -> None:
        """Jumps to one second before, at or after the next expiry of a held key, or by a
        month or so: points expire between two steps, or in the very block of a debit."""
        now = self.latest_time()
        ahead = sorted(
            expiry_of(key)
            for held in self.model.buckets.values()
            for holder in held.held.values()
            for key in holder
            if key != NEVER and expiry_of(key) > now + 2
        )
        if ahead and self.rng.random() < 0.7:
            target = ahead[0] + self.rng.choice((-1, 0, 1))
        else:
            target = now + self.rng.randint(20, 45) * DAY
        self.note(f"jump to {target} (month key {month_of(target)})")
        web3.provider.make_request("evm_mine", [target])

    @step(weight=1)
    def let_time_pass(self) -> None:
        seconds = self.rng.choice((30, 600, 3_601, 7_200))
        self.note(f"sleep {seconds} s")
        chain.sleep(seconds)
        chain.mine()
