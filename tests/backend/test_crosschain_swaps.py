"""Cross-chain swaps on two real anvils, the coordinator driven pass by pass: the happy path,
a user who never claims (both sides refunded), chain B down when the bridge would lock
(refund on A), a reorg on A after the user's lock (no lock on B against it), and who sends
what: the relayer the user's lock and claim, the bridge member its own actions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from sqlalchemy import select
from web3 import Web3

from tests.chains import free_port  # noqa: F401 - the suite's fixtures come along
from tests.crosschain_support import (
    BRIDGE,
    RELAYER,
    TwoChains,
    run_until,
    start_swap,
    two_chains,
)
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.errors import ConfigurationError
from tongdui.crosschain.errors import QuoteInvalidError, WrongSecretError
from tongdui.crosschain.htlc import LockState, read_lock
from tongdui.crosschain.models import (
    CLAIM_A,
    CLAIM_B,
    CLAIMED_A,
    FAILED,
    LOCK_A,
    LOCK_B,
    LOCKED_A,
    LOCKED_B,
    QUOTED,
    REFUNDED_A,
    TX_MINED,
    CrossTransaction,
)
from tongdui.crosschain.quotes import Quote
from tongdui.crosschain.wiring import demo_bridge_key, relayer_keys

AMOUNT = 1_000  # SKYM (¥0.10 each) → 995 SAKU (¥2 each... per 20 JPY/CNY, less 0.5 %)


@pytest.fixture
def chains(tmp_path: Path) -> Iterator[TwoChains]:
    with two_chains(tmp_path / "xc", block_time=0, confirmations=1) as started:
        yield started


def _state(chains: TwoChains, swap_id: int) -> str:
    return next(s.state for s in chains.swaps() if s.id == swap_id)


def test_a_swap_ends_with_the_user_holding_points_on_b_and_the_bridge_member_on_a(
    chains: TwoChains,
) -> None:
    crosschain, coordinator = chains.build()
    user = Account.from_key(chains.users[0]).address
    before = chains.balances()
    swap_id, secret = start_swap(crosschain, chains.users[0], AMOUNT)
    run_until(coordinator, lambda: _state(chains, swap_id) == LOCKED_B, chains)
    crosschain.reveal(swap_id, secret)
    run_until(coordinator, lambda: _state(chains, swap_id) == CLAIMED_A, chains)

    after = chains.balances()
    out = crosschain.status(swap_id)["legs"]["B"]["amount"]
    assert out == 995
    assert after[f"A:{user}"] == before[f"A:{user}"] - AMOUNT
    assert after[f"A:{BRIDGE}"] == before[f"A:{BRIDGE}"] + AMOUNT
    assert after[f"B:{user}"] == before[f"B:{user}"] + out
    assert after[f"B:{BRIDGE}"] == before[f"B:{BRIDGE}"] - out
    assert after["A:htlc"] == after["B:htlc"] == 0
    assert crosschain.status(swap_id)["outcome"] == "completed"


def test_a_user_who_never_claims_gets_its_points_back_and_so_does_the_bridge_member(
    chains: TwoChains,
) -> None:
    crosschain, coordinator = chains.build()
    before = chains.balances()
    swap_id, _ = start_swap(crosschain, chains.users[0], AMOUNT)
    run_until(coordinator, lambda: _state(chains, swap_id) == LOCKED_B, chains)
    swap = chains.swaps()[0]
    chains.b.advance(swap.timelock_b - chains.b.w3.eth.get_block("latest")["timestamp"] + 1)
    chains.a.advance(swap.timelock_a - chains.a.w3.eth.get_block("latest")["timestamp"] + 1)
    run_until(coordinator, lambda: _state(chains, swap_id) == REFUNDED_A, chains)
    assert chains.balances() == before


def test_chain_b_down_when_the_bridge_would_lock_ends_in_the_users_refund_on_a(
    chains: TwoChains,
) -> None:
    crosschain, coordinator = chains.build()
    before = chains.balances()
    swap_id, _ = start_swap(crosschain, chains.users[0], AMOUNT)
    chains.b.anvil.stop()  # step 2 cannot happen
    for _ in range(4):  # the user's lock on A is sent and gets final; B stays unreachable
        coordinator.run_once()
        chains.a.mine()
    assert _state(chains, swap_id) == LOCKED_A
    swap = chains.swaps()[0]
    chains.a.advance(swap.timelock_a - chains.a.w3.eth.get_block("latest")["timestamp"] + 1)
    for _ in range(6):
        coordinator.run_once()
        chains.a.mine()
    assert (
        read_lock(coordinator.a.htlc, bytes.fromhex(swap.lock_id_a[2:])).state == LockState.REFUNDED
    )
    token_a = chains.a.token(chains.config.token_a)
    user = Account.from_key(chains.users[0]).address
    assert token_a.functions.balanceOf(user).call() == before[f"A:{user}"]


def test_a_reorg_on_a_after_the_users_lock_leaves_chain_b_without_a_lock(chains: TwoChains) -> None:
    crosschain, coordinator = chains.build()
    user_key = chains.users[0]
    user = Account.from_key(user_key).address
    before = chains.balances()
    snapshot = chains.a.rpc("evm_snapshot")
    swap_id, _ = start_swap(crosschain, user_key, AMOUNT)
    coordinator.run_once()  # submits the user's lock on A: mined, one block deep, not final
    swap = chains.swaps()[0]
    lock_a = bytes.fromhex(swap.lock_id_a[2:])
    assert read_lock(coordinator.a.htlc, lock_a).state == LockState.OPEN
    coordinator.run_once()
    assert _state(chains, swap_id) == QUOTED

    chains.a.rpc("evm_revert", snapshot)  # the lock's block is orphaned ...
    token_a = chains.a.token(chains.config.token_a)
    away = Signer(
        chains.a.w3, user_key, gas_price=0
    )  # ... and on the new branch the user spent its points
    balance = token_a.functions.balanceOf(user).call()
    wait_for(chains.a.w3, [away.transact(token_a.functions.transfer(BRIDGE, balance), gas=100_000)])
    for _ in range(6):
        chains.a.mine()
        chains.b.mine()
        coordinator.run_once()

    lock_b = bytes.fromhex(swap.lock_id_b[2:])
    assert read_lock(coordinator.b.htlc, lock_b).state == LockState.NONE
    assert read_lock(coordinator.a.htlc, lock_a).state == LockState.NONE
    assert _state(chains, swap_id) == FAILED
    assert chains.balances()[f"B:{BRIDGE}"] == before[f"B:{BRIDGE}"]


def test_a_quote_with_a_changed_amount_is_refused(chains: TwoChains) -> None:
    from tests.crosschain_support import signed_start

    crosschain, _ = chains.build()
    body, _, _ = signed_start(crosschain, chains.users[0], AMOUNT)
    body["quote"]["amountOut"] += 1
    with pytest.raises(QuoteInvalidError):
        crosschain.start(
            Quote(**body["quote"]),
            body["quoteSignature"],
            body["hashlock"],
            body["lockSignature"],
            body["permit"],
        )


def test_a_secret_that_does_not_open_the_hashlock_is_refused(chains: TwoChains) -> None:
    crosschain, coordinator = chains.build()
    swap_id, _ = start_swap(crosschain, chains.users[0], AMOUNT)
    run_until(coordinator, lambda: _state(chains, swap_id) == LOCKED_B, chains)
    with pytest.raises(WrongSecretError):
        crosschain.reveal(swap_id, "0x" + "11" * 32)
    assert Web3.is_address(BRIDGE)


def test_the_relayer_sends_the_users_lock_on_a_and_claim_on_b_so_the_user_pays_no_gas(
    chains: TwoChains,
) -> None:
    crosschain, coordinator = chains.build()
    user = Account.from_key(chains.users[0]).address
    ether_before = {
        name: side.w3.eth.get_balance(user) for name, side in (("A", chains.a), ("B", chains.b))
    }
    swap_id, secret = start_swap(crosschain, chains.users[0], AMOUNT)
    run_until(coordinator, lambda: _state(chains, swap_id) == LOCKED_B, chains)
    crosschain.reveal(swap_id, secret)
    run_until(coordinator, lambda: _state(chains, swap_id) == CLAIMED_A, chains)

    with chains.sessions() as session:
        sent = {
            (row.chain, row.action): row
            for row in session.scalars(
                select(CrossTransaction).where(CrossTransaction.swap_id == swap_id)
            )
        }
    senders = {}
    for (chain, action), row in sent.items():
        assert row.state == TX_MINED
        side = chains.a if chain == "A" else chains.b
        senders[(chain, action)] = side.w3.eth.get_transaction(row.tx_hash)["from"]
    assert senders[("A", LOCK_A)] == senders[("B", CLAIM_B)] == RELAYER
    assert senders[("B", LOCK_B)] == senders[("A", CLAIM_A)] == BRIDGE
    assert RELAYER not in (BRIDGE, user)
    assert {
        name: side.w3.eth.get_balance(user) for name, side in (("A", chains.a), ("B", chains.b))
    } == ether_before
    assert crosschain.status(swap_id)["outcome"] == "completed"


def test_a_relayer_key_that_is_the_bridge_members_own_is_refused(chains: TwoChains) -> None:
    from tongdui.crosschain.wiring import build

    config, a = chains.config, chains.a
    with pytest.raises(ConfigurationError):
        build(
            config, a.w3, a.platform, chains.sessions, demo_bridge_key(), 0.1, [demo_bridge_key()]
        )


def test_a_relayer_key_shared_with_the_relayers_own_pool_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TONGDUI_RELAYER_KEYS", f"{ANVIL_KEYS[8]},{ANVIL_KEYS[9]}")
    monkeypatch.setenv("TONGDUI_CROSSCHAIN_RELAYER_KEYS", ANVIL_KEYS[9])
    with pytest.raises(ConfigurationError):
        relayer_keys(demo=True)
