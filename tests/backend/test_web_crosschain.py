"""A cross-chain swap from the wallet page, end to end in Chromium: two anvils with 1 s
blocks, the API over chain A with the bridge, the coordinator's loop, a test wallet signing
the HTLC's Lock and the token's permit. Both legs' status is shown live until the swap ends
claimed on both chains; the user's points moved from A, the bridge member's on B to the user.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.chains import free_port
from tests.crosschain_support import TwoChains, two_chains
from tongdui.api.app import create_app
from tongdui.core.config import Settings
from tongdui.services import build_services

from .web_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, SigningWallet, install_wallet, shot

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="run scripts/browser.sh to install Playwright"
)
expect = sync_api.expect
TIMEOUT = 60_000  # ms: four transactions, each a block and a confirmation on 1 s blocks
AMOUNT = 1_000
expect.set_options(timeout=TIMEOUT)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, TwoChains]]:
    with two_chains(tmp_path / "xc", block_time=1, confirmations=1) as chains:
        services = build_services(Settings(data_dir=chains.data_dir, rpc_url=chains.a.url))
        crosschain, coordinator = chains.build()
        app = create_app(services)
        app.state.crosschain = crosschain
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        stop = threading.Event()
        threads = [
            threading.Thread(target=server.run, daemon=True),
            threading.Thread(target=coordinator.run, args=(stop,), daemon=True),
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.01)
        try:
            yield f"http://127.0.0.1:{port}", chains
        finally:
            stop.set()
            server.should_exit = True
            for thread in threads:
                thread.join(timeout=10)
            services.engine.dispose()


def test_a_user_swaps_points_across_chains_from_the_wallet_page(
    served: tuple[str, TwoChains],
) -> None:
    url, chains = served
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run scripts/browser.sh (Debian's chromium package)")
    wallet = SigningWallet(chains.users[0])
    before = chains.balances()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=DESKTOP, locale="en-US")
        context.add_init_script("localStorage.setItem('tongdui.lang', 'en')")
        page: Any = context.new_page()
        page.set_default_timeout(TIMEOUT)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        install_wallet(page, wallet, chains.a.deployment.chain_id)
        page.goto(url + "/")
        page.get_by_test_id("connect").click()
        page.get_by_test_id("xc-amount").fill(str(AMOUNT))
        page.get_by_test_id("xc-quote").click()
        expect(page.get_by_test_id("xc-quote-box")).to_contain_text("1,000 SKYM buys 995 SAKU")
        page.get_by_test_id("xc-sign").click()
        expect(page.get_by_test_id("xc-leg-A-state")).to_have_text("locked")
        shot(page, "crosschain-1-locked-on-a")
        expect(page.get_by_test_id("xc-final")).to_contain_text("Swap complete")
        expect(page.get_by_test_id("xc-leg-A-state")).to_have_text("claimed")
        expect(page.get_by_test_id("xc-leg-B-state")).to_have_text("claimed")
        shot(page, "crosschain-2-complete")
        hashlock = chains.swaps()[0].hashlock
        page.goto(url + "/#/auditor")  # the auditor sees both legs and the shared hashlock
        row = page.get_by_test_id("audit-xc-swap")
        expect(row).to_have_count(1)
        expect(row.locator("[title]").first).to_have_attribute("title", hashlock)
        kinds = [document["primaryType"] for document in wallet.signed]
        secret_kept = page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('tongdui.xc.'))"
        )
        browser.close()
    assert kinds == ["Lock", "Permit"]
    assert errors == []
    after = chains.balances()
    user = wallet.address
    assert after[f"A:{user}"] == before[f"A:{user}"] - AMOUNT
    assert after[f"B:{user}"] == before[f"B:{user}"] + 995
    assert secret_kept  # the store is there, emptied once the swap ended
    swap = chains.swaps()[0]
    assert swap.state == "claimed_a"
