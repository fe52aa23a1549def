"""What the chain says about an order, read before the owner's serialization is taken.

One JSON-RPC batch of six prepared view calls with the head block (``reads.read_with_head``);
the market and the risk settings are remembered per head block (``BlockValues``), since they
are the same for every order checked while that block is the head.

Many orders at once (``read_chain_facts_many``, for ``POST /orders/bulk``): the six calls of
up to ``FACTS_PER_BATCH`` orders in one batch, with the market of each source token and the
risk settings among them, so N orders cost ceil(N / 100) round trips and no more.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from ..chain.eip712 import SwapOrder
from ..core.errors import ChainUnavailableError
from ..services import Services
from .intake_checks import ChainFacts
from .reads import CallReverted, PreparedFunction, ViewCall, read_many, read_with_head

# What a dead node looks like through web3's HTTP provider.
CHAIN_DOWN: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ChainUnavailableError,
)
# Orders per JSON-RPC batch of ``read_chain_facts_many``: six calls each, plus the head and at
# most one market per order and the risk settings, so at most 702 requests, within geth's
# default of 1,000 per batch (``--rpc.batch-request-limit``); anvil sets no limit.
FACTS_PER_BATCH = 100


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


def read_chain_facts(services: Services, order: SwapOrder) -> ChainFacts:
    """The on-chain values the checks need: the owner's and the quote in one JSON-RPC
    batch with the head block; the market and the risk settings from that block."""
    views = exchange_views(services)
    head, values = read_with_head(services.w3, order_calls(views, order))
    market, risk = block_values(services, views, head, order.from_token)
    return to_facts(values, market, risk)


def read_chain_facts_many(
    services: Services, orders: Sequence[SwapOrder], per_batch: int = FACTS_PER_BATCH
) -> list[ChainFacts | None]:
    """Each order's facts, in order, read ``per_batch`` orders to a JSON-RPC batch.

    ``None`` for the orders of a batch the node did not answer and of every batch after it:
    the caller queues them unchecked, as ``OrderIntake.submit`` does while the node is down,
    and a dead node costs one wait (a timeout, perhaps), not one per batch.
    """
    views = exchange_views(services)
    facts: list[ChainFacts | None] = []
    for start in range(0, len(orders), per_batch):
        try:
            facts += _read_batch(services, views, orders[start : start + per_batch])
        except CHAIN_DOWN:
            return facts + [None] * (len(orders) - len(facts))
    return facts


def _read_batch(
    services: Services, views: ExchangeViews, orders: Sequence[SwapOrder]
) -> list[ChainFacts]:
    """One batch: every order's six calls, then each source token's market and the risk
    settings. Why those in the batch rather than from ``block_values``: a miss there is one
    more round trip per token, and a bulk of new orders misses for each of its tokens; a
    market call is one ``eth_call`` among ~600. What is read refreshes ``BlockValues``, so
    single orders arriving in the same block find it."""
    tokens = list(dict.fromkeys(order.from_token for order in orders))
    calls = [call for order in orders for call in order_calls(views, order)]
    calls += [views.market(token) for token in tokens]
    head, values = read_with_head(services.w3, [*calls, views.risk_config()])
    *values, risk = values
    markets = dict(zip(tokens, values[-len(tokens) :], strict=True))
    remember_block_values(views, head, tuple(risk), {t: tuple(m) for t, m in markets.items()})
    n = CALLS_PER_ORDER
    return [
        to_facts(values[i * n : (i + 1) * n], markets[order.from_token], risk)
        for i, order in enumerate(orders)
    ]


CALLS_PER_ORDER = 6  # what ``order_calls`` reads, in the order ``to_facts`` unpacks


def order_calls(views: ExchangeViews, order: SwapOrder) -> list[ViewCall]:
    """The order's six view calls: its nonce, the owner's state, the quote, the owner's
    balance, and the target token's supply and cap."""
    return [
        views.is_nonce_used(order.owner, order.nonce),
        views.user_state(order.owner),
        views.quote(order.from_token, order.to_token, order.amount_in),
        views.balance_of.at(order.from_token)(order.owner),
        views.total_supply.at(order.to_token)(),
        views.issuance_cap.at(order.to_token)(),
    ]


def to_facts(values: Sequence[Any], market: Sequence[Any], risk: Sequence[int]) -> ChainFacts:
    """The answers of ``order_calls`` with the source token's market and the risk settings."""
    used, (counter, limit_updated_at, limit_used), quoted, balance, supply, cap = values
    if isinstance(supply, CallReverted) or isinstance(cap, CallReverted):
        supply, cap = 0, 2**256  # not a points token: the quote's revert says why
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
    remember_block_values(views, head, tuple(risk), {token: tuple(market)})
    return tuple(market), tuple(risk)


def remember_block_values(
    views: ExchangeViews,
    head: tuple[int, str],
    risk: tuple[int, ...],
    markets: dict[str, tuple[Any, ...]],
) -> None:
    """Keeps what was read while ``head`` was the head, for the next order of that block."""
    with _BLOCK_VALUES_LOCK:
        key = views.market.address
        known = _BLOCK_VALUES.get(key)
        if known is None or known.block != head:
            known = _BLOCK_VALUES[key] = BlockValues(head, risk)
        known.markets.update(markets)
