"""A merchant's voucher writes, signed with its operator key (as ``merchant.actions``): list a
product, pause or resume it, add stock, and redeem a voucher at the till.

A product's name and terms stay off chain (``voucher_product_terms``); the chain gets
``termsHash = keccak256(canonical JSON of {name, terms})``, so anyone holding the text can
check it and nothing personal is ever on chain. Every call is estimated before it is sent
(``Signer.transact``), so a call the contract would refuse fails with its decoded code.
"""

from __future__ import annotations

import time

from hexbytes import HexBytes
from sqlalchemy import select
from web3.exceptions import TimeExhausted, TransactionNotFound

from ..chain.logs import event_specs, topic_in
from ..chain.signature_rules import canonical_signature
from ..chain.voucher_eip712 import VoucherRedemption, terms_hash
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..core.errors import ContractRevertError
from ..merchant.actions import MerchantActions
from ..merchant.operators import MerchantOperators, sent
from ..relayer.intake_checks import refuse
from ..services import Services
from . import codes
from .book import book, product, voucher
from .models import VoucherProductTerms
from .schemas import ProductIn


def check_terms(body: ProductIn) -> None:
    if (body.valid_until == 0) == (body.valid_days == 0):
        raise refuse(codes.INVALID_TERMS, "Give exactly one of validUntil and validDays.")
    if body.price == 0 or body.stock == 0:
        raise refuse(codes.INVALID_TERMS, "A product needs a price and a stock above zero.")


class VoucherActions:
    """The voucher writes of one merchant (``token``), with that market's admin key."""

    def __init__(self, services: Services, operators: MerchantOperators, token: str) -> None:
        self.services = services
        self.operators = operators
        self.token = token
        self.book = book(services.platform)
        self.admin = MerchantActions(services.platform, operators, token).admin()

    def _send(self, call: object) -> str:
        return self.operators.send(self.admin, lambda s: sent(s.transact(call)))  # type: ignore[arg-type]

    def list_product(self, body: ProductIn) -> str:
        check_terms(body)
        digest = terms_hash(body.name, body.terms)
        with transaction(self.services.sessions) as session:
            known = session.scalar(
                select(VoucherProductTerms).where(
                    VoucherProductTerms.token == self.token,
                    VoucherProductTerms.terms_hash == digest,
                )
            )
            if known is None:
                session.add(
                    VoucherProductTerms(
                        token=self.token,
                        terms_hash=digest,
                        name=body.name,
                        terms=body.terms,
                        created_at=time.time(),
                    )
                )
        terms = (
            self.token,
            body.price,
            body.face_value,
            body.stock,
            body.per_user_limit,
            body.sale_ends_at,
            body.valid_until,
            body.valid_days,
            body.breakage,
            HexBytes(digest),
        )
        return self._send(self.book.functions.listProduct(terms))

    def _own(self, product_id: int) -> None:
        view = product(self.services.platform, product_id)
        if not view.listed or view.token != self.token:
            raise refuse(
                codes.UNKNOWN_PRODUCT,
                "This merchant has no such voucher product.",
                product_id=product_id,
            )

    def set_paused(self, product_id: int, paused: bool) -> str:
        self._own(product_id)
        return self._send(self.book.functions.setProductPaused(product_id, paused))

    def add_stock(self, product_id: int, amount: int) -> str:
        self._own(product_id)
        return self._send(self.book.functions.addStock(product_id, amount))

    def redeem(self, redemption: VoucherRedemption, signature: str) -> str:
        """Checks the holder's consent like the contract, then sends ``redeem``."""
        view = voucher(self.services.platform, redemption.voucher_id)
        if view.status == "none":
            raise refuse(codes.NOT_FOUND, codes.NOT_FOUND.message)
        if product(self.services.platform, view.product_id).token != self.token:
            raise refuse(codes.WRONG_MERCHANT, codes.WRONG_MERCHANT.message)
        if view.status != "active":
            raise refuse(codes.NOT_ACTIVE, codes.NOT_ACTIVE.message, voucher_status=view.status)
        if view.expires_at and view.expires_at < time.time():
            raise refuse(codes.HAS_EXPIRED, codes.HAS_EXPIRED.message, expires_at=view.expires_at)
        if redemption.deadline < time.time():
            raise refuse(codes.REDEMPTION_EXPIRED, codes.REDEMPTION_EXPIRED.message)
        if view.owner != redemption.holder:
            raise refuse(codes.NOT_HOLDER, codes.NOT_HOLDER.message, holder=view.owner)
        call = self.book.functions.redeem(redemption.as_tuple(), canonical_signature(signature))
        return self._send(call)


def listed_product_id(services: Services, tx_hash: str, timeout: float) -> int | None:
    """The ``productId`` a ``listProduct`` transaction's ``ProductListed`` gave (None while
    pending); ContractRevertError if it reverted."""
    w3 = services.w3
    try:
        found = w3.eth.wait_for_transaction_receipt(
            HexBytes(tx_hash), timeout=timeout, poll_latency=0.1
        )
    except (TimeExhausted, TransactionNotFound):
        return None
    if found["status"] != 1:
        raise ContractRevertError(
            f"transaction {tx_hash} reverted", code=ErrorCode.TRANSACTION_REVERTED, tx=tx_hash
        )
    contract = book(services.platform)
    topic = topic_in(contract.abi, "ProductListed")
    for log in found["logs"]:
        topics = ["0x" + bytes(t).hex() for t in log["topics"]]
        if topics and topics[0] == topic and log["address"] == contract.address:
            args = event_specs()[topic].values(topics, "0x" + bytes(log["data"]).hex())
            return int(args["productId"], 16)  # indexed: the raw word
    return None
