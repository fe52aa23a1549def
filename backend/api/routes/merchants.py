"""Query API: merchants with their point values (live from the registry) and statistics
(from the indexer's tables)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from ...core.db import INT64_MAX
from ...core.error_codes import ErrorCode
from ...core.errors import NotFoundError
from ...query import chain as live
from ...query import index
from ...query.stats import merchant_stats, platform_stats
from ..deps import MinBlockDep, ReadAtLeast, ServicesDep, SessionDep
from ..schemas import Address, Model, errors
from .query import cny

router = APIRouter(tags=["merchants"])


class MerchantInfo(Model):
    id: int
    name: str
    symbol: str
    token: Address
    admin: Address
    status: Literal["active", "suspended", "none"]
    admitted_at: int
    point_value: int
    point_value_cny: str
    issuance_cap: int
    points_outstanding: int
    settlement_balance: int
    settlement_balance_cny: str
    fee_credit: int


def _info(view: dict[str, Any]) -> MerchantInfo:
    return MerchantInfo(
        id=view["id"],
        name=view["name"],
        symbol=view["symbol"],
        token=view["token"],
        admin=view["admin"],
        status=view["status"],
        admitted_at=view["admittedAt"],
        point_value=view["pointValue"],
        point_value_cny=cny(view["pointValue"]),
        issuance_cap=view["issuanceCap"],
        points_outstanding=view["pointsOutstanding"],
        settlement_balance=view["settlementBalance"],
        settlement_balance_cny=cny(view["settlementBalance"]),
        fee_credit=view["feeCredit"],
    )


class MerchantList(Model):
    merchants: list[MerchantInfo]
    block_number: int


@router.get(
    "/merchants",
    response_model=MerchantList,
    responses=errors(503),
    summary="Every merchant with its point value, status, cap, outstanding points and funds",
    description="Read at `blockNumber`, which is at most `TONGDUI_READ_CACHE_SECONDS` behind "
    "the head; pass `minBlock` (the block of your write) for an answer at least that new.",
)
async def list_merchants(services: ServicesDep, min_block: MinBlockDep) -> MerchantList:
    def read(block: int) -> list[dict[str, Any]]:
        return live.merchants(services.platform, block)

    block, views = await services.reads.answer("merchants", read, min_block or 0)
    return MerchantList(merchants=[_info(v) for v in views], block_number=block)


class MerchantAnswer(MerchantInfo):
    block_number: int = Field(description="the block this was read at")


@router.get(
    "/merchants/{token}",
    response_model=MerchantAnswer,
    responses=errors(404, 422, 503),
    summary="One merchant, by its points token, read live at `blockNumber`",
)
def get_merchant(token: Address, services: ServicesDep) -> MerchantAnswer:
    block = int(services.w3.eth.block_number)
    info = _info(live.merchant(services.platform, token, block))
    return MerchantAnswer(**info.model_dump(), block_number=block)


Since = Annotated[int | None, Query(ge=0, le=INT64_MAX, description="unix seconds, inclusive")]
Until = Annotated[int | None, Query(ge=0, le=INT64_MAX, description="unix seconds, exclusive")]


class MerchantStats(Model):
    token: Address
    symbol: str
    swaps_out: int
    points_out: int
    value_out: int
    swaps_in: int
    points_in: int
    value_in: int
    fees_paid: int
    fees_earned: int
    swap_users: int
    holders: int
    issues: int
    points_issued: int
    redemptions: int
    points_redeemed: int
    points_outstanding: int
    settlement_balance: int
    fee_credit: int
    since: int | None
    until: int | None
    as_of_block: int | None


@router.get(
    "/merchants/{token}/stats",
    response_model=MerchantStats,
    dependencies=[ReadAtLeast],
    responses=errors(404, 422),
    summary="A merchant's swaps out and in (count, points, value), fees, users, issuance",
    description="From the index; `since`/`until` bound swaps, issues and redemptions by block "
    "time. Values are settlement units (fen).",
)
def get_merchant_stats(
    token: Address, session: SessionDep, since: Since = None, until: Until = None
) -> MerchantStats:
    symbols = index.merchant_tokens(session)
    if token not in symbols:
        raise NotFoundError(
            f"{token} is not an indexed merchant's points token",
            code=ErrorCode.UNKNOWN_MERCHANT,
            token=token,
        )
    stats = merchant_stats(session, token, since, until)
    return MerchantStats.model_validate(
        {
            **stats,
            "token": token,
            "symbol": symbols[token],
            "since": since,
            "until": until,
            "as_of_block": index.checkpoint(session),
        }
    )


class PlatformStats(Model):
    swaps: int
    volume: int
    volume_cny: str
    fees: int
    platform_fees: int
    merchant_fees: int
    relayer_fees: int
    swap_users: int
    holders: int
    merchants: int
    rejected_orders: int
    since: int | None
    until: int | None
    as_of_block: int | None


@router.get(
    "/stats",
    response_model=PlatformStats,
    dependencies=[ReadAtLeast],
    responses=errors(422),
    summary="Platform totals: swaps, volume, fees by payee, users, holders, rejections",
)
def get_platform_stats(
    session: SessionDep, since: Since = None, until: Until = None
) -> PlatformStats:
    stats = platform_stats(session, since, until)
    return PlatformStats.model_validate(
        {
            **stats,
            "volume_cny": cny(stats["volume"]),
            "since": since,
            "until": until,
            "as_of_block": index.checkpoint(session),
        }
    )
