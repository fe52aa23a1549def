"""Helpers of the browser tests: the whole service on a real port, and a Chromium page with a
test wallet injected.

Extension wallets cannot be installed in headless Chromium, so ``window.ethereum`` is a small
EIP-1193 provider added before any page script runs. It answers ``eth_requestAccounts``,
``eth_accounts`` and ``eth_chainId`` itself and hands ``eth_signTypedData_v4`` to Python, which
signs the JSON document with a test key through eth_account: the same call, with the same
parameters, that MetaMask answers. Chromium is Debian's (``scripts/browser.sh``); Playwright
only drives it and never downloads a browser of its own.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from eth_account import Account
from eth_account.messages import encode_typed_data
from pydantic import SecretStr

from tests.chains import TestChain, free_port
from tongdui.api.app import create_app
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.db import transaction
from tongdui.demo import DEMO_MERCHANTS
from tongdui.merchant.keys import create_api_key
from tongdui.relayer import Relayer
from tongdui.runner import make_indexer
from tongdui.services import Services

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MERCHANT_ADMIN_KEYS = {m.symbol: m.admin_key for m in DEMO_MERCHANTS}


class _Loop:
    """A component's ``run(stop)`` in a thread that a test can pause and resume."""

    def __init__(self, name: str, component: Any) -> None:
        self.name, self.component = name, component
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self.component.run, args=(self.stop,), name=self.name, daemon=True
        )
        self.thread.start()

    def pause(self) -> None:
        self.stop.set()
        if self.thread:
            self.thread.join(30)
            self.thread = None


@dataclass
class Stack:
    """API + indexer + relayer over ``services``, as ``tongdui up`` runs them."""

    url: str
    services: Services
    chain: TestChain
    relayer: _Loop
    indexer: _Loop
    api_keys: dict[str, str] = field(default_factory=dict)

    def withdraw_cover(self, symbol: str, leave: int) -> None:
        """The merchant takes its settlement funds out, leaving ``leave`` units."""
        admin = Signer(self.chain.w3, MERCHANT_ADMIN_KEYS[symbol])
        token = self.chain.tokens[symbol]
        exchange = self.chain.platform.exchange.functions
        balance = exchange.market(token).call()[5]
        wait_for(
            self.chain.w3,
            [admin.transact(exchange.withdraw(token, admin.address, balance - leave))],
        )

    def points(self, symbol: str, holder: str) -> int:
        token = self.chain.platform.points_token(self.chain.tokens[symbol])
        return int(token.functions.balanceOf(holder).call())


@contextmanager
def running_stack(services: Services, chain: TestChain) -> Iterator[Stack]:
    services.settings.merchant_keys = [SecretStr(k) for k in MERCHANT_ADMIN_KEYS.values()]
    with transaction(services.sessions) as session:
        keys = {
            s: create_api_key(session, t, "all", label="web test") for s, t in chain.tokens.items()
        }
    indexer = _Loop("indexer", make_indexer(services))
    relayer = _Loop("relayer", Relayer(services, keys=[ANVIL_KEYS[8], ANVIL_KEYS[9]]))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, name="api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the API did not start"
        time.sleep(0.01)
    indexer.start()
    relayer.start()
    try:
        yield Stack(f"http://127.0.0.1:{port}", services, chain, relayer, indexer, keys)
    finally:
        relayer.pause()
        indexer.pause()
        server.should_exit = True
        thread.join(10)


# ─── the test wallet ──────────────────────────────────────────────────────────────────────

PROVIDER_JS = """
(() => {
  const listeners = {};
  const config = %(config)s;
  window.ethereum = {
    isTongduiSigningWallet: true,
    on(event, fn) { (listeners[event] ||= []).push(fn); },
    removeListener(event, fn) {
      listeners[event] = (listeners[event] || []).filter((f) => f !== fn);
    },
    async request({ method, params }) {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [config.address];
        case "eth_chainId":
          return "0x" + config.chainId.toString(16);
        case "eth_signTypedData_v4":
          return await window.tongduiTestSign(params[0], params[1]);
        default:
          throw Object.assign(new Error("unsupported method " + method), { code: 4200 });
      }
    },
  };
})();
"""


@dataclass
class SigningWallet:
    """Signs what the page asks, and remembers every typed-data document it signed."""

    key: str
    signed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return str(Account.from_key(self.key).address)

    def sign(self, address: str, payload: str) -> str:
        assert address.lower() == self.address.lower(), "the page asked another account to sign"
        document = json.loads(payload)  # a real wallet receives a JSON string, so do we
        self.signed.append(document)
        signed = Account.sign_message(encode_typed_data(full_message=document), self.key)
        return "0x" + bytes(signed.signature).hex()


def install_wallet(page: Any, wallet: SigningWallet, chain_id: int) -> None:
    page.expose_function("tongduiTestSign", wallet.sign)
    config = json.dumps({"address": wallet.address, "chainId": chain_id})
    page.add_init_script(PROVIDER_JS % {"config": config})


def shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # a sticky header otherwise lands mid-picture
    page.screenshot(path=str(path), full_page=True)
    return path
