"""The merchant API's request and answer bodies (``routes/merchant.py``), as OpenAPI shows them:
apart from the routes so that the routes file reads as the API's list of operations."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..query import chain as live
from .schemas import Address, Model, TxHash


class TxResult(Model):
    """A sent transaction: ``pending`` until mined, then its block."""

    tx_hash: TxHash
    status: Literal["pending", "mined"]
    block_number: int | None = None
    gas_used: int | None = None


class KeyInfo(Model):
    token: Address
    symbol: str
    key_prefix: str
    scopes: list[str]
    operator_key_held: bool


class IssueRequest(Model):
    """Merchant writes take JSON integers only (``strict``), as their schema says: the lax
    parser also took ``"50\\n"``, ``" 50"`` and ``"5_0"``."""

    to: Address
    amount: int = Field(gt=0, lt=2**128, strict=True, description="whole points")


class PointsTx(TxResult):
    holder: Address
    amount: int


class RedemptionTypedData(Model):
    """What the holder's wallet signs: ``typedData`` for ``eth_signTypedData_v4``; ``domain``,
    ``types`` (Redemption only, no ``EIP712Domain``) and ``message`` for ethers'
    ``signTypedData(domain, types, value)``. Every uint is a decimal string."""

    typed_data: dict[str, object]
    domain: dict[str, object]
    types: dict[str, list[dict[str, str]]]
    primary_type: str = "Redemption"
    message: dict[str, object]
    nonce: str


class RedeemRequest(Model):
    holder: Address
    amount: int = Field(gt=0, lt=2**128, strict=True)
    deadline: int = Field(gt=0, strict=True, description="unix seconds, as signed")
    signature: str = Field(pattern=r"^0x[0-9a-fA-F]{130}$", description="the holder's signature")


class ValueBounds(Model):
    """Governance's bounds on this merchant's next point-value change, at ``now``."""

    point_value: int
    max_value_step_bps: int
    min_value_interval: int
    value_changed_at: int
    next_change_allowed_at: int
    can_change_now: bool
    min_allowed_value: int
    max_allowed_value: int
    now: int

    @classmethod
    def of(cls, b: live.ValueBounds) -> ValueBounds:
        """The answer for ``query.chain.value_bounds``'s result, in the API's field names."""
        return cls(
            point_value=b.point_value,
            max_value_step_bps=b.max_step_bps,
            min_value_interval=b.min_interval,
            value_changed_at=b.value_changed_at,
            next_change_allowed_at=b.next_change_at,
            can_change_now=b.can_change_now,
            min_allowed_value=b.min_allowed,
            max_allowed_value=b.max_allowed,
            now=b.now,
        )


class PointValueRequest(Model):
    value: int = Field(gt=0, lt=2**64, strict=True, description="settlement units (fen) per point")


class PointValueTx(TxResult):
    old_value: int
    new_value: int
    bounds: ValueBounds


class FundsRequest(Model):
    amount: int = Field(gt=0, lt=2**128, strict=True, description="settlement units (fen)")


class WithdrawRequest(FundsRequest):
    to: Address | None = Field(None, description="default: the merchant's operator address")


class FundsTx(TxResult):
    amount: int
    settlement_balance: int


class MerchantSwap(Model):
    direction: Literal["in", "out"]
    order_hash: str
    owner: Address
    from_token: Address
    to_token: Address
    amount_in: int
    amount_out: int
    gross_value: int
    paid_to_target: int
    fee: int
    merchant_fee: int
    relayer: Address
    block_number: int
    log_index: int
    timestamp: int
    tx_hash: str


class SwapPage(Model):
    items: list[MerchantSwap]
    next_cursor: str | None
    as_of_block: int | None


class FrozenAccount(Model):
    """A frozen account and who froze it: each authority clears only its own flag."""

    account: Address
    by_merchant: bool
    by_governance: bool


class Controls(Model):
    """Who may issue this program's points and which accounts are frozen, as indexed."""

    issuers: list[Address] = Field(
        description="issuer keys of the current issuer epoch; rotating the operator key revokes "
        "them all"
    )
    frozen: list[FrozenAccount]
    as_of_block: int | None


class PricingReason(Model):
    """One reason, as a stable code with its figures; the page words it in zh-CN and English."""

    code: Literal[
        "NO_SWAPS",
        "FLOWS_BALANCED",
        "NET_OUTFLOW",
        "NET_INFLOW",
        "COVER_NONE",
        "COVER_LOW",
        "COVER_HIGH",
        "COVER_ADEQUATE",
        "COVER_OPPOSES",
        "REDEMPTIONS",
        "CLAMPED_TO_BOUNDS",
        "WAIT_UNTIL",
    ]
    params: dict[str, int | None]


class PricingDay(Model):
    day: int = Field(description="unix seconds at 00:00 UTC")
    inflow: int = Field(description="settlement units received by swaps into these points")
    outflow: int = Field(description="settlement units paid by swaps out of these points")
    redeemed: int = Field(description="points redeemed")
    point_value: int = Field(description="value in force at the day's end (0: not yet listed)")


class PricingSuggestion(Model):
    """A suggested point value within governance's bounds; accept it with PUT point-value."""

    current_value: int
    suggested_value: int
    change_bps: int
    can_accept_now: bool
    next_change_allowed_at: int
    cover_ratio_bps: int | None
    window_days: int
    reasons: list[PricingReason]
    bounds: ValueBounds
    series: list[PricingDay]
