"""Helpers of the indexer tests: make chain activity, and compare the database with the chain."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session
from web3 import Web3

from tests.postgres_server import postgres_server
from tongdui.chain.client import Platform
from tongdui.chain.deployment import save_deployment
from tongdui.chain.eip712 import Domain, SwapOrder, order_digest, sign_order
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.demo import DEMO_MERCHANTS
from tongdui.indexer.models import (
    Balance,
    Event,
    Merchant,
    PayeeCredit,
    SettlementAccount,
    Swap,
    TokenSupply,
)
from tongdui.services import Services, build_services

RELAYER_KEY = ANVIL_KEYS[8]
DERIVED_TABLES = [
    "balances",
    "token_supplies",
    "settlement_accounts",
    "payee_credits",
    "merchants",
    "account_freezes",
    "merchant_issuers",
    "order_counters",
    "platform_parameters",
    "governance_members",
    "governance_proposals",
    "swaps",
    "order_rejections",
    "used_nonces",
    "point_value_history",
    "governance_votes",
    "attestations",
    "address_events",
    "merchant_totals",
    "swap_users",
    "index_totals",
    "htlc_locks",
    "expiry_buckets",
    "expiry_rules",
]


def derived_snapshot(engine: Any) -> dict[str, list[tuple[str, ...]]]:
    """Every derived table's rows, as sorted text tuples."""
    with engine.connect() as connection:
        return {
            t: sorted(tuple(map(str, r)) for r in connection.execute(text(f"SELECT * FROM {t}")))
            for t in DERIVED_TABLES
        }


def assert_derived_equals_a_rebuild(services: Services) -> None:
    """What the indexer keeps incrementally (through reorgs too) equals a replay of its log."""
    from tongdui.core.db import transaction
    from tongdui.indexer.store import rebuild

    before = derived_snapshot(services.engine)
    with transaction(services.sessions) as session:
        rebuild(session)
    after = derived_snapshot(services.engine)
    for table in DERIVED_TABLES:
        assert after[table] == before[table], f"{table} differs from a rebuild"


def signed_orders(
    w3: Web3,
    platform: Platform,
    user_key: str,
    from_token: str,
    to_token: str,
    amounts: list[int],
    min_amount_out: int = 1,
) -> tuple[list[tuple[Any, ...]], list[bytes], list[str]]:
    """Orders of one user, signed; returns (calldata tuples, signatures, order hashes)."""
    domain = Domain(w3.eth.chain_id, platform.exchange.address)
    owner = Account.from_key(user_key).address
    deadline = int(time.time()) + 3600 * 24 * 365
    orders, signatures, hashes = [], [], []
    for amount in amounts:
        order = SwapOrder(
            owner, from_token, to_token, amount, min_amount_out, secrets.randbits(64), deadline
        )
        orders.append(order.as_tuple())
        signatures.append(sign_order(user_key, domain, order))
        hashes.append("0x" + order_digest(domain, order).hex())
    return orders, signatures, hashes


def settle(
    w3: Web3,
    platform: Platform,
    orders: list[tuple[Any, ...]],
    signatures: list[bytes],
    batch: int = 50,
    relayer: Signer | None = None,
) -> None:
    """Settles orders in batches with the relayer key (ANVIL_KEYS[8])."""
    relayer = relayer or Signer(w3, RELAYER_KEY)
    pending = []
    for start in range(0, len(orders), batch):
        call = platform.exchange.functions.settle(
            orders[start : start + batch], signatures[start : start + batch]
        )
        pending.append(relayer.transact(call, gas=min(29_000_000, 400_000 * batch)))
    wait_for(w3, pending)


def issue(w3: Web3, platform: Platform, symbol: str, token: str, to: str, amount: int) -> None:
    admin_key = next(m.admin_key for m in DEMO_MERCHANTS if m.symbol == symbol)
    admin = Signer(w3, admin_key)
    wait_for(w3, [admin.transact(platform.points_token(token).functions.issue(to, amount))])


def redeem(w3: Web3, platform: Platform, user_key: str, token: str, amount: int) -> None:
    user = Signer(w3, user_key)
    fund_gas(w3, user.address)
    wait_for(w3, [user.transact(platform.points_token(token).functions.redeem(amount))])


def fund_gas(w3: Web3, address: str) -> None:
    funder = Signer(w3, ANVIL_KEYS[0])
    tx = funder.sign(
        {"to": address, "value": 10**18, "gas": 21_000}  # enough ETH for a few calls
    )
    w3.eth.send_raw_transaction(tx[0])
    wait_for(w3, [tx[1]])


def assert_database_matches_chain(session: Session, platform: Platform, block: int) -> None:
    """Every derived sum in the database equals the contracts' state at ``block``."""
    at = {"block_identifier": block}
    merchants = list(session.scalars(select(Merchant)))
    tokens = [m.token for m in merchants] + [platform.settlement.address]
    assert len(merchants) == platform.registry.functions.merchantCount().call(**at)
    for token in tokens:
        contract = platform.points_token(token)
        total = contract.functions.totalSupply().call(**at)
        supply = session.get(TokenSupply, token)
        assert (supply.supply if supply else 0) == total, f"supply of {token}"
        held = session.scalar(select(func.sum(Balance.amount)).where(Balance.token == token))
        assert (held or 0) == total, f"sum of balances of {token}"
        for row in session.scalars(select(Balance).where(Balance.token == token)):
            assert contract.functions.balanceOf(row.holder).call(**at) == row.amount
    for merchant in merchants:
        view = platform.registry.functions.merchantView(merchant.id).call(**at)
        market = platform.exchange.functions.market(merchant.token).call(**at)
        account = session.get(SettlementAccount, merchant.token)
        balance, fee_credit = (
            (account.settlement_balance, account.fee_credit) if account else (0, 0)
        )
        assert (balance, fee_credit) == (market[5], market[6]), merchant.symbol
        assert merchant.point_value == market[0]
        assert merchant.issuance_cap == view[6]
        assert merchant.status == {1: "active", 2: "suspended"}[view[4]]
    relayers = {s.relayer for s in session.scalars(select(Swap))}
    payees = set(session.scalars(select(PayeeCredit.payee))) | relayers
    for payee in payees:
        row = session.get(PayeeCredit, payee)
        expected = platform.exchange.functions.payeeCredit(payee).call(**at)
        assert (row.credit if row else 0) == expected, payee


def event_keys(session: Session) -> list[tuple[int, int]]:
    return [
        (b, i)
        for b, i in session.execute(
            select(Event.block_number, Event.log_index).order_by(
                Event.block_number, Event.log_index
            )
        )
    ]


def chain_log_keys(w3: Web3, addresses: list[str], start: int, end: int) -> list[tuple[int, int]]:
    logs = w3.eth.get_logs(
        {"address": addresses, "fromBlock": start, "toBlock": end}  # type: ignore[typeddict-item]
    )
    return sorted((log["blockNumber"], log["logIndex"]) for log in logs)


# ─── databases: SQLite, and PostgreSQL from tests.postgres_server ───────────────────────────


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """TONGDUI_TEST_PG_URL (scripts/test.sh starts a server of the run's own), or a server of
    this session's own (``tests.postgres_server``: a free port and a temp folder, stopped at the
    end). In CI a server that cannot start fails the run instead of skipping it."""
    url = os.environ.get("TONGDUI_TEST_PG_URL")
    if url:
        yield url
        return
    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres_server("tongdui-test-pg"))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            if os.environ.get("CI") == "true":
                pytest.fail(str(error))
            pytest.skip(str(error))
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'index.db'}"
        return
    server = request.getfixturevalue("postgres_server_url")
    name = f"tongdui_test_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def services_for(url: str, rpc_url: str, data_dir: Path, **settings: Any) -> Services:
    return build_services(
        Settings(data_dir=data_dir, rpc_url=rpc_url, db_url=url, poll_interval=0.05, **settings)
    )


@pytest.fixture
def index_services(clean_chain: Any, database_url: str, tmp_path: Path) -> Iterator[Services]:
    """Services on the seeded chain with a fresh database of each kind."""
    data_dir = tmp_path / "data"
    save_deployment(data_dir / "deployments", clean_chain.deployment)
    built = services_for(database_url, clean_chain.url, data_dir)
    try:
        yield built
    finally:
        built.engine.dispose()
