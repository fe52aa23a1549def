"""Clearing statements (清分) over HTTP: a merchant's statement and the consortium's
who-paid-whom, for a block range or for days. Built by the auditor's replay of the chain (see
``tongdui.audit.statements``); each carries its block range and history digest."""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from ...audit.fetch import Contracts
from ...audit.results import ReplayResult
from ...audit.run import replay_chain
from ...audit.statement_periods import resolve_period
from ...audit.statements import make_statement
from ...chain.rpc import JsonRpc
from ...core.db import INT64_MAX
from ...core.error_codes import ErrorCode
from ...core.errors import ValidationError
from ...services import Services
from ..deps import ServicesDep
from ..schemas import Model, errors

router = APIRouter(prefix="/statements", tags=["clearing"])

_lock = threading.Lock()
_cache: dict[tuple[str, int], ReplayResult] = {}


def replay_at(services: Services, to_block: int) -> ReplayResult:
    """The replay up to ``to_block``, kept for the next request (a few recent ones)."""
    key = (services.node_url(), to_block)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    contracts = Contracts.from_names(services.deployment.addresses)
    with JsonRpc(key[0]) as rpc:
        result = replay_chain(rpc, contracts, services.deployment.deployment_block, to_block)
    with _lock:
        if len(_cache) >= 4:
            _cache.pop(next(iter(_cache)))
        _cache[key] = result
    return result


class Flow(Model):
    points: int
    value: int = Field(description="settlement units (fen)")
    swaps: int


class OpeningClosing(Model):
    opening: int
    closing: int


class MerchantFigures(Model):
    issued: int
    redeemed: int
    swapped_out: Flow
    swapped_in: Flow
    fees_paid: int = Field(description="Σ fee (with dust) inside the value this merchant paid")
    fees_earned: int = Field(description="this merchant's shares of swap fees")
    deposits: int
    withdrawals: int
    fees_withdrawn: int
    paid_to: dict[str, int] = Field(description="settlement value paid to each merchant")
    received_from: dict[str, int]
    settlement_balance: OpeningClosing
    fee_credit: OpeningClosing
    net_position: int = Field(description="swappedIn.value − swappedOut.value + feesEarned")
    points_expired: int = Field(
        0,
        description="points whose expiry instant fell in the period (issue 16), swept or not",
    )
    reconciles: bool = Field(description="closing − opening equals the period's movements")


class MerchantRef(Model):
    symbol: str
    token: str


class ConsortiumFigures(Model):
    """The period's settlement between merchants and the fees, for the whole consortium."""

    settlement_paid: dict[str, dict[str, int]] = Field(
        description="payer merchant → payee merchant → settlement value"
    )
    fees_to_revenue_split: dict[str, int]
    payee_credits_closing: dict[str, int]


class Period(Model):
    from_block: int
    to_block: int
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    utc_offset_hours: int | None = None
    complete: bool | None = Field(
        None, description="the period is over: every block of its days is in the statement"
    )


class Statement(Model):
    statement: str
    version: int
    chain_id: int
    exchange: str
    period: Period
    to_block_hash: str
    history_digest: str = Field(description="the audit's history digest at period.toBlock")
    generated_at: str
    merchant: MerchantRef | None
    figures: MerchantFigures | None
    consortium: ConsortiumFigures


def _range(
    services: Services,
    from_block: int | None,
    to_block: int | None,
    from_date: date | None,
    to_date: date | None,
    utc_offset: int | None,
) -> tuple[int, int, dict[str, Any]]:
    first_block = services.deployment.deployment_block
    if utc_offset is None:
        utc_offset = services.settings.statement_utc_offset
    with JsonRpc(services.node_url()) as rpc:
        head = rpc.block_number()
        if from_date or to_date:
            first_day, last_day = from_date or to_date, to_date or from_date
            assert first_day is not None and last_day is not None
            try:
                resolved = resolve_period(rpc, first_day, last_day, utc_offset, first_block)
            except ValueError as error:
                raise ValidationError(str(error), code=ErrorCode.INVALID_PERIOD) from None
            # a period without a block is an empty statement (all figures 0), not an error
            return resolved.first_block, resolved.last_block, resolved.labels()
        first = first_block if from_block is None else from_block
        last = head if to_block is None else to_block
    last = min(last, head)
    if last < first:
        raise ValidationError(
            f"no block in that range (blocks {first}…{last})", code=ErrorCode.EMPTY_PERIOD
        )
    return first, last, {}


FromBlock = Annotated[int | None, Query(alias="fromBlock", ge=0, le=INT64_MAX)]
ToBlock = Annotated[int | None, Query(alias="toBlock", ge=0, le=INT64_MAX)]
FromDate = Annotated[date | None, Query(alias="fromDate", description="first day, YYYY-MM-DD")]
ToDate = Annotated[date | None, Query(alias="toDate", description="last day (inclusive)")]
UtcOffset = Annotated[
    int | None,
    Query(
        alias="utcOffset",
        ge=-12,
        le=14,
        description="the clock days are counted in, hours from UTC (default: the setting "
        "TONGDUI_STATEMENT_UTC_OFFSET, 8)",
    ),
]


def _statement(
    services: Services,
    symbol: str | None,
    from_block: int | None,
    to_block: int | None,
    from_date: date | None,
    to_date: date | None,
    utc_offset: int | None,
) -> dict[str, Any]:
    """One merchant's statement (``symbol``) or the consortium's (None), from a replay."""
    first, last, period = _range(services, from_block, to_block, from_date, to_date, utc_offset)
    return make_statement(
        services.node_url(),
        Contracts.from_names(services.deployment.addresses),
        services.deployment.deployment_block,
        first,
        last,
        symbol,
        period,
        replay_at(services, last),
    )


@router.get(
    "",
    response_model=Statement,
    responses=errors(400, 503),
    summary="The consortium's who-paid-whom over a period",
)
def consortium_statement(
    services: ServicesDep,
    from_block: FromBlock = None,
    to_block: ToBlock = None,
    from_date: FromDate = None,
    to_date: ToDate = None,
    utc_offset: UtcOffset = None,
) -> dict[str, Any]:
    return _statement(services, None, from_block, to_block, from_date, to_date, utc_offset)


@router.get(
    "/{symbol}",
    response_model=Statement,
    responses=errors(400, 404, 503),
    summary="A merchant's clearing statement over a period",
)
def merchant_statement(
    symbol: str,
    services: ServicesDep,
    from_block: FromBlock = None,
    to_block: ToBlock = None,
    from_date: FromDate = None,
    to_date: ToDate = None,
    utc_offset: UtcOffset = None,
) -> dict[str, Any]:
    return _statement(services, symbol, from_block, to_block, from_date, to_date, utc_offset)
