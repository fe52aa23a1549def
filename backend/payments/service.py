"""One handle on payments for a process: its settings, the VoucherBook, the provider role
cache and the provider client (built lazily: a chain without a VoucherBook still serves
everything else)."""

from __future__ import annotations

import threading
from functools import cached_property

from web3.contract import Contract

from ..chain.eip712 import Domain
from ..services import Services
from .cash_notice import voucher_book_domain
from .config import PaymentSettings
from .provider_client import ProviderClient
from .voucher_book import ProviderRoles, voucher_book


class Payments:
    def __init__(self, services: Services, settings: PaymentSettings | None = None) -> None:
        self.services = services
        self.settings = settings or PaymentSettings.from_env(services.settings)

    @cached_property
    def book(self) -> Contract:
        return voucher_book(self.services)

    @cached_property
    def domain(self) -> Domain:
        return voucher_book_domain(self.services.chain_id, self.book.address)

    @cached_property
    def roles(self) -> ProviderRoles:
        return ProviderRoles(self.services.w3, self.book)

    @property
    def provider(self) -> ProviderClient | None:
        url = self.settings.provider_url
        return ProviderClient(url) if url else None


_LOCK = threading.Lock()


def payments_of(holder: object, services: Services) -> Payments:
    """The ``Payments`` kept on ``holder`` (the API app's state), made on first use."""
    with _LOCK:
        found = getattr(holder, "payments", None)
        if not isinstance(found, Payments):
            found = Payments(services)
            setattr(holder, "payments", found)  # noqa: B010 - a plain attribute of app.state
        return found
