"""Helpers of the API tests: a real HTTP server (uvicorn in a thread on a free port), merchant
API keys for the demo merchants, and swaps settled by the relayer key."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import uvicorn
from eth_account import Account
from pydantic import SecretStr

from tests.chains import free_port
from tongdui.api.app import create_app
from tongdui.chain.client import Platform
from tongdui.chain.eip712 import Domain, SwapOrder, sign_order
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.db import transaction
from tongdui.merchant.keys import create_api_key, revoke_api_key
from tongdui.services import Services

RELAYER_KEY = ANVIL_KEYS[8]
MERCHANT_ADMIN_KEYS = {"SKYM": ANVIL_KEYS[4], "BEAN": ANVIL_KEYS[5], "FRESH": ANVIL_KEYS[6]}


@dataclass
class LiveApi:
    """A running API over ``services``, an httpx client pointed at it, and API keys by name."""

    url: str
    client: httpx.Client
    services: Services
    keys: dict[str, str] = field(default_factory=dict)

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name]}"}


@contextmanager
def live_api(services: Services) -> Iterator[LiveApi]:
    """Serves ``create_app(services)`` with uvicorn in a thread until the block ends."""
    services.settings.merchant_keys = [SecretStr(k) for k in MERCHANT_ADMIN_KEYS.values()]
    port = free_port()
    config = uvicorn.Config(
        create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            yield LiveApi(url, client, services)
    finally:
        server.should_exit = True
        thread.join(10)


def make_keys(services: Services, tokens: dict[str, str]) -> dict[str, str]:
    """Keys: every scope for each merchant; SKYM keys with one scope each; a revoked one."""
    keys: dict[str, str] = {}
    with transaction(services.sessions) as session:
        for symbol, token in tokens.items():
            keys[symbol] = create_api_key(session, token, "all", label=f"{symbol} test")
        for scope in ("issue", "redeem", "value", "funds", "read"):
            keys[f"SKYM:{scope}"] = create_api_key(session, tokens["SKYM"], [scope])
        keys["SKYM:revoked"] = create_api_key(session, tokens["SKYM"], "all")
        revoke_api_key(session, keys["SKYM:revoked"].split("_")[1])
    return keys


def settle_swaps(platform: Platform, user_key: str, pairs: list[tuple[str, str, int]]) -> list[str]:
    """Settles the user's signed orders (from token, to token, amount) in one batch, as the
    relayer does; returns the order owners' nonces as strings."""
    w3 = platform.w3
    domain = Domain(w3.eth.chain_id, platform.exchange.address)
    owner = Account.from_key(user_key).address
    deadline = w3.eth.get_block("latest")["timestamp"] + 3600
    orders, signatures = [], []
    for from_token, to_token, amount in pairs:
        order = SwapOrder(owner, from_token, to_token, amount, 1, secrets.randbits(64), deadline)
        orders.append(order.as_tuple())
        signatures.append(sign_order(user_key, domain, order))
    relayer = Signer(w3, RELAYER_KEY)
    wait_for(w3, [relayer.transact(platform.exchange.functions.settle(orders, signatures))])
    return [str(o[5]) for o in orders]
