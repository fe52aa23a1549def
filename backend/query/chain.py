"""Live reads from the contracts: merchants, quotes, governance's bounds on point values.

The chain is the truth, and these figures change with every block (settlement balances, point
values), so they are read live rather than from the index. Token names and symbols never
change and are cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3.exceptions import ContractCustomError, ContractLogicError
from web3.types import BlockIdentifier

from ..chain.client import Platform
from ..chain.constants import BPS, MERCHANT_STATUS, VALUE_REFERENCE_PERIOD
from ..chain.transactions import revert_error
from ..core.error_codes import ErrorCode
from ..core.errors import ContractRevertError, NotFoundError, ValidationError

UINT64_MAX = 2**64 - 1
SLIPPAGE_SUGGESTIONS_BPS = (10, 50, 100, 300)
MERCHANT_VIEW_FIELDS = (
    "id", "name", "token", "admin", "status", "admittedAt", "issuanceCap", "pointsOutstanding",
    "pointValue", "settlementBalance", "feeCredit",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TokenInfo:
    name: str
    symbol: str


_TOKEN_INFO: dict[tuple[int, str, str], TokenInfo] = {}


def token_info(platform: Platform, token: str) -> TokenInfo:
    """Name and symbol of a points token (immutable, so cached per deployment)."""
    key = (platform.deployment.chain_id, platform.deployment.address("MerchantRegistry"), token)
    if key not in _TOKEN_INFO:
        contract = platform.points_token(token)
        _TOKEN_INFO[key] = TokenInfo(
            contract.functions.name().call(), contract.functions.symbol().call()
        )
    return _TOKEN_INFO[key]


def merchants(platform: Platform, block: BlockIdentifier = "latest") -> list[dict[str, Any]]:
    """Every merchant's registry view, plus its symbol and status as a word."""
    views = platform.merchants(block)
    for view in views:
        view["symbol"] = token_info(platform, view["token"]).symbol
        view["status"] = MERCHANT_STATUS.get(view["status"], str(view["status"]))
    return views


def merchant(platform: Platform, token: str, block: BlockIdentifier = "latest") -> dict[str, Any]:
    """One merchant's view by its points token; NotFoundError if it is not a merchant."""
    merchant_id = platform.registry.functions.merchantIdOf(token).call(block_identifier=block)
    if merchant_id == 0:
        raise NotFoundError(
            f"{token} is not the points token of any Tongdui merchant; GET /merchants lists them",
            code=ErrorCode.UNKNOWN_MERCHANT,
            token=token,
        )
    fields = MERCHANT_VIEW_FIELDS
    view = dict(
        zip(
            fields,
            platform.registry.functions.merchantView(merchant_id).call(block_identifier=block),
            strict=True,
        )
    )
    view["symbol"] = token_info(platform, token).symbol
    view["status"] = MERCHANT_STATUS.get(view["status"], str(view["status"]))
    return view


MARKET_FIELDS = (
    "pointValue", "valueChangedAt", "listed", "active", "admin", "settlementBalance", "feeCredit",
    "referenceValue", "referenceAt",
)  # fmt: skip


def market(platform: Platform, token: str, block: BlockIdentifier = "latest") -> dict[str, Any]:
    """The exchange's ``Market`` record of ``token`` by field name (IPointsExchange.Market)."""
    values = platform.exchange.functions.market(token).call(block_identifier=block)
    return dict(zip(MARKET_FIELDS, values, strict=True))


def fee_bps(platform: Platform) -> int:
    return int(platform.exchange.functions.feeConfig().call()[0])


@dataclass(frozen=True, slots=True)
class Quote:
    amount_in: int
    amount_out: int
    fee: int
    gross_value: int
    fee_bps: int
    from_value: int
    to_value: int
    block: int
    min_order_value: int = 0  # the smallest gross value an order may have

    @property
    def net_value(self) -> int:
        return self.gross_value - self.fee

    def minimum_received(self, slippage_bps: int) -> int:
        return self.amount_out * (BPS - slippage_bps) // BPS


def quote(
    platform: Platform, from_token: str, to_token: str, amount_in: int, block: int | None = None
) -> Quote:
    """The exchange's own price for a swap, read in one block (the latest unless given);
    errors as the swap would give."""
    if from_token == to_token:
        raise ValidationError(
            ErrorCode.SAME_TOKEN.message, code=ErrorCode.SAME_TOKEN, token=from_token
        )
    if block is None:
        block = platform.w3.eth.block_number
    exchange = platform.exchange.functions
    try:
        out, fee, gross = exchange.quote(from_token, to_token, amount_in).call(
            block_identifier=block
        )
    except (ContractCustomError, ContractLogicError) as error:
        raise revert_error(error) from error
    if out == 0:
        raise ContractRevertError(
            ErrorCode.ZERO_OUTPUT.message,
            code=ErrorCode.ZERO_OUTPUT,
            error="ExchangeZeroOutput",
            args={"amountIn": amount_in},
        )
    check_room(platform, to_token, out, block)
    from_value = market(platform, from_token, block)["pointValue"]
    to_value = market(platform, to_token, block)["pointValue"]
    feebps = int(exchange.feeConfig().call(block_identifier=block)[0])
    min_order = int(exchange.riskConfig().call(block_identifier=block)[5])
    return Quote(amount_in, out, fee, gross, feebps, from_value, to_value, block, min_order)


def check_room(platform: Platform, token: str, amount_out: int, block: BlockIdentifier) -> None:
    """Refuses a swap in that would take ``token``'s supply past its cap (IPointsToken: the cap
    bounds the merchant's whole liability, swaps in included), as the contract would."""
    contract = platform.points_token(token).functions
    supply = int(contract.totalSupply().call(block_identifier=block))
    cap = int(contract.issuanceCap().call(block_identifier=block))
    if supply + amount_out > cap:
        raise cap_exceeded(supply + amount_out, cap)


def cover_facts(platform: Platform, token: str, block: BlockIdentifier) -> tuple[int, int]:
    """(settlement balance, points outstanding) of ``token`` at ``block``: what its cover ratio
    is made of."""
    balance = int(market(platform, token, block)["settlementBalance"])
    supply = int(platform.points_token(token).functions.totalSupply().call(block_identifier=block))
    return balance, supply


def cap_exceeded(supply_after: int, cap: int) -> ContractRevertError:
    return ContractRevertError(
        ErrorCode.CAP_EXCEEDED.message,
        code=ErrorCode.CAP_EXCEEDED,
        error="PointsTokenCapExceeded",
        args={"supplyAfter": supply_after, "cap": cap},
    )


@dataclass(frozen=True, slots=True)
class ValueBounds:
    """What governance lets a merchant do to its point value, as of the latest block."""

    point_value: int
    max_step_bps: int
    min_interval: int
    value_changed_at: int
    next_change_at: int
    now: int
    min_allowed: int
    max_allowed: int

    @property
    def can_change_now(self) -> bool:
        return self.now >= self.next_change_at


def value_bounds(
    platform: Platform, token: str, block_id: BlockIdentifier = "latest"
) -> ValueBounds:
    """Bounds for ``token``'s next value change, mirroring ``PointsExchange.setPointValue``, as
    of ``block_id`` (the latest unless given)."""
    block = platform.w3.eth.get_block(block_id)
    number = block["number"]
    record = market(platform, token, number)
    value, changed_at = record["pointValue"], record["valueChangedAt"]
    if not record["listed"]:
        raise NotFoundError(
            f"{token} is not listed on the exchange", code=ErrorCode.UNKNOWN_MERCHANT, token=token
        )
    risk = platform.exchange.functions.riskConfig().call(block_identifier=number)
    max_step_bps, min_interval, max_daily_bps = risk[0], risk[1], risk[4]
    step = value * max_step_bps // BPS
    # The daily band (PointsExchange._checkDailyBand): a change a day after the reference
    # started re-anchors at the value then in force.
    now = int(block["timestamp"])
    anchored = now < record["referenceAt"] + VALUE_REFERENCE_PERIOD
    anchor = record["referenceValue"] if anchored else value
    band = anchor * max_daily_bps // BPS
    return ValueBounds(
        point_value=value,
        max_step_bps=max_step_bps,
        min_interval=min_interval,
        value_changed_at=changed_at,
        next_change_at=changed_at + min_interval,
        now=now,
        min_allowed=max(1, value - step, anchor - band),
        max_allowed=min(UINT64_MAX, value + step, anchor + band),
    )
