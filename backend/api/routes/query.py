"""Query API: an address's balances and history, and quotes.

Balances and history come from the indexer's tables (as of its checkpoint, which the answer
carries); ``source=chain`` reads balances live from the contracts instead. Quotes are the
exchange's own ``quote`` at the latest block.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from ...query import chain as live
from ...query import index
from ...query.expiry import expired_by_token, head_time
from ...query.rounding import lossless_amounts, rounding
from ..deps import MinBlockDep, ReadAtLeast, ServicesDep, SessionDep
from ..schemas import Address, Model, errors

router = APIRouter(tags=["query"])

SETTLEMENT_DECIMALS = 2  # sCNY: one unit is one fen


def cny(units: int) -> str:
    """Settlement units as a CNY amount with two decimals (a string: exact, no float).

    Integer arithmetic, not ``Decimal``: its 28 significant digits made ``quantize`` fail
    (a 500) for values from about 10^26 units, which a quote of 10^27 points reaches."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(int(units)), 10**SETTLEMENT_DECIMALS)
    return f"{sign}{whole}.{fraction:0{SETTLEMENT_DECIMALS}d}"


class BalanceItem(Model):
    token: Address
    symbol: str
    name: str
    points: int
    point_value: int
    value: int
    value_cny: str


class Balances(Model):
    address: Address
    balances: list[BalanceItem]
    total_value: int
    total_value_cny: str
    as_of_block: int | None
    source: Literal["index", "chain"]


@router.get(
    "/balances/{address}",
    response_model=Balances,
    dependencies=[ReadAtLeast],
    responses=errors(422, 503),
    summary="Points of an address in every program, and what they are worth",
    description="value = points × pointValue, in settlement units (fen); valueCny in yuan.",
)
def get_balances(
    address: Address,
    services: ServicesDep,
    session: SessionDep,
    source: Annotated[
        Literal["index", "chain"], Query(description="index (default) or live from the chain")
    ] = "index",
) -> Balances:
    as_of: int | None
    if source == "index":
        # issue 16: expired points not yet swept are in the indexed sum, not in balanceOf.
        # The head's time is had before the session's first query: a wait for the node then
        # holds no pooled connection (issue 19: such waits emptied the pool under settling
        # load, and every index read queued for a connection).
        now = head_time(services.reads)
        as_of = index.checkpoint(session)
        expired = expired_by_token(session, address, now)
        holdings = [
            (h.token, h.symbol, h.name, h.points - expired.get(h.token, 0), h.point_value)
            for h in index.balances(session, address)
            if h.points > expired.get(h.token, 0)
        ]
    else:
        as_of = services.w3.eth.block_number
        holdings = []
        for view in live.merchants(services.platform):
            token = services.platform.points_token(view["token"])
            points = token.functions.balanceOf(address).call(block_identifier=as_of)
            if points:
                holdings.append(
                    (view["token"], view["symbol"], view["name"], points, view["pointValue"])
                )
    items = [
        BalanceItem(
            token=t, symbol=s, name=n, points=p, point_value=v, value=p * v, value_cny=cny(p * v)
        )
        for t, s, n, p, v in holdings
    ]
    total = sum(item.value for item in items)
    return Balances(
        address=address,
        balances=items,
        total_value=total,
        total_value_cny=cny(total),
        as_of_block=as_of,
        source=source,
    )


class SwapDetail(Model):
    order_hash: str | None = None
    from_token: Address | None = None
    from_symbol: str | None = None
    to_token: Address | None = None
    to_symbol: str | None = None
    amount_in: int | None = None
    amount_out: int | None = None
    gross_value: int | None = None
    fee: int | None = None
    relayer: Address | None = None
    nonce: str | None = None
    reason: str | None = Field(
        None, description="rejected: the stable code, e.g. ORDER_EXPIRED, ORDER_CANCELLED"
    )
    reason_message: str | None = Field(None, description="rejected: what it means, for a person")
    reason_selector: str | None = Field(None, description="rejected: the error's 4-byte selector")


class HistoryItem(Model):
    kind: Literal["swap", "issue", "redeem", "transfer", "rejected"]
    block_number: int
    log_index: int
    timestamp: int
    tx_hash: str
    token: Address | None = None
    symbol: str | None = None
    amount: int | None = None
    direction: Literal["in", "out"] | None = None
    counterparty: Address | None = None
    swap: SwapDetail | None = None


class HistoryPage(Model):
    address: Address
    items: list[HistoryItem]
    next_cursor: str | None
    as_of_block: int | None


@router.get(
    "/history/{address}",
    response_model=HistoryPage,
    dependencies=[ReadAtLeast],
    responses=errors(400, 422),
    summary="Swaps, issues, redemptions, gifts and rejected orders of an address, newest first",
    description="Pass `nextCursor` back as `cursor` for the next page; null means the end.",
)
def get_history(
    address: Address,
    session: SessionDep,
    cursor: Annotated[str | None, Query(description="nextCursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    kind: Annotated[
        list[Literal["swap", "issue", "redeem", "transfer", "rejected"]] | None,
        Query(description="only these kinds (repeat the parameter); default all"),
    ] = None,
) -> HistoryPage:
    items, next_cursor = index.history(
        session, address, cursor=cursor, limit=limit, kinds=kind or index.HISTORY_KINDS
    )
    return HistoryPage(
        address=address,
        items=[
            HistoryItem(
                kind=i.kind,  # type: ignore[arg-type]
                block_number=i.block_number,
                log_index=i.log_index,
                timestamp=i.timestamp,
                tx_hash=i.tx_hash,
                token=i.token,
                symbol=i.symbol,
                amount=i.amount,
                direction=i.direction,  # type: ignore[arg-type]
                counterparty=i.counterparty,
                swap=SwapDetail.model_validate(i.swap) if i.swap else None,
            )
            for i in items
        ],
        next_cursor=next_cursor,
        as_of_block=index.checkpoint(session),
    )


class MinimumReceived(Model):
    slippage_bps: int
    min_amount_out: int


class LosslessAmount(Model):
    amount_in: int
    amount_out: int
    rounding: int


class QuoteAnswer(Model):
    from_token: Address
    to_token: Address
    amount_in: int
    amount_out: int
    fee: int
    gross_value: int
    net_value: int
    fee_bps: int
    from_point_value: int
    to_point_value: int
    gross_value_cny: str
    fee_cny: str
    rounding: int | None = Field(
        description="settlement units of `fee` that are rounding dust (null: not known)"
    )
    fee_charged: int | None = Field(description="`fee` less `rounding`: feeBps of the value")
    lossless_amounts: list[LosslessAmount] = Field(
        description="the nearest amounts below and above whose rounding is least (0 if any)"
    )
    minimum_received: list[MinimumReceived]
    min_order_value: int = Field(
        description="the smallest grossValue an order may have (ORDER_VALUE_TOO_LOW below it)"
    )
    block_number: int


@router.get(
    "/quote",
    response_model=QuoteAnswer,
    responses=errors(400, 422, 503),
    summary="What a swap of `amount` points would give, at the current point values",
    description=(
        "grossValue = amount × value(from); fee = ⌈grossValue × feeBps / 10 000⌉ (rounded up, "
        "so splitting an order never avoids it) plus rounding dust (`feeCharged` + `rounding`; "
        "`losslessAmounts` are the nearest amounts that lose less to rounding); amountOut = "
        "floor((grossValue − fee) / value(to)). `minimumReceived` suggests a `minAmountOut` "
        "for a signed order that tolerates a point-value change of that size. An order worth "
        "under `minOrderValue` is refused at intake (ORDER_VALUE_TOO_LOW). "
        "Errors: SAME_TOKEN (400), UNKNOWN_MARKET, MARKET_INACTIVE, ZERO_OUTPUT (422). Read "
        "at `blockNumber`, at most `TONGDUI_READ_CACHE_SECONDS` behind the head; `minBlock` "
        "asks for an answer at least that new."
    ),
)
async def get_quote(
    services: ServicesDep,
    from_token: Annotated[Address, Query(alias="from", description="points token to give")],
    to_token: Annotated[Address, Query(alias="to", description="points token to receive")],
    amount: Annotated[int, Query(gt=0, lt=2**128, description="whole points to give")],
    min_block: MinBlockDep,
) -> QuoteAnswer:
    key = ("quote", from_token, to_token, amount)

    def read(block: int) -> live.Quote:
        return live.quote(services.platform, from_token, to_token, amount, block)

    _, q = await services.reads.answer(key, read, min_block or 0)
    dust = rounding(q)
    return QuoteAnswer(
        from_token=from_token,
        to_token=to_token,
        amount_in=q.amount_in,
        amount_out=q.amount_out,
        fee=q.fee,
        gross_value=q.gross_value,
        net_value=q.net_value,
        fee_bps=q.fee_bps,
        from_point_value=q.from_value,
        to_point_value=q.to_value,
        gross_value_cny=cny(q.gross_value),
        fee_cny=cny(q.fee),
        rounding=dust,
        fee_charged=None if dust is None else q.fee - dust,
        lossless_amounts=[
            LosslessAmount(amount_in=a.amount_in, amount_out=a.amount_out, rounding=a.rounding)
            for a in lossless_amounts(q)
        ],
        minimum_received=[
            MinimumReceived(slippage_bps=bps, min_amount_out=q.minimum_received(bps))
            for bps in live.SLIPPAGE_SUGGESTIONS_BPS
        ],
        min_order_value=q.min_order_value,
        block_number=q.block,
    )
