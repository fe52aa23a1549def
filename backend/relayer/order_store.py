"""Storing accepted orders: a group of orders checked against the pending amounts and
inserted in one transaction serialized per owner (``serial.owners_transaction``).

One lookup of the group's stored hashes, one query for every pending amount (``PendingBook``)
and one insert; while risk rules apply, the facts they need (``risk.book``): an order that
trips a refusing rule is refused with the rule's code, one that trips a holding rule is stored
``held``, both recorded as interceptions in the same transaction. A collision with a writer
outside intake's serialization is retried one order at a time, so only the order that collided
hears about it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

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

from ..chain.eip712 import SwapOrder
from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from ..risk.book import Request, RiskBook
from ..risk.intercept import record
from ..risk.rules import Rule
from .intake_checks import ChainFacts, Pending, check_chain, check_pending_nonce, refuse
from .models import HELD, PENDING_STATES, RECEIVED, RelayerOrder
from .serial import owners_transaction
from .shadowing import revive, shadowed

log = logging.getLogger("tongdui.relayer")


@dataclass(frozen=True, slots=True)
class Candidate:
    """An order that passed the checks made outside the owner's serialization."""

    sessions: sessionmaker[Session]
    order: SwapOrder
    order_hash: str
    signature: str
    facts: ChainFacts | None  # None: the node was unreachable
    chain_id: int = 0
    rules: tuple[Rule, ...] = ()  # the live risk rules (``risk.store.active_rules``)

    def risk_request(self) -> Request:
        order = self.order
        return Request(
            "order", self.order_hash, order.owner, order.from_token, order.to_token, order.amount_in
        )


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
    now = time.time()
    rules = list(candidates[0].rules)
    risk = RiskBook(session, rules, [c.risk_request() for c in candidates], now) if rules else None
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
        request = candidate.risk_request()
        verdict = risk.judge(request) if risk is not None else None
        if verdict is not None:
            record(session, candidate.chain_id, request, verdict, now)
            if verdict.refused:
                outcomes.append(refuse(verdict.code, verdict.message, rule=verdict.rule.id))
                continue
        values = _row_values(candidate, gross)
        if verdict is not None:
            values.update(state=HELD, reason_code=verdict.code, reason_message=verdict.message)
        if risk is not None:
            risk.accepted(request)
        (revived if existing is not None else rows).append(values)
        stored[order_hash] = row = RelayerOrder(**values)
        book.add(order, order_hash, gross)
        outcomes.append((row, True))
    if rows:
        connection.execute(_INSERT, rows)
    revive(connection, revived)
    if risk is not None:
        risk.flush()
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
        "reason_code": None,  # every row names the same columns (one executemany)
        "reason_message": None,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }
