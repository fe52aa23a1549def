"""What the chain says about an order, read before the owner's serialization is taken.

One JSON-RPC batch of six prepared view calls with the head block (``reads.read_with_head``);
the market and the risk settings are remembered per head block (``BlockValues``), since they
are the same for every order checked while that block is the head.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import requests

from ..chain.eip712 import SwapOrder
from ..core.errors import ChainUnavailableError
from ..services import Services
from .intake_checks import ChainFacts
from .reads import CallReverted, PreparedFunction, read_many, read_with_head

# What a dead node looks like through web3's HTTP provider.
CHAIN_DOWN: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ChainUnavailableError,
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


def read_chain_facts(services: Services, order: SwapOrder) -> ChainFacts:
    """The on-chain values the checks need: the owner's and the quote in one JSON-RPC
    batch with the head block; the market and the risk settings from that block."""
    views = exchange_views(services)
    head, values = read_with_head(
        services.w3,
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
    market, risk = block_values(services, views, head, order.from_token)
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
