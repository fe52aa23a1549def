"""Fixtures shared by the contract tests: a deployed platform with the demo consortium.

Brownie's pytest plugin starts anvil (brownie-config.yaml: paris) and reverts the chain after
every test (`fn_isolation`), so each test starts from the same seeded state. The anvil gets a
free port of its own (``_use_a_free_port``), so two runs on one machine never share a chain.
"""

from __future__ import annotations

import gc
import itertools
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from brownie import accounts, chain

from scripts.deploy import deploy_development
from scripts.platform import Platform, govern
from scripts.seed import seed_demo
from tongdui.chain.eip712 import Domain, SwapOrder, sign_order

_nonces = itertools.count(1)


def _use_a_free_port() -> int:
    """Point brownie's `anvil` network at a free port before its plugin connects.

    Why here: brownie connects in its ``pytest_sessionstart`` wrapper, after conftests are
    imported, and builds the URL from ``cmd_settings.port``; brownie-config.yaml's fixed port
    would make two concurrent runs attach to one chain and revert each other's state.
    Imported here, not at the top: brownie hashes the sources of a conftest's top-level
    imports, and ``brownie._config`` is a compiled module it cannot read.
    """
    from brownie._config import CONFIG

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    CONFIG.networks["anvil"]["cmd_settings"]["port"] = port
    return port


ANVIL_PORT = _use_a_free_port()


@pytest.fixture(scope="module")
def platform(module_isolation: Any) -> Platform:
    """The platform deployed with the development roles (scripts/deploy.py): the backend's
    own deployment (tongdui.chain.deploy) from the committed artifacts, as brownie contracts."""
    return deploy_development()


@pytest.fixture(scope="module")
def users(platform: Platform) -> list[Any]:
    """The demo consortium seeded by the backend's seed (tongdui.demo): 3 merchants (SKYM 10
    fen, BEAN 100, FRESH 1), funded settlement accounts, three users holding points."""
    return seed_demo(platform)


@pytest.fixture(autouse=True)
def isolation(fn_isolation: Any) -> None:
    """Every test starts from the module's state."""


@pytest.fixture
def relayer() -> Any:
    return accounts[8]


@pytest.fixture
def settler() -> Any:
    return accounts[7]


@pytest.fixture
def platform_payee() -> Any:
    return accounts[9]


@pytest.fixture
def admins() -> dict[str, Any]:
    """Merchant operator keys by symbol."""
    return {"SKYM": accounts[4], "BEAN": accounts[5], "FRESH": accounts[6]}


@pytest.fixture
def tokens(platform: Platform, users: list[Any]) -> dict[str, Any]:
    """Points tokens by symbol (after seeding)."""
    return platform.merchants


@pytest.fixture
def domain(platform: Platform) -> Domain:
    return Domain(chain_id=chain.id, verifying_contract=platform.exchange.address)


@pytest.fixture
def make_order(tokens: dict[str, Any]) -> Callable[..., SwapOrder]:
    """Builds a SwapOrder: make_order(user, "SKYM", "BEAN", 1000, min_out=0, …)."""

    def build(
        user: Any,
        source: str,
        target: str,
        amount_in: int,
        min_out: int = 0,
        nonce: int | None = None,
        deadline: int | None = None,
        counter: int = 0,
    ) -> SwapOrder:
        return SwapOrder(
            owner=user.address,
            from_token=tokens[source].address,
            to_token=tokens[target].address,
            amount_in=amount_in,
            min_amount_out=min_out,
            nonce=next(_nonces) if nonce is None else nonce,
            deadline=chain.time() + 3600 if deadline is None else deadline,
            counter=counter,
        )

    return build


@pytest.fixture
def sign(domain: Domain) -> Callable[[Any, SwapOrder], bytes]:
    """Signs an order with the user's key, as a wallet's eth_signTypedData_v4 would."""

    def signer(user: Any, order: SwapOrder) -> bytes:
        return sign_order(user.private_key, domain, order)

    return signer


@pytest.fixture
def vote(platform: Platform) -> Callable[..., Any]:
    """Runs a consortium vote: vote((contract, "fn", (args…)), …, text="…")."""

    def run(*calls: tuple[Any, str, tuple[Any, ...]], text: str = "test proposal") -> Any:
        return govern(platform, list(calls), text)

    return run


@pytest.fixture(scope="session", autouse=True)
def cheap_garbage_collection() -> Iterator[None]:
    """brownie's ``chain.revert`` (every test's ``fn_isolation``) runs a full ``gc.collect()``
    over the whole heap (brownie, web3, the compiled project, hypothesis): measured ~0.45 s a
    test, most of a contract test's time. ``gc.freeze()`` moves what is alive now into a
    generation collections skip, so each revert scans only the objects made since; nothing
    alive is lost and the garbage of the tests is still collected."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.fixture(scope="session", autouse=True)
def patient_transaction_lookup() -> Iterator[None]:
    """brownie 1.22 calls a mined transaction "dropped without known replacement" when the
    sender's nonce has moved but anvil's first `eth_getTransactionByHash` answers not-found
    (seen under CPU load, e.g. CI with other suites running). Look again for a few seconds
    before letting brownie conclude it was dropped; a truly dropped transaction still is."""
    from brownie.network.transaction import web3 as brownie_web3
    from web3.exceptions import TransactionNotFound

    eth = brownie_web3.eth
    original = eth.get_transaction

    def get_transaction(tx_hash: Any) -> Any:
        for _ in range(50):
            try:
                return original(tx_hash)
            except TransactionNotFound:
                time.sleep(0.1)
        return original(tx_hash)

    eth.get_transaction = get_transaction  # type: ignore[method-assign]
    try:
        yield
    finally:
        eth.get_transaction = original  # type: ignore[method-assign]


# ─── Hashed timelocks (issue 17) ────────────────────────────────────────────────────────────

HTLC_MIN_LOCK = 60  # seconds from a lock to its timelock, at least
HTLC_MAX_LOCK = 86_400  # ... and at most
HTLC_MARGIN = 3_600  # a counterpart lock expires at least this long after


@pytest.fixture(scope="module")
def htlc(platform: Platform, users: list[Any]) -> Any:
    """A HashedTimelock on the platform's merchant registry (test durations above)."""
    from brownie import HashedTimelock

    return HashedTimelock.deploy(
        platform.registry, HTLC_MIN_LOCK, HTLC_MAX_LOCK, HTLC_MARGIN, {"from": accounts[0]}
    )


@pytest.fixture(scope="module")
def bridge(platform: Platform, users: list[Any]) -> Any:
    """The bridge member's key on this chain, holding 10 000 BEAN points of inventory."""
    member = accounts.add("0x" + bytes(32 * [0x4D]).hex())
    platform.merchants["BEAN"].issue(member, 10_000, {"from": accounts[5]})
    return member


# ─── Vouchers (issue 16) ────────────────────────────────────────────────────────────────────


@pytest.fixture
def book(platform: Platform, users: list[Any]) -> Any:
    """The VoucherBook of the deployment (after seeding: the demo merchants are listed)."""
    return platform.voucher_book


@pytest.fixture
def provider() -> Any:
    """The demo payment provider's key: PROVIDER_ROLE on the VoucherBook from deployment."""
    from tongdui.core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY

    return accounts.add(DEMO_PAYMENT_PROVIDER_KEY)


@pytest.fixture
def list_product(book: Any, tokens: dict[str, Any], admins: dict[str, Any]) -> Callable[..., int]:
    """Lists a product of merchant ``symbol`` (default BEAN: a ¥30 coffee, 10 in stock, valid
    30 days) by its operator key; returns the product id. Keywords override `Terms`."""
    from tests.contracts.voucher_helpers import Terms

    def run(symbol: str = "BEAN", **overrides: Any) -> int:
        terms = Terms(token=tokens[symbol].address, **overrides)
        tx = book.listProduct(terms.encode(), {"from": admins[symbol]})
        return int(tx.events["ProductListed"]["productId"])

    return run


@pytest.fixture
def make_purchase(tokens: dict[str, Any]) -> Callable[..., Any]:
    """Builds a Purchase: make_purchase(user, product_id, "SKYM", 302, cash=0, …)."""
    from tests.contracts.voucher_helpers import Purchase, next_nonce

    def build(
        user: Any,
        product_id: int,
        pay: str = "SKYM",
        points_in: int = 302,
        cash: int = 0,
        nonce: int | None = None,
        deadline: int | None = None,
    ) -> Any:
        return Purchase(
            owner=user.address,
            product_id=product_id,
            pay_token=tokens[pay].address,
            points_in=points_in,
            cash_amount=cash,
            nonce=next_nonce() if nonce is None else nonce,
            deadline=chain.time() + 3600 if deadline is None else deadline,
        )

    return build


@pytest.fixture
def buy(book: Any, relayer: Any, make_purchase: Callable[..., Any]) -> Callable[..., Any]:
    """Signs a purchase with the user's key and submits it alone in a batch; returns the
    receipt: buy(user, product_id, "SKYM", 302, cash=0, …)."""
    from tests.contracts.voucher_helpers import sign_purchase

    def run(user: Any, product_id: int, *args: Any, **kwargs: Any) -> Any:
        p = make_purchase(user, product_id, *args, **kwargs)
        signature = sign_purchase(user.private_key, book, p)
        return book.purchaseBatch([p.encode()], [signature], {"from": relayer})

    return run
