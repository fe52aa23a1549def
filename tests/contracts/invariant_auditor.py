"""The invariant test's auditor: figures rebuilt from events alone, and the invariants checked.

As an auditor replaying the chain would, ``InvariantChecks`` rebuilds from the logs points
minted and burned, fees charged and credited, withdrawals, nonces consumed or cancelled,
counters and point values; after every step it reads the contracts' state in one batched round
trip and holds it to both the events (docs/design.md's invariants 1-4) and the model
(invariant_model.py). The machine (invariant_machine.py) inherits these checks, as Morpho's
invariant handlers share one base.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from brownie import web3
from eth_utils import keccak

from tests.contracts.invariant_model import SYMBOLS, ZERO, Model, Ticket, World
from tests.contracts.points_token_expiry_model import month_of
from tongdui.chain.swap_math import split_fee

TRANSFER_TOPIC = keccak(text="Transfer(address,address,uint256)")


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


# One batched read of every figure the invariants compare.
@dataclass
class Snapshot:
    supply: dict[str, int]
    balances: dict[tuple[str, str], int]
    expired: dict[tuple[str, str], int]  # expired points not yet swept (issue 16)
    buckets: dict[tuple[str, str], list[tuple[int, int]]]  # (key, amount), earliest first
    time: int  # the latest block's timestamp: the time the views above were read at
    markets: dict[str, tuple[Any, ...]]  # (pointValue, valueChangedAt, listed, active, admin,
    #                                       settlementBalance, feeCredit)
    payee_credit: dict[str, int]
    exchange_holds: int
    nonce_words: dict[tuple[str, int], int]
    counters: dict[str, int]
    paused: bool


def merchant_key(token: str) -> str:
    return f"merchant:{token}"


def signature_hashes(kind: str, *abis: list[dict[str, Any]]) -> dict[bytes, str]:
    """keccak256("Name(types)") -> name of every `kind` ("error", "event") in the ABIs."""
    hashes = {}
    for abi in abis:
        for item in abi:
            if item["type"] == kind:
                types = ",".join(i["type"] for i in item["inputs"])
                hashes[keccak(text=f"{item['name']}({types})")] = item["name"]
    return hashes


class InvariantChecks:
    """The auditor's replay and the invariants, checked after every step of a program."""

    w: World
    model: Model
    auditor: Auditor
    tickets: dict[bytes, Ticket]  # every order signed in this program

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
                    batch.add(r[symbol].functions.expiredBalanceOf(user))
                    batch.add(r[symbol].functions.bucketsOf(user))
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
        supply, balances, expired, buckets, markets = {}, {}, {}, {}, {}
        for symbol in SYMBOLS:
            supply[symbol] = next(results)
            for user in users:
                balances[(symbol, user)] = next(results)
                expired[(symbol, user)] = next(results)
                keys, amounts = next(results)
                buckets[(symbol, user)] = list(zip(keys, amounts, strict=True))
            markets[symbol] = tuple(next(results))
        payee_credit = {payee: next(results) for payee in payees}
        exchange_holds = next(results)
        nonce_words = {key: next(results) for key in words}
        counters = {user: next(results)[0] for user in users}
        return Snapshot(
            supply,
            balances,
            expired,
            buckets,
            int(web3.eth.get_block("latest")["timestamp"]),
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
            self.w.shares, args["fee"], args["relayer"] != ZERO
        )
        a.fees_charged += args["fee"]
        a.credited[self.w.platform_payee.address] += platform
        a.credited[merchant_key(args["fromToken"])] += source
        a.credited[merchant_key(args["toToken"])] += target
        if relayer:
            a.credited[args["relayer"]] += relayer
        a.swaps_seen += 1

    def points_supply_is_conserved(self, state: Snapshot) -> None:
        """Invariant 1, per token: Σ balances + Σ expired not yet swept == totalSupply ==
        minted − burned (by the events, sweeps being burns); then every holder's buckets,
        balance and expired points and every supply against the model."""
        month = month_of(state.time)
        for symbol, token in self.w.tokens.items():
            supply = state.supply[symbol]
            held = sum(state.balances[(symbol, user.address)] for user in self.w.users)
            gone = sum(state.expired[(symbol, user.address)] for user in self.w.users)
            assert held + gone == supply, (
                f"invariant 1: {symbol} holders have {held} + {gone} expired, supply {supply}"
            )
            minted, burned = self.auditor.minted[token.address], self.auditor.burned[token.address]
            assert supply == minted - burned, f"invariant 1: {symbol} supply != minted - burned"
            assert supply == self.model.minted[symbol] - self.model.burned[symbol], symbol
            model = self.model.buckets[symbol]
            for user in self.w.users:
                holder = user.address
                assert state.buckets[(symbol, holder)] == model.of(holder), (
                    f"{symbol} buckets of {holder}"
                )
                balance = state.balances[(symbol, holder)]
                assert balance == model.spendable(holder, month), f"{symbol} balance of {holder}"
                expired = state.expired[(symbol, holder)]
                assert expired == model.expired(holder, month), f"{symbol} expired of {holder}"

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
