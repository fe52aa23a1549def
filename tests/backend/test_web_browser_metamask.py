"""The page signs with MetaMask's own library: the test wallet injected into Chromium hands
the ``eth_signTypedData_v4`` parameters, as the page sent them (a JSON string), to
``@metamask/eth-sig-util``'s ``signTypedData`` V4 (what the MetaMask extension runs), not to
our eth_account. A swap settles, a gift is done and a cancellation lands: the page's typed
data is what MetaMask signs, numbers and types included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.chains import TestChain
from tongdui.services import Services

from .test_web_browser import TIMEOUT, connect, fill_swap, open_page, points_cell
from .wallet_libraries import WalletLibraries
from .web_support import CHROMIUM, CHROMIUM_ARGS, PHONE, SigningWallet, Stack, running_stack

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="run scripts/browser.sh to install Playwright"
)
expect = sync_api.expect
expect.set_options(timeout=TIMEOUT)


@dataclass
class MetaMaskLibraryWallet(SigningWallet):
    """Signs with ``@metamask/eth-sig-util`` in node, from the exact string the page sent."""

    libraries: WalletLibraries | None = None

    def sign(self, address: str, payload: str) -> str:
        assert address.lower() == self.address.lower(), "the page asked another account to sign"
        assert self.libraries is not None
        self.signed.append(json.loads(payload))
        return self.libraries.sign("metamask", self.key, payload)["signature"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run scripts/browser.sh (Debian's chromium package)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def libraries() -> Iterator[WalletLibraries]:
    running = WalletLibraries()
    yield running
    running.close()


@pytest.fixture
def stack(services: Services, clean_chain: TestChain) -> Iterator[Stack]:
    with running_stack(services, clean_chain) as running:
        yield running


def test_the_page_swaps_gifts_and_cancels_signed_by_metamasks_own_library(
    browser: Any, stack: Stack, libraries: WalletLibraries
) -> None:
    wallet = MetaMaskLibraryWallet(stack.chain.user_keys[0], libraries=libraries)
    friend = SigningWallet(stack.chain.user_keys[1]).address
    page = open_page(browser, stack, PHONE, wallet=wallet)
    connect(page)

    fill_swap(page, stack, "SKYM", "BEAN", 1000)
    page.get_by_test_id("swap-submit").click()
    expect(page.get_by_test_id("order").get_by_test_id("state")).to_have_text("Settled")
    expect(points_cell(page, "SKYM")).to_have_text("49,000")

    page.get_by_test_id("gift-token").select_option(stack.chain.tokens["SKYM"])
    page.get_by_test_id("gift-to").fill(friend)
    page.get_by_test_id("gift-amount").fill("250")
    page.get_by_test_id("gift-form").get_by_role("button").click()
    expect(page.get_by_test_id("gift-final").get_by_test_id("state")).to_have_text("Done")
    assert stack.points("SKYM", friend) == 250

    stack.relayer.pause()
    fill_swap(page, stack, "FRESH", "SKYM", 5000)
    page.get_by_test_id("swap-submit").click()
    orders = page.get_by_test_id("orders")
    expect(orders.get_by_test_id("cancel-order")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/cancellations")) as answer:
        orders.get_by_test_id("cancel-order").click()
    assert answer.value.status == 202
    stack.relayer.start()
    expect(orders.get_by_test_id("cancel-order")).to_have_count(0)
    assert stack.points("FRESH", wallet.address) == 20_000

    kinds = [document["primaryType"] for document in wallet.signed]
    assert kinds == ["SwapOrder", "TransferWithAuthorization", "SwapOrder", "CancelNonces"]
    for document in wallet.signed:  # what MetaMask parses: no number JavaScript could round
        numbers = [*document["domain"].values(), *document["message"].values()]
        assert not any(isinstance(value, int | float) for value in numbers), document
    assert not page.js_errors
