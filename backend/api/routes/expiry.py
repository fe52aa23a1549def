"""Points expiry for a wallet (issue 16): ``GET /accounts/{address}/expiry``, the holder's
points by the day they expire ("1,200 SKYM expire on 2027-03-31"), earliest first, from the
indexed buckets (``query.expiry``); ``?soon=true`` keeps those expiring within 90 days."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from ...query import expiry as buckets
from ..deps import ReadAtLeast, ServicesDep, SessionDep
from ..schemas import Address, Model, errors

router = APIRouter(tags=["query"])


class ExpiryItem(Model):
    token: Address
    symbol: str
    key: int = Field(description="the expiry key: a UTC month index; 65535 never expires")
    expires_at: str | None = Field(
        description="ISO date of the last day the points can be spent (null: never expire)"
    )
    last_day: str | None = Field(description="the same day as expiresAt")
    expires_at_time: int | None = Field(
        description="unix seconds at which they expire: 00:00 UTC the day after lastDay"
    )
    amount: int
    expired: bool = Field(description="expired and not yet swept (no longer spendable)")
    soon: bool = Field(description=f"expiring within {buckets.SOON_DAYS} days")


@router.get(
    "/accounts/{address}/expiry",
    response_model=list[ExpiryItem],
    dependencies=[ReadAtLeast],
    responses=errors(422, 503),
    summary="An address's points by the day they expire, earliest first",
    description="From the indexed expiry buckets; expired and soon are judged at the chain's "
    "latest block time. Points that never expire come last with expiresAt null.",
)
def get_expiry(
    address: Address,
    services: ServicesDep,
    session: SessionDep,
    soon: Annotated[
        bool, Query(description=f"only points expiring within {buckets.SOON_DAYS} days")
    ] = False,
) -> list[ExpiryItem]:
    now = buckets.head_time(services.reads)
    return [
        ExpiryItem(
            token=b.token,
            symbol=b.symbol,
            key=b.key,
            expires_at=b.last_day,
            last_day=b.last_day,
            expires_at_time=b.expires_at,
            amount=b.amount,
            expired=b.expired,
            soon=b.soon,
        )
        for b in buckets.holder_buckets(session, address, now)
        if b.soon or not soon
    ]
