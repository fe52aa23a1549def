"""Order intake: every check the contract would make, done before an order is accepted.

Why check off chain at all when ``settle`` rejects bad orders anyway: a rejected order costs
gas and the user learns late; here they learn at once, with a stable code and a sentence.
The chain stays the gate: anything that changes between intake and settlement (a merchant
withdrawing cover, a user moving points away) ends as ``rejected`` with the contract's reason.

Checks run per owner in one serialized transaction (``serial.owner_transaction``: across
threads and processes), so one owner's concurrent orders see each other's pending amounts
(balance, nonce, limits). An order is committed before the caller hears 202.

Per order: one JSON-RPC batch of six prepared view calls (made before the owner's transaction,
so no lock is held across a network round trip), then in the transaction one duplicate lookup,
one query for every pending amount and one insert.
If the node cannot be reached, the chain-side checks are skipped and the order is queued
(``settle`` still decides): intake keeps working while the node is down.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import requests
from eth_utils import to_checksum_address
from sqlalchemy import (
    Connection,
    bindparam,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..chain.eip712 import Domain, SwapOrder, order_digest, recover_signer
from ..chain.signature_rules import canonical_hex
from ..core.db import INT64_MAX
from ..core.error_codes import ErrorCode
from ..core.errors import ChainUnavailableError, ValidationError
from ..services import Services
from .models import PENDING_STATES, RECEIVED, RelayerOrder
from .reads import CallReverted, PreparedFunction, read_many, read_with_head
from .schemas import SwapOrderIn
from .serial import GroupCommit, group_for, owners_transaction
from .shadowing import revive, shadowed

log = logging.getLogger("tongdui.relayer")

# What a dead node looks like through web3's HTTP provider.
CHAIN_DOWN: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ChainUnavailableError,
)


@lru_cache(maxsize=65_536)
def checksum(address: str) -> str:
    """``to_checksum_address``, remembered: it costs two keccaks and owners come back often."""
    return str(to_checksum_address(address))


def refuse(code: ErrorCode, message: str, **details: Any) -> ValidationError:
    """A 4xx with a stable code, answering the code's catalogue status (raise the result)."""
    return ValidationError(message, code=code, status=code.status, **details)


def exchange_domain(services: Services) -> Domain:
    return Domain(services.chain_id, services.platform.exchange.address)


def to_order(body: SwapOrderIn) -> SwapOrder:
    """The typed order, with the index's int64 bounds checked (MALFORMED_ORDER)."""
    for name in ("amount_in", "min_amount_out", "deadline", "counter"):
        if getattr(body, name) > INT64_MAX:
            raise refuse(
                ErrorCode.MALFORMED_ORDER,
                f"{name} is larger than this relayer accepts "
                "(2^63-1); points amounts and unix times are far below that.",
                field=name,
            )
    return SwapOrder(
        owner=checksum(body.owner),
        from_token=checksum(body.from_token),
        to_token=checksum(body.to_token),
        amount_in=body.amount_in,
        min_amount_out=body.min_amount_out,
        nonce=body.nonce,
        deadline=body.deadline,
        counter=body.counter,
    )


@dataclass(frozen=True, slots=True)
class ExchangeViews:
    """The view functions intake reads, prepared once per exchange (see ``reads``)."""

    is_nonce_used: PreparedFunction
    user_state: PreparedFunction
    quote: PreparedFunction
    market: PreparedFunction
    risk_config: PreparedFunction
    balance_of: PreparedFunction  # of any points token: ``balance_of.at(token)``
    total_supply: PreparedFunction  # of any points token, as ``balance_of``
    issuance_cap: PreparedFunction  # of any points token, as ``balance_of``


_VIEWS: dict[str, ExchangeViews] = {}


def exchange_views(services: Services) -> ExchangeViews:
    exchange = services.platform.exchange
    views = _VIEWS.get(exchange.address)
    if views is None:
        token = services.platform.points_token(exchange.address)  # only its ABI is used
        views = _VIEWS[exchange.address] = ExchangeViews(
            is_nonce_used=PreparedFunction.of(exchange, "isNonceUsed"),
            user_state=PreparedFunction.of(exchange, "userState"),
            quote=PreparedFunction.of(exchange, "quote"),
            market=PreparedFunction.of(exchange, "market"),
            risk_config=PreparedFunction.of(exchange, "riskConfig"),
            balance_of=PreparedFunction.of(token, "balanceOf"),
            total_supply=PreparedFunction.of(token, "totalSupply"),
            issuance_cap=PreparedFunction.of(token, "issuanceCap"),
        )
    return views


@dataclass(frozen=True, slots=True)
class ChainFacts:
    """What the chain says about an order (one batched read, before the owner's lock)."""

    nonce_used: bool
    counter: int
    limit_updated_at: int  # the owner's decaying limit usage, as of limit_updated_at
    limit_used: int
    quoted: tuple[int, int, int] | CallReverted  # (amountOut, fee, grossValue)
    balance: int
    cover: int  # the source merchant's settlement balance
    window: int  # the per-user limit's window (seconds) and cap; cap 0 = no limit
    max_value: int
    target_supply: int  # to_token's outstanding points and its cap (a swap in mints within it)
    target_cap: int
    min_order_value: int = 0  # the smallest gross value the exchange accepts


@dataclass(frozen=True, slots=True)
class Pending:
    """Amounts promised to pending orders, from one query under the owner's lock."""

    nonce_order: str | None  # a pending order of the owner with the same nonce
    owner_token_in: int  # points of from_token the owner's pending orders give
    token_gross: int  # settlement value all pending orders take from from_token's merchant
    owner_gross: int  # settlement value of the owner's pending orders (window limit)


class OrderIntake:
    """Validates and persists signed orders; ``submit`` is what ``POST /orders`` calls."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.domain = exchange_domain(services)

    def submit(self, body: SwapOrderIn) -> tuple[RelayerOrder, bool]:
        """Returns (the order row, True if it is new). Raises ValidationError with a code."""
        self._check_domain(body)
        order = to_order(body)
        order_hash = "0x" + order_digest(self.domain, order).hex()
        try:
            # Only a signature the contract accepts is ever stored: a copy with v shifted or s
            # flipped would otherwise be kept under this digest and shadow the real one.
            signature = canonical_hex(body.signature)
            self._check_signature(order, order_hash, signature)
            self._check_fields(order)
        except ValidationError:
            existing = self.find(order_hash)  # a stored order answers as itself
            if existing is not None:
                return existing, False
            raise
        try:
            facts: ChainFacts | None = self._read_chain(order)
        except CHAIN_DOWN:
            facts = None
        group = group_for(self.services.sessions, lambda: GroupCommit(store_orders))
        return group.submit(Candidate(self.services.sessions, order, order_hash, signature, facts))

    def find(self, order_hash: str) -> RelayerOrder | None:
        with self.services.sessions() as session:
            return session.scalar(
                select(RelayerOrder).where(RelayerOrder.order_hash == order_hash.lower())
            )

    # ── checks ──────────────────────────────────────────────────────────────────────────────

    def _check_domain(self, body: SwapOrderIn) -> None:
        if body.chain_id is not None and body.chain_id != self.domain.chain_id:
            raise refuse(
                ErrorCode.WRONG_CHAIN,
                f"The order was signed for chain {body.chain_id}, but "
                f"this relayer serves chain {self.domain.chain_id}; switch your wallet's "
                "network and sign again.",
                expected=self.domain.chain_id,
            )
        if (
            body.verifying_contract is not None
            and body.verifying_contract.lower() != self.domain.verifying_contract.lower()
        ):
            raise refuse(
                ErrorCode.WRONG_DOMAIN,
                "The order was signed for another exchange contract "
                f"({body.verifying_contract}); sign for {self.domain.verifying_contract} "
                "(see GET /orders/domain).",
                expected=self.domain.verifying_contract,
            )

    @staticmethod
    def _check_signature(order: SwapOrder, order_hash: str, signature: str) -> None:
        try:
            signer = recover_signer(bytes.fromhex(order_hash[2:]), bytes.fromhex(signature[2:]))
        except Exception as error:  # malformed r/s/v: no signer at all
            raise refuse(
                ErrorCode.INVALID_SIGNER,
                "The signature is not a valid secp256k1 signature; "
                "sign the order's EIP-712 digest with the owner's wallet.",
            ) from error
        if signer != order.owner:
            raise refuse(
                ErrorCode.INVALID_SIGNER,
                ErrorCode.INVALID_SIGNER.message
                + " (If you did, check the domain: GET /orders/domain.)",
                signer=signer,
                owner=order.owner,
            )

    @staticmethod
    def _check_fields(order: SwapOrder) -> None:
        """The checks that need nothing but the order itself."""
        if order.deadline < time.time():
            raise refuse(
                ErrorCode.ORDER_EXPIRED, ErrorCode.ORDER_EXPIRED.message, deadline=order.deadline
            )
        if order.amount_in == 0:
            raise refuse(ErrorCode.ZERO_AMOUNT, ErrorCode.ZERO_AMOUNT.message)
        if order.from_token == order.to_token:
            raise refuse(ErrorCode.SAME_TOKEN, ErrorCode.SAME_TOKEN.message)

    def _read_chain(self, order: SwapOrder) -> ChainFacts:
        """The on-chain values the checks need: the owner's and the quote in one JSON-RPC
        batch with the head block; the market and the risk settings from that block."""
        views = exchange_views(self.services)
        head, values = read_with_head(
            self.services.w3,
            [
                views.is_nonce_used(order.owner, order.nonce),
                views.user_state(order.owner),
                views.quote(order.from_token, order.to_token, order.amount_in),
                views.balance_of.at(order.from_token)(order.owner),
                views.total_supply.at(order.to_token)(),
                views.issuance_cap.at(order.to_token)(),
            ],
        )
        used, (counter, limit_updated_at, limit_used), quoted, balance, supply, cap = values
        if isinstance(supply, CallReverted) or isinstance(cap, CallReverted):
            supply, cap = 0, 2**256  # not a points token: the quote's revert says why
        market, risk = block_values(self.services, views, head, order.from_token)
        _step, _interval, window, max_value, _daily, min_order_value, _floor = risk
        return ChainFacts(
            bool(used),
            counter,
            limit_updated_at,
            limit_used,
            quoted if isinstance(quoted, CallReverted) else tuple(quoted),
            0 if isinstance(balance, CallReverted) else balance,  # no token: the quote says so
            market[5],
            window,
            max_value,
            supply,
            cap,
            min_order_value,
        )


@dataclass
class BlockValues:
    """The exchange's risk settings and markets as of one block.

    Why: they are the same for every order checked while that block is the head, and two of
    every order's six calls; under load hundreds of orders arrive per block, and each
    ``eth_call`` costs the node an EVM run. Used only while the head is still ``block`` (number
    and hash, so a reorg to the same height is a new block), so a remembered value is what a
    fresh read at ``latest`` would give.
    """

    block: tuple[int, str]  # number and hash
    risk: tuple[int, ...]
    markets: dict[str, tuple[Any, ...]] = field(default_factory=dict)


_BLOCK_VALUES: dict[str, BlockValues] = {}
_BLOCK_VALUES_LOCK = threading.Lock()


def block_values(
    services: Services, views: ExchangeViews, head: tuple[int, str], token: str
) -> tuple[tuple[Any, ...], tuple[int, ...]]:
    """(market of ``token``, risk settings) at block ``head``, remembered for that block."""
    key = views.market.address
    with _BLOCK_VALUES_LOCK:
        known = _BLOCK_VALUES.get(key)
        if known is not None and known.block == head and token in known.markets:
            return known.markets[token], known.risk
    # At ``latest``, not at ``head``: anvil answers a call at a numbered block from a copy of
    # that block's state, which cost it more than the two calls saved. A block mined between
    # the two batches is the same skew as between the calls of one batch.
    market, risk = read_many(services.w3, [views.market(token), views.risk_config()])
    with _BLOCK_VALUES_LOCK:
        known = _BLOCK_VALUES.get(key)
        if known is None or known.block != head:
            known = _BLOCK_VALUES[key] = BlockValues(head, tuple(risk))
        if known.block == head:
            known.markets[token] = tuple(market)
    return tuple(market), tuple(risk)


def check_chain(order: SwapOrder, facts: ChainFacts, pending: Pending) -> int:
    """The on-chain checks, pending orders counted; returns the quoted gross value."""
    if facts.nonce_used:
        raise refuse(ErrorCode.NONCE_USED, ErrorCode.NONCE_USED.message, nonce=str(order.nonce))
    counter = facts.counter
    if order.counter != counter:
        code = ErrorCode.ORDER_CANCELLED if order.counter < counter else ErrorCode.WRONG_COUNTER
        raise refuse(
            code,
            f"The order carries counter {order.counter} but your current "
            f"counter is {counter}: sign the order again with counter {counter}.",
            counter=counter,
        )
    if isinstance(facts.quoted, CallReverted):
        error = facts.quoted.error
        # a refusal of the quote call answers 400 whatever the contract's code
        raise ValidationError(error.message, code=error.code, **error.args)
    amount_out, _fee, gross = facts.quoted
    if gross < facts.min_order_value:
        raise refuse(
            ErrorCode.ORDER_VALUE_TOO_LOW,
            f"The order is worth {gross} settlement units, below the smallest order the "
            f"exchange accepts ({facts.min_order_value}); swap more points at once.",
            gross_value=gross,
            min_order_value=facts.min_order_value,
        )
    if amount_out == 0:
        raise refuse(
            ErrorCode.ZERO_OUTPUT, ErrorCode.ZERO_OUTPUT.message, amount_in=order.amount_in
        )
    if amount_out < order.min_amount_out:
        raise refuse(
            ErrorCode.INSUFFICIENT_OUTPUT,
            f"The swap would give {amount_out} points, fewer "
            f"than your minimum {order.min_amount_out}; quote again and re-sign.",
            amount_out=amount_out,
            min_amount_out=order.min_amount_out,
        )
    if facts.target_supply + amount_out > facts.target_cap:
        supply_after = facts.target_supply + amount_out
        raise refuse(
            ErrorCode.CAP_EXCEEDED,
            ErrorCode.CAP_EXCEEDED.message,
            supply_after=supply_after,
            cap=facts.target_cap,
        )
    pending_in = pending.owner_token_in
    if facts.balance < order.amount_in + pending_in:
        raise refuse(
            ErrorCode.INSUFFICIENT_BALANCE,
            f"You hold {facts.balance} points of this program and "
            f"{pending_in} are promised to pending orders, so {order.amount_in} more "
            "cannot be swapped; lower the amount or wait for them to settle.",
            balance=facts.balance,
            pending=pending_in,
            needed=order.amount_in,
        )
    if facts.cover - pending.token_gross < gross:
        raise refuse(
            ErrorCode.INSUFFICIENT_COVER,
            ErrorCode.INSUFFICIENT_COVER.message,
            balance=facts.cover,
            pending=pending.token_gross,
            needed=gross,
        )
    if facts.max_value:
        used_value = decayed_usage(
            facts.limit_used,
            max(0, int(time.time()) - facts.limit_updated_at),
            facts.max_value,
            facts.window,
        )
        total = used_value + pending.owner_gross + gross
        if total > facts.max_value:
            raise refuse(
                ErrorCode.USER_LIMIT_EXCEEDED,
                f"This swap would bring your recent swapped value to {total}, above the "
                f"limit {facts.max_value} (it recovers over {facts.window} s); "
                "swap less or wait a while.",
                used=used_value + pending.owner_gross,
                limit=facts.max_value,
                needed=gross,
            )
    return int(gross)


def decayed_usage(used: int, elapsed: int, limit: int, window: int) -> int:
    """PointsExchange._enforceUserLimit's decaying window: usage falls by limit / window per
    second, rounded down, never below zero (kept here, apart from the audit's copy, so that
    the relayer and the auditor do not share a bug)."""
    recovered = elapsed * limit // window if window else used
    return used - recovered if used > recovered else 0


def check_pending_nonce(order: SwapOrder, pending: Pending) -> None:
    taken = pending.nonce_order
    if taken is not None:
        raise refuse(
            ErrorCode.NONCE_USED,
            f"Nonce {order.nonce} is already taken by your pending "
            f"order {taken}; sign with a fresh nonce.",
            order=taken,
        )


# ── persistence ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Candidate:
    """An order that passed the checks made outside the owner's serialization."""

    sessions: sessionmaker[Session]
    order: SwapOrder
    order_hash: str
    signature: str
    facts: ChainFacts | None  # None: the node was unreachable


Outcome = tuple[RelayerOrder, bool] | BaseException


# Built once: constructing a statement per call (coercions, cache keys) cost more than running
# it. The ``expanding`` parameters take the group's lists; the pending states are literals.
_T = RelayerOrder.__table__.c
_PENDING = _T.state.in_(PENDING_STATES)
_STORED = select(RelayerOrder.__table__).where(
    _T.order_hash.in_(bindparam("hashes", expanding=True))
)
# Every pending amount a group needs, in one statement (each statement is a trip out of
# Python and back, and under load the trip back waits for the GIL): rows of kind
# "n" (owner, nonce, order hash), "o" (owner, from_token, points in, gross) and
# "t" (from_token, gross).
_PENDING_AMOUNTS = union_all(
    select(
        literal_column("'n'").label("kind"),
        _T.owner.label("a"),
        _T.nonce.label("b"),
        _T.order_hash.label("c"),
        null().label("points_in"),
        null().label("gross"),
    ).where(
        _PENDING,
        _T.owner.in_(bindparam("owners", expanding=True)),
        _T.nonce.in_(bindparam("nonces", expanding=True)),
    ),
    select(
        literal_column("'o'"),
        _T.owner,
        _T.from_token,
        null(),
        func.sum(_T.amount_in),
        func.sum(_T.quoted_gross),
    )
    .where(_PENDING, _T.owner.in_(bindparam("owners", expanding=True)))
    .group_by(_T.owner, _T.from_token),
    select(literal_column("'t'"), _T.from_token, null(), null(), null(), func.sum(_T.quoted_gross))
    .where(_PENDING, _T.from_token.in_(bindparam("tokens", expanding=True)))
    .group_by(_T.from_token),
)
_INSERT = insert(RelayerOrder)


class PendingBook:
    """Pending amounts of a group's owners and tokens: loaded in one query under the owners'
    serialization, then kept current as the group's own orders are accepted."""

    def __init__(self, connection: Connection, orders: list[SwapOrder]) -> None:
        self.nonces: dict[tuple[str, str], str] = {}
        self.owner_token_in: dict[tuple[str, str], int] = {}
        self.owner_gross: dict[str, int] = {}
        self.token_gross: dict[str, int] = {}
        rows = connection.execute(
            _PENDING_AMOUNTS,
            {
                "owners": sorted({o.owner for o in orders}),
                "nonces": sorted({str(o.nonce) for o in orders}),
                "tokens": sorted({o.from_token for o in orders}),
            },
        )
        for kind, a, b, order_hash, points_in, gross in rows:
            if kind == "n":
                self.nonces[a, b] = order_hash
            elif kind == "o":
                self.owner_token_in[a, b] = int(points_in)
                self.owner_gross[a] = self.owner_gross.get(a, 0) + int(gross)
            else:
                self.token_gross[a] = int(gross)

    def view(self, order: SwapOrder) -> Pending:
        return Pending(
            self.nonces.get((order.owner, str(order.nonce))),
            self.owner_token_in.get((order.owner, order.from_token), 0),
            self.token_gross.get(order.from_token, 0),
            self.owner_gross.get(order.owner, 0),
        )

    def add(self, order: SwapOrder, order_hash: str, gross: int) -> None:
        self.nonces[order.owner, str(order.nonce)] = order_hash
        key = (order.owner, order.from_token)
        self.owner_token_in[key] = self.owner_token_in.get(key, 0) + order.amount_in
        self.owner_gross[order.owner] = self.owner_gross.get(order.owner, 0) + gross
        self.token_gross[order.from_token] = self.token_gross.get(order.from_token, 0) + gross


def store_orders(candidates: list[Candidate]) -> list[Outcome]:
    """Checks a group of orders against pending amounts and stores the accepted ones, in one
    transaction serialized per owner; one outcome per candidate, in order."""
    sessions = candidates[0].sessions
    try:
        with owners_transaction(sessions, [c.order.owner for c in candidates]) as session:
            return _check_and_insert(session, candidates)
    except IntegrityError:
        if len(candidates) == 1:
            return [_raced(candidates[0])]
        # A writer outside intake's serialization took a hash or nonce: one by one, so that
        # only the order that collided hears about it.
        return [store_orders([candidate])[0] for candidate in candidates]


def _check_and_insert(session: Session, candidates: list[Candidate]) -> list[Outcome]:
    connection = session.connection()
    hashes = sorted({c.order_hash for c in candidates})
    stored: dict[str, RelayerOrder] = {
        row.order_hash: RelayerOrder(**row._asdict())
        for row in connection.execute(_STORED, {"hashes": hashes})
    }
    book = PendingBook(connection, [c.order for c in candidates])
    outcomes: list[Outcome] = []
    rows: list[dict[str, Any]] = []
    revived: list[dict[str, Any]] = []
    for candidate in candidates:
        order, order_hash = candidate.order, candidate.order_hash
        existing = stored.get(order_hash)
        if existing is not None and not shadowed(existing, candidate.signature):
            outcomes.append((existing, False))  # posted before, or twice in this group
            continue
        try:
            pending = book.view(order)
            check_pending_nonce(order, pending)
            if candidate.facts is None:
                log.warning("node unreachable: order %s queued without chain checks", order_hash)
                gross = 0
            else:
                gross = check_chain(order, candidate.facts, pending)
        except ValidationError as error:
            outcomes.append(error)
            continue
        values = _row_values(candidate, gross)
        (revived if existing is not None else rows).append(values)
        stored[order_hash] = row = RelayerOrder(**values)
        book.add(order, order_hash, gross)
        outcomes.append((row, True))
    if rows:
        connection.execute(_INSERT, rows)
    revive(connection, revived)
    return outcomes


def _raced(candidate: Candidate) -> Outcome:
    """The order collided with a row written outside intake's serialization."""
    with candidate.sessions() as session:
        existing = session.scalar(
            select(RelayerOrder).where(RelayerOrder.order_hash == candidate.order_hash)
        )
    if existing is not None:
        return existing, False
    return refuse(
        ErrorCode.NONCE_USED,
        f"Nonce {candidate.order.nonce} is already taken by another pending "
        "order of yours; sign with a fresh nonce.",
    )


def _row_values(candidate: Candidate, gross: int) -> dict[str, Any]:
    order, now = candidate.order, time.time()
    return {
        "order_hash": candidate.order_hash,
        "owner": order.owner,
        "from_token": order.from_token,
        "to_token": order.to_token,
        "amount_in": order.amount_in,
        "min_amount_out": order.min_amount_out,
        "nonce": str(order.nonce),
        "deadline": order.deadline,
        "counter": order.counter,
        "signature": candidate.signature,
        "quoted_gross": gross,
        "state": RECEIVED,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }
