"""The vouchers API's bodies (pydantic), camelCase on the wire as the relayer's.

Amounts and nonces arrive as JSON integers, decimal or 0x-hex strings (``relayer.schemas.Uint``);
answers give amounts as integers, ids and nonces as strings where they may pass 2^53.
"""

from __future__ import annotations

from pydantic import Field

from ..relayer.schemas import Address, Bytes32, Camel, Reason, Signature, Uint


class PurchaseFields(Camel):
    owner: Address = Field(description="the buyer; the signer")
    product_id: Uint
    pay_token: Address = Field(description="the points token that pays (any program)")
    points_in: Uint = Field(description="points of payToken given")
    cash_amount: Uint = Field(0, description="fen paid in cash on top (0: points only)")
    nonce: Uint = Field(description="unused bit nonce & 255 of word nonce >> 8 (VoucherBook's)")
    deadline: Uint = Field(description="unix time after which the purchase is void")


class PurchaseIn(Camel):
    """A signed ``Purchase`` (EIP-712 under VoucherBook's domain: ``GET /vouchers/eip712``)."""

    purchase: PurchaseFields
    signature: Signature


class PaymentOut(Camel):
    payment_id: str
    pay_url: str
    amount: int
    state: str


class PurchaseOut(Camel):
    """A purchase's state: received → settled | rejected; with a cash part received →
    pending_cash → settled | refunded."""

    purchase_id: str = Field(description="the EIP-712 digest, as every VoucherBook event has it")
    state: str
    owner: str
    product_id: int
    pay_token: str
    points_in: int
    cash_amount: int
    nonce: str
    deadline: int
    voucher_id: int | None = None
    cash_deadline: int | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    reason: Reason | None = None
    payment: PaymentOut | None = None
    created_at: float
    updated_at: float


class VoucherGiftFields(Camel):
    from_: Address = Field(alias="from")
    to: Address
    voucher_id: Uint
    nonce: Uint
    deadline: Uint


class VoucherGiftIn(Camel):
    gift: VoucherGiftFields
    signature: Signature


class VoucherGiftOut(Camel):
    request_hash: str
    state: str
    voucher_id: int
    to: str
    tx_hash: str | None = None
    reason: Reason | None = None


class RedemptionFields(Camel):
    voucher_id: Uint
    holder: Address
    deadline: Uint


class RedemptionIn(Camel):
    """The holder's signed ``VoucherRedemption`` (the QR code the till scans)."""

    redemption: RedemptionFields
    signature: Signature

    @property
    def voucher_id(self) -> str:
        """What the operation log names as the target."""
        return str(self.redemption.voucher_id)


class QuoteOut(Camel):
    points_in: int = Field(description="points of payWith to sign for")
    cash_amount: int = Field(description="fen to pay in cash (0: points pay it all)")
    points_available: int | None = None
    cash_needed: int = Field(0, description='fen the points leave to pay ("¥20 more")')


class ProductOut(Camel):
    product_id: int
    merchant: str = Field(description="the merchant's points token")
    symbol: str
    name: str
    terms: str
    terms_hash: Bytes32
    price: int = Field(description="settlement units (fen)")
    face_value: int
    stock: int
    sold: int
    per_user_limit: int
    sale_ends_at: int
    valid_until: int
    valid_days: int
    breakage: int
    paused: bool
    redeemed: int = 0
    expired: int = 0
    quote: QuoteOut | None = None


class VoucherOut(Camel):
    voucher_id: int
    product_id: int
    name: str
    status: str = Field(description="active | redeemed | expired")
    expires_at: int
    merchant: str
    face_value: int
    owner: str


class ProductIn(Camel):
    """A new product (the merchant's ``listProduct``); ``name``/``terms`` stay off chain."""

    name: str = Field(min_length=1, max_length=200)
    terms: str = Field("", max_length=4000)
    price: Uint
    face_value: Uint
    stock: Uint
    per_user_limit: Uint = 0
    sale_ends_at: Uint = 0
    valid_until: Uint = 0
    valid_days: Uint = 0
    breakage: int = Field(0, ge=0, le=1)


class StockIn(Camel):
    amount: Uint


class ProductTx(Camel):
    tx_hash: str
    status: str
    product_id: int | None = None


class RedeemOut(Camel):
    state: str = Field(description="redeemed | pending")
    tx_hash: str
    voucher_id: int


class SalesPoint(Camel):
    day: str
    sales: int = Field(description="vouchers sold")
    sales_value: int = Field(description="fen of their prices")
    redemptions: int
    redemptions_value: int
    breakage: int = Field(description="vouchers expired unused")
    breakage_value: int


class SalesSeries(Camel):
    token: str
    period: str
    points: list[SalesPoint]
