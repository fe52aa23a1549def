"""The VoucherBook as payments reads it: the contract handle, its domain, and who holds
``PROVIDER_ROLE`` (read on chain, remembered for one block).

Why remembered per block: every notification asks "is this signer a provider?"; a provider
retrying a notice, or many purchases paid at once, would otherwise call ``hasRole`` each
time, and a grant or revocation can only change the answer in a new block.
"""

from __future__ import annotations

import threading
from typing import Any

from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.contract import Contract

from ..chain.artifacts import abi
from ..chain.eip712 import Domain
from ..services import Services
from .cash_notice import voucher_book_domain
from .errors import PaymentsUnavailableError

PROVIDER_ROLE = keccak(b"PROVIDER_ROLE")
ADDRESS_NAMES = ("VoucherBook", "voucherBook")


def voucher_book(services: Services) -> Contract:
    """The deployed VoucherBook; PaymentsUnavailableError on a chain without one."""
    platform: Any = services.platform
    try:
        book = getattr(platform, "voucher_book", None)
    except (KeyError, LookupError, FileNotFoundError):
        book = None
    if book is not None:
        return book  # type: ignore[no-any-return]
    addresses = services.deployment.addresses
    address = next((addresses[name] for name in ADDRESS_NAMES if name in addresses), None)
    if address is None:
        raise PaymentsUnavailableError("this chain's deployment has no VoucherBook")
    try:
        entries = abi("VoucherBook")
    except FileNotFoundError as error:
        raise PaymentsUnavailableError("the VoucherBook artifact is missing") from error
    return services.w3.eth.contract(address=to_checksum_address(address), abi=entries)


def domain_of(services: Services) -> Domain:
    return voucher_book_domain(services.chain_id, voucher_book(services).address)


class ProviderRoles:
    """``PROVIDER_ROLE`` holders on the VoucherBook, asked at most once per block."""

    def __init__(self, w3: Web3, book: Contract) -> None:
        self.w3 = w3
        self.book = book
        self._lock = threading.Lock()
        self._block = -1
        self._known: dict[str, bool] = {}

    def is_provider(self, address: str) -> bool:
        block = self.w3.eth.block_number
        key = address.lower()
        with self._lock:
            if block != self._block:
                self._block, self._known = block, {}
            if key in self._known:
                return self._known[key]
        held = bool(
            self.book.functions.hasRole(PROVIDER_ROLE, to_checksum_address(address)).call(
                block_identifier=block
            )
        )
        with self._lock:
            if self._block == block:
                self._known[key] = held
        return held


def chain_now(w3: Web3) -> int:
    """The latest block's timestamp: the clock the contract's cash deadline is read on."""
    return int(w3.eth.get_block("latest")["timestamp"])
