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
one query for every pending amount and one insert (and, while risk rules apply, the reads
``risk.book`` makes: the rules themselves are remembered, ``risk.store.active_rules``).
If the node cannot be reached, the chain-side checks are skipped and the order is queued
(``settle`` still decides): intake keeps working while the node is down.

This module only drives: the pure checks are ``intake_checks``, the chain reads
``chain_facts``, the pending amounts and the insert ``order_store``; ``bulk_intake`` drives the
same for up to 500 orders at once (``POST /orders/bulk``).
"""

from __future__ import annotations

from sqlalchemy import select

from ..chain.eip712 import Domain, order_digest
from ..core.errors import ValidationError
from ..risk.store import active_rules
from ..services import Services
from .chain_facts import CHAIN_DOWN, read_chain_facts
from .intake_checks import (
    ChainFacts,
    check_domain,
    check_signed,
    checksum,
    refuse,
    to_order,
)
from .models import RelayerOrder
from .order_store import Candidate, store_orders
from .schemas import SwapOrderIn
from .serial import GroupCommit, group_for

__all__ = ["CHAIN_DOWN", "OrderIntake", "checksum", "exchange_domain", "refuse"]


def exchange_domain(services: Services) -> Domain:
    return Domain(services.chain_id, services.platform.exchange.address)


class OrderIntake:
    """Validates and persists signed orders; ``submit`` is what ``POST /orders`` calls."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.domain = exchange_domain(services)

    def submit(self, body: SwapOrderIn) -> tuple[RelayerOrder, bool]:
        """Returns (the order row, True if it is new). Raises ValidationError with a code."""
        check_domain(self.domain, body)
        order = to_order(body)
        order_hash = "0x" + order_digest(self.domain, order).hex()
        try:
            signature = check_signed(order, order_hash, body.signature)
        except ValidationError:
            existing = self.find(order_hash)  # a stored order answers as itself
            if existing is not None:
                return existing, False
            raise
        try:
            facts: ChainFacts | None = read_chain_facts(self.services, order)
        except CHAIN_DOWN:
            facts = None
        rules = tuple(active_rules(self.services.sessions))
        group = group_for(self.services.sessions, lambda: GroupCommit(store_orders))
        return group.submit(
            Candidate(
                self.services.sessions,
                order,
                order_hash,
                signature,
                facts,
                self.services.chain_id,
                rules,
            )
        )

    def find(self, order_hash: str) -> RelayerOrder | None:
        with self.services.sessions() as session:
            return session.scalar(
                select(RelayerOrder).where(RelayerOrder.order_hash == order_hash.lower())
            )
