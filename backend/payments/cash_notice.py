"""The provider's ``CashNotice`` as payments handles it: hex ids (as in JSON bodies), with
signing and signer recovery on top of the typed-data twin in ``chain/voucher_eip712.py``.

The Solidity side is ``VoucherBook.settleCash``: it recovers the signer of
``CashNotice(bytes32 purchaseId,bytes32 paymentId,uint256 amount,bool paid)`` under
``"Tongdui VoucherBook"`` v1 and requires ``PROVIDER_ROLE``. Our notify route recovers the
same digest, so a notice we accept is one the contract accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..chain import voucher_eip712
from ..chain.eip712 import Domain, recover_signer, sign_digest

CASH_NOTICE_FIELDS = voucher_eip712.CASH_NOTICE_FIELDS


def voucher_book_domain(chain_id: int, voucher_book: str) -> Domain:
    """The VoucherBook's EIP-712 domain on ``chain_id``."""
    return voucher_eip712.voucher_domain(chain_id, voucher_book)


def bytes32_of(value: str) -> bytes:
    """A ``0x``-prefixed 32-byte hex string as bytes; ValueError otherwise."""
    raw = bytes.fromhex(value[2:] if value.startswith(("0x", "0X")) else "!")
    if len(raw) != 32:
        raise ValueError("not 32 bytes")
    return raw


@dataclass(frozen=True, slots=True)
class CashNotice:
    """The provider's word that ``amount`` fen of ``payment_id`` was (or was not) paid."""

    purchase_id: str  # 0x + 64 hex
    payment_id: str  # 0x + 64 hex
    amount: int
    paid: bool

    def twin(self) -> voucher_eip712.CashNotice:
        return voucher_eip712.CashNotice(
            bytes32_of(self.purchase_id), bytes32_of(self.payment_id), self.amount, self.paid
        )

    def digest(self, domain: Domain) -> bytes:
        return voucher_eip712.voucher_digest(domain, self.twin())

    def as_tuple(self) -> tuple[bytes, bytes, int, bool]:
        """The notice as ``settleCash``'s calldata tuple."""
        return self.twin().as_tuple()

    def as_message(self) -> dict[str, Any]:
        return {
            "purchaseId": self.purchase_id,
            "paymentId": self.payment_id,
            "amount": self.amount,
            "paid": self.paid,
        }

    def typed_data(self, domain: Domain) -> dict[str, Any]:
        """The ``eth_signTypedData_v4`` document (for a provider signing with a wallet)."""
        return voucher_eip712.voucher_typed_data(domain, self.twin())

    def sign(self, private_key: str, domain: Domain) -> str:
        """The provider's 65-byte signature, hex."""
        return "0x" + sign_digest(private_key, self.digest(domain)).hex()

    def signer(self, domain: Domain, signature: str) -> str:
        """The checksummed address that signed this notice; ValueError if it is no signature."""
        raw = bytes.fromhex(signature.removeprefix("0x"))
        if len(raw) != 65:
            raise ValueError("a signature is 65 bytes")
        return recover_signer(self.digest(domain), raw)
