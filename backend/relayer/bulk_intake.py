"""Bulk intake: up to 500 signed orders in one request (``POST /orders/bulk``), each accepted
or refused on its own, exactly as ``OrderIntake.submit`` would answer it alone.

Why not ``submit`` in a loop: an integrator (a merchant's system forwarding its members'
orders) sends hundreds at once, and each ``submit`` waits on its own JSON-RPC batch and its own
turn at the writer. Here the per-order work is only what must be per order:
- the pre-checks of ``submit`` (domain, int64 bounds, digest, canonical signature, signer,
  deadline and amounts): signature recovery is the only per-order crypto;
- one lookup of every refused order's hash, since a refused order already stored answers as
  itself (as in ``submit``);
- the chain facts of all orders in ``FACTS_PER_BATCH`` orders to a JSON-RPC batch
  (``read_chain_facts_many``; a dead node queues the orders unchecked, as ``submit`` does);
- ``store_orders`` over all candidates at once: one transaction serialized per owner, one
  query for every pending amount, one insert. An order posted twice in one request is stored
  once and the copy answers as the first one did on a second ``POST /orders`` (200).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from ..chain.eip712 import SwapOrder, order_digest
from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from ..risk.store import active_rules
from ..services import Services
from .chain_facts import read_chain_facts_many
from .intake import exchange_domain
from .intake_checks import check_domain, check_signed, refuse, to_order
from .models import RelayerOrder
from .order_store import Candidate, Outcome, store_orders
from .schemas import MAX_BULK_ORDERS, SwapOrderIn


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """One order's answer: ``result`` is (the stored row, True if it is new) or the refusal."""

    order_hash: str | None  # None: refused before its digest was known (domain, bounds)
    result: Outcome


@dataclass(frozen=True, slots=True)
class _Checked:
    order: SwapOrder
    order_hash: str
    signature: str


def check_bulk_size(count: int) -> None:
    """A bulk holds 1 to ``MAX_BULK_ORDERS`` orders (TOO_MANY_ORDERS beyond)."""
    if count > MAX_BULK_ORDERS:
        raise refuse(
            ErrorCode.TOO_MANY_ORDERS,
            f"The request carries {count} orders; a bulk takes at most {MAX_BULK_ORDERS}: "
            f"split them into requests of at most {MAX_BULK_ORDERS} orders each.",
            limit=MAX_BULK_ORDERS,
            count=count,
        )


def submit_many(services: Services, bodies: Sequence[SwapOrderIn]) -> list[BulkOutcome]:
    """One outcome per body, in order. Raises only TOO_MANY_ORDERS (the bulk as a whole) or
    what the database raises; every order's refusal is its outcome."""
    check_bulk_size(len(bodies))
    domain = exchange_domain(services)
    precheck: list[_Checked | BulkOutcome] = []
    for body in bodies:
        order_hash = None
        try:
            check_domain(domain, body)
            order = to_order(body)
            order_hash = "0x" + order_digest(domain, order).hex()
            signature = check_signed(order, order_hash, body.signature)
        except ValidationError as error:
            precheck.append(BulkOutcome(order_hash, error))
            continue
        precheck.append(_Checked(order, order_hash, signature))
    checked = [item for item in precheck if isinstance(item, _Checked)]
    stored = iter(_store(services, checked))
    # after the store: a refused copy of an order this bulk stored answers as that order
    already = _stored_rows(services, [item for item in precheck if isinstance(item, BulkOutcome)])
    return [
        BulkOutcome(item.order_hash, next(stored))
        if isinstance(item, _Checked)
        else _as_itself(item, already)
        for item in precheck
    ]


def _store(services: Services, checked: list[_Checked]) -> list[Outcome]:
    """The orders that passed the pre-checks, checked against the chain and pending orders
    and stored in one group."""
    if not checked:
        return []
    facts = read_chain_facts_many(services, [item.order for item in checked])
    rules = tuple(active_rules(services.sessions))
    return store_orders(
        [
            Candidate(
                services.sessions,
                item.order,
                item.order_hash,
                item.signature,
                fact,
                services.chain_id,
                rules,
            )
            for item, fact in zip(checked, facts, strict=True)
        ]
    )


def _stored_rows(services: Services, refused: list[BulkOutcome]) -> dict[str, RelayerOrder]:
    """The stored rows among the refused orders' hashes, in one query."""
    hashes = sorted({item.order_hash for item in refused if item.order_hash is not None})
    if not hashes:
        return {}
    with services.sessions() as session:
        rows = session.scalars(select(RelayerOrder).where(RelayerOrder.order_hash.in_(hashes)))
        return {row.order_hash: row for row in rows}


def _as_itself(refused: BulkOutcome, stored: dict[str, RelayerOrder]) -> BulkOutcome:
    """A refused order whose hash is stored answers as that order (200), as in ``submit``."""
    row = stored.get(refused.order_hash) if refused.order_hash is not None else None
    return refused if row is None else BulkOutcome(refused.order_hash, (row, False))
