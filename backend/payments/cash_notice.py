"""The EIP-712 ``CashNotice`` a payment provider signs, under the VoucherBook's domain.

The Solidity side is ``VoucherBook.settleCash``: it recovers the signer of
``CashNotice(bytes32 purchaseId,bytes32 paymentId,uint256 amount,bool paid)`` under
``"Tongdui VoucherBook"`` v1 and requires ``PROVIDER_ROLE``. The same digest is what our notify
route recovers, so a notice we accept is one the contract accepts. (The typed-data twin is
meant to live in ``chain/voucher_eip712.py`` of the voucher branch; until it does, here.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from eth_utils import keccak

from ..chain.eip712 import Domain, digest, recover_signer, sign_digest, type_string, typed_data

VOUCHER_BOOK_DOMAIN_NAME = "Tongdui VoucherBook"
VOUCHER_BOOK_DOMAIN_VERSION = "1"

CASH_NOTICE_FIELDS: list[dict[str, str]] = [
    {"name": "purchaseId", "type": "bytes32"},
    {"name": "paymentId", "type": "bytes32"},
    {"name": "amount", "type": "uint256"},
    {"name": "paid", "type": "bool"},
]
CASH_NOTICE_TYPE = type_string("CashNotice", CASH_NOTICE_FIELDS)
CASH_NOTICE_TYPEHASH = keccak(CASH_NOTICE_TYPE.encode())


def voucher_book_domain(chain_id: int, voucher_book: str) -> Domain:
    """The VoucherBook's EIP-712 domain on ``chain_id``."""
    return Domain(chain_id, voucher_book, VOUCHER_BOOK_DOMAIN_NAME, VOUCHER_BOOK_DOMAIN_VERSION)


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

    def struct_hash(self) -> bytes:
        return keccak(
            encode(
                ["bytes32", "bytes32", "bytes32", "uint256", "bool"],
                [
                    CASH_NOTICE_TYPEHASH,
                    bytes32_of(self.purchase_id),
                    bytes32_of(self.payment_id),
                    self.amount,
                    self.paid,
                ],
            )
        )

    def digest(self, domain: Domain) -> bytes:
        return digest(domain, self.struct_hash())

    def as_tuple(self) -> tuple[bytes, bytes, int, bool]:
        """The notice as ``settleCash``'s calldata tuple."""
        return (
            bytes32_of(self.purchase_id),
            bytes32_of(self.payment_id),
            self.amount,
            self.paid,
        )

    def as_message(self) -> dict[str, Any]:
        return {
            "purchaseId": self.purchase_id,
            "paymentId": self.payment_id,
            "amount": self.amount,
            "paid": self.paid,
        }

    def typed_data(self, domain: Domain) -> dict[str, Any]:
        """The ``eth_signTypedData_v4`` document (for a provider signing with a wallet)."""
        return typed_data(domain, "CashNotice", CASH_NOTICE_FIELDS, self.as_message())

    def sign(self, private_key: str, domain: Domain) -> str:
        """The provider's 65-byte signature, hex."""
        return "0x" + sign_digest(private_key, self.digest(domain)).hex()

    def signer(self, domain: Domain, signature: str) -> str:
        """The checksummed address that signed this notice; ValueError if it is no signature."""
        raw = bytes.fromhex(signature.removeprefix("0x"))
        if len(raw) != 65:
            raise ValueError("a signature is 65 bytes")
        return recover_signer(self.digest(domain), raw)
