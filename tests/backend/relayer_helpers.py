"""Helpers of the relayer tests: signed orders, an API client, a real HTTP server, draining."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from eth_account import Account
from fastapi.testclient import TestClient

from tests.chains import TestChain, free_port
from tongdui.api.app import create_app
from tongdui.chain.eip712 import Domain, SwapOrder, sign_order
from tongdui.core.config import ANVIL_KEYS
from tongdui.relayer import Relayer
from tongdui.relayer.models import PENDING_STATES, RelayerOrder
from tongdui.services import Services


def address(key: str) -> str:
    return str(Account.from_key(key).address)


def domain_of(services: Services) -> Domain:
    return Domain(services.chain_id, services.platform.exchange.address)


def order_body(
    chain: TestChain,
    services: Services,
    user: int = 0,
    src: str = "SKYM",
    dst: str = "BEAN",
    amount: int = 1_000,
    key: str | None = None,
    sign_with: str | None = None,
    domain: Domain | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A signed order as JSON; ``fields`` override any order field before signing."""
    key = key or chain.user_keys[user]
    values: dict[str, Any] = {
        "owner": address(key),
        "from_token": chain.tokens[src],
        "to_token": chain.tokens[dst],
        "amount_in": amount,
        "min_amount_out": 1,
        "nonce": fields.pop("nonce", None) or int.from_bytes(Account.create().key[:8], "big"),
        "deadline": int(time.time()) + 600,
        "counter": 0,
    }
    values.update(fields)
    order = SwapOrder(**values)
    signature = sign_order(sign_with or key, domain or domain_of(services), order)
    body = {k: str(v) if isinstance(v, int) else v for k, v in order.as_message().items()}
    return {**body, "signature": "0x" + signature.hex()}


def make_relayer(services: Services) -> Relayer:
    """A relayer with anvil's relayer keys 8 and 9 (the test settings name an RPC URL, so
    the embedded-chain default keys do not apply)."""
    return Relayer(services, keys=[ANVIL_KEYS[8], ANVIL_KEYS[9]])


def api(services: Services) -> TestClient:
    return TestClient(create_app(services))


def pending_count(services: Services) -> int:
    with services.sessions() as session:
        return session.query(RelayerOrder).filter(RelayerOrder.state.in_(PENDING_STATES)).count()


def drain(relayer: Relayer, timeout: float = 30.0) -> None:
    """Runs relayer passes until no order is pending (a block period needs several)."""
    deadline = time.monotonic() + timeout
    while pending_count(relayer.services) or relayer_busy(relayer):
        if time.monotonic() > deadline:
            raise TimeoutError("orders still pending")
        relayer.run_once()
        time.sleep(0.02)


def relayer_busy(relayer: Relayer) -> bool:
    from tongdui.relayer.models import REQ_RECEIVED, REQ_SUBMITTED, RelayerRequest

    with relayer.services.sessions() as session:
        return bool(
            session.query(RelayerRequest)
            .filter(RelayerRequest.state.in_((REQ_RECEIVED, REQ_SUBMITTED)))
            .count()
        )


@contextmanager
def http_server(services: Services) -> Iterator[str]:
    """The API on a real uvicorn server on a free port, in a thread."""
    port = free_port()
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def running(relayer: Relayer) -> Iterator[Relayer]:
    """The relayer loop in a thread, stopped on exit."""
    stop = threading.Event()
    thread = threading.Thread(target=relayer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield relayer
    finally:
        stop.set()
        thread.join(10)


def get(url: str, path: str) -> dict[str, Any]:
    result: dict[str, Any] = httpx.get(url + path).json()
    return result


# ── chain actions the tests need (signed locally, as any client would) ─────────────────────


def withdraw_cover(chain: TestChain, symbol: str, leave: int) -> None:
    """The merchant takes its settlement funds out, leaving ``leave`` units."""
    from tongdui.chain.transactions import Signer, wait_for
    from tongdui.demo import DEMO_MERCHANTS

    merchant = next(m for m in DEMO_MERCHANTS if m.symbol == symbol)
    admin = Signer(chain.w3, merchant.admin_key)
    token = chain.tokens[symbol]
    balance = chain.platform.exchange.functions.market(token).call()[5]
    wait_for(
        chain.w3,
        [
            admin.transact(
                chain.platform.exchange.functions.withdraw(token, admin.address, balance - leave)
            )
        ],
    )


def set_user_limit(chain: TestChain, max_value: int, window: int) -> None:
    """Governance (2 of 3 members) sets the per-user swap limit."""
    exchange = chain.platform.exchange
    governance_vote(chain, exchange, "setUserLimit", [max_value, window])


def set_issuance_cap(chain: TestChain, symbol: str, cap: int) -> None:
    """Governance (2 of 3 members) sets a merchant's cap on its outstanding points."""
    registry = chain.platform.registry
    merchant_id = registry.functions.merchantIdOf(chain.tokens[symbol]).call()
    governance_vote(chain, registry, "setIssuanceCap", [merchant_id, cap])


def governance_vote(chain: TestChain, contract: Any, function: str, args: list[Any]) -> None:
    """Members 1 and 2 of the dev consortium propose, approve and execute one call."""
    from tongdui.chain.transactions import Signer, wait_for

    members = [Signer(chain.w3, key) for key in ANVIL_KEYS[1:3]]
    governance = chain.platform.governance
    call = (contract.address, 0, contract.encode_abi(function, args=args))
    proposal = governance.functions.proposalCount().call() + 1
    wait_for(chain.w3, [members[0].transact(governance.functions.propose([call], "limit"))])
    wait_for(chain.w3, [members[1].transact(governance.functions.approve(proposal))])
    wait_for(chain.w3, [members[0].transact(governance.functions.execute(proposal))])


def fund(chain: TestChain, key: str) -> None:
    """Gives a demo user ether so it can send its own transactions (tests only)."""
    from tongdui.chain.transactions import Signer, wait_for

    funder = Signer(chain.w3, ANVIL_KEYS[0])
    raw, tx_hash, _ = funder.sign({"to": address(key), "value": 10**18, "gas": 21_000})
    chain.w3.eth.send_raw_transaction(raw)
    wait_for(chain.w3, [tx_hash])


def user_sends(chain: TestChain, key: str, call: Any) -> None:
    from tongdui.chain.transactions import Signer, wait_for

    fund(chain, key)
    wait_for(chain.w3, [Signer(chain.w3, key).transact(call)])
