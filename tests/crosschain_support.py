"""Two real anvils (chain A: 31337, sCNY; chain B: 31338, sJPY), each with the platform,
a HashedTimelock and the demo bridge member, for the cross-chain tests and the benchmark.

Users sign exactly what the wallet page signs: the EIP-712 Lock of the HTLC on A and the
points token's ERC-2612 permit; the secret stays with the user until it reveals it.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from tests.chains import free_port, genesis_roles
from tongdui.chain.anvil import Anvil
from tongdui.chain.artifacts import abi
from tongdui.chain.client import Platform, connect
from tongdui.chain.deploy import deploy_platform
from tongdui.chain.deployment import Deployment, save_deployment
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.db import make_engine, migrate, session_factory
from tongdui.crosschain.coordinator import Coordinator
from tongdui.crosschain.demo import CHAIN_B_ID, set_up_bridge
from tongdui.crosschain.htlc import LockTerms, hashlock_of, lock_typed_data
from tongdui.crosschain.models import CrossSwap
from tongdui.crosschain.quotes import Quote
from tongdui.crosschain.service import CrossChain
from tongdui.crosschain.wiring import CrossChainConfig, build, demo_bridge_key, demo_relayer_key
from tongdui.demo import seed_demo
from tongdui.demo_data import DEMO_MERCHANTS
from tongdui.services import Services

SKYM_ADMIN = DEMO_MERCHANTS[0].admin_key
BRIDGE = Account.from_key(demo_bridge_key()).address
RELAYER = Account.from_key(demo_relayer_key()).address  # the cross-chain relayer's demo key


@dataclass
class Side:
    anvil: Anvil
    w3: Web3
    deployment: Deployment
    platform: Platform

    @property
    def url(self) -> str:
        return self.anvil.url

    def rpc(self, method: str, *params: Any) -> Any:
        return self.w3.provider.make_request(method, list(params))["result"]  # type: ignore[arg-type]

    def mine(self, blocks: int = 1) -> None:
        for _ in range(blocks):
            self.rpc("evm_mine")

    def advance(self, seconds: int) -> None:
        """Moves the chain's clock forward and mines a block at the new time."""
        self.rpc("evm_increaseTime", seconds)
        self.rpc("evm_mine")

    def token(self, address: str) -> Any:
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=abi("PointsToken")
        )


@dataclass
class TwoChains:
    folder: Path
    a: Side
    b: Side
    config: CrossChainConfig
    db_url: str
    sessions: sessionmaker[Session]
    users: list[str] = field(default_factory=list)  # private keys holding SKYM on A

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def build(self, poll_interval: float = 0.1) -> tuple[CrossChain, Coordinator]:
        return build(
            self.config, self.a.w3, self.a.platform, self.sessions, demo_bridge_key(), poll_interval
        )

    def balances(self) -> dict[str, int]:
        """Every holder of the two swapped tokens that a swap can touch."""
        token_a, token_b = self.a.token(self.config.token_a), self.b.token(self.config.token_b)
        holders = [Account.from_key(k).address for k in self.users] + [BRIDGE]
        out: dict[str, int] = {}
        for who in holders:
            out[f"A:{who}"] = int(token_a.functions.balanceOf(who).call())
            out[f"B:{who}"] = int(token_b.functions.balanceOf(who).call())
        out["A:htlc"] = int(token_a.functions.balanceOf(self.config.chain_a.htlc).call())
        out["B:htlc"] = int(token_b.functions.balanceOf(self.config.chain_b.htlc).call())
        return out

    def swaps(self) -> list[CrossSwap]:
        with self.sessions() as session:
            return list(session.scalars(select(CrossSwap).order_by(CrossSwap.id)).all())

    def stop(self) -> None:
        for side in (self.a, self.b):
            side.anvil.stop()


def _side(folder: Path, chain_id: int, block_time: float, settlement: tuple[str, str]) -> Side:
    anvil = Anvil(folder, free_port(), block_time, chain_id=chain_id, persist=False)
    anvil.start()
    w3 = connect(anvil.url)
    deployment = deploy_platform(w3, ANVIL_KEYS[0], genesis_roles(), settlement_token=settlement)
    save_deployment(folder / "deployments", deployment)
    return Side(anvil, w3, deployment, Platform(w3, deployment))


def start_two_chains(
    folder: Path,
    block_time: float = 0,
    confirmations: int = 0,
    users: int = 3,
    points: int = 10_000,
) -> TwoChains:
    """Both chains deployed and seeded, both HTLCs, ``users`` users with ``points`` SKYM each."""
    a = _side(folder / "a", 31_337, block_time, ("Tongdui Settlement CNY", "sCNY"))
    try:
        b = _side(folder / "b", CHAIN_B_ID, block_time, ("Tongdui Settlement JPY", "sJPY"))
    except BaseException:
        a.anvil.stop()
        raise
    try:
        seed_demo(a.w3, a.platform)
        config = set_up_bridge(
            a.w3,
            a.deployment,
            b.w3,
            b.deployment,
            ANVIL_KEYS[0],
            max(block_time, 1.0),
            confirmations,
        )
        config.chain_b.rpc = [b.url]
        config.chain_b.deployments_dir = str(folder / "b" / "deployments")
        data_dir = folder / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        save_deployment(data_dir / "deployments", a.deployment)
        config.save(data_dir)
        db_url = f"sqlite:///{data_dir / 'tongdui.db'}"
        migrate(db_url)
        sessions = session_factory(make_engine(db_url))
        keys = [
            "0x" + Web3.keccak(text=f"tongdui cross-chain test user {i}").hex().removeprefix("0x")
            for i in range(users)
        ]
        admin = Signer(a.w3, SKYM_ADMIN)
        token = a.token(config.token_a)
        wait_for(
            a.w3,
            [
                admin.transact(
                    token.functions.issue(Account.from_key(k).address, points), gas=150_000
                )
                for k in keys
            ],
        )
        return TwoChains(folder, a, b, config, db_url, sessions, keys)
    except BaseException:
        a.anvil.stop()
        b.anvil.stop()
        raise


@contextmanager
def two_chains(folder: Path, **kwargs: Any) -> Iterator[TwoChains]:
    chains = start_two_chains(folder, **kwargs)
    try:
        yield chains
    finally:
        chains.stop()
        shutil.rmtree(folder, ignore_errors=True)


def sign_typed(key: str, typed: dict[str, Any]) -> str:
    signed = Account.sign_message(encode_typed_data(full_message=typed), key)
    return "0x" + bytes(signed.signature).hex()


PERMIT_FIELDS = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


def signed_start(
    crosschain: CrossChain, key: str, amount: int
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """What the wallet does: a quote, a fresh secret, the Lock and permit signatures.
    Returns (the start body's parts, the secret, the quote answer)."""
    user = Account.from_key(key).address
    answer = crosschain.quote(user, amount)
    quote = answer["quote"]
    secret = os.urandom(32)
    hashlock = hashlock_of(secret)
    terms = LockTerms(
        answer["chainA"],
        answer["htlcA"],
        quote["tokenA"],
        user,
        quote["bridgeA"],
        quote["amountIn"],
        hashlock,
        quote["timelockA"],
        0,
    )
    lock_signature = sign_typed(key, lock_typed_data(terms, answer["lockDeadline"]))
    permit = answer["permit"]
    permit_typed = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": PERMIT_FIELDS,
        },
        "primaryType": "Permit",
        "domain": {
            "name": permit["name"],
            "version": "1",
            "chainId": answer["chainA"],
            "verifyingContract": quote["tokenA"],
        },
        "message": {
            "owner": user,
            "spender": permit["spender"],
            "value": quote["amountIn"],
            "nonce": permit["nonce"],
            "deadline": answer["lockDeadline"],
        },
    }
    signed = Account.sign_message(encode_typed_data(full_message=permit_typed), key)
    body = {
        "quote": quote,
        "quoteSignature": answer["signature"],
        "hashlock": "0x" + hashlock.hex(),
        "lockSignature": lock_signature,
        "permit": {
            "deadline": answer["lockDeadline"],
            "v": signed.v,
            "r": "0x" + signed.r.to_bytes(32, "big").hex(),
            "s": "0x" + signed.s.to_bytes(32, "big").hex(),
        },
    }
    return body, "0x" + secret.hex(), answer


def start_swap(crosschain: CrossChain, key: str, amount: int) -> tuple[int, str]:
    """Starts a swap as the wallet would; (swap id, secret)."""
    body, secret, _ = signed_start(crosschain, key, amount)
    swap = crosschain.start(
        Quote(**body["quote"]),
        body["quoteSignature"],
        body["hashlock"],
        body["lockSignature"],
        body["permit"],
    )
    return int(swap["id"]), secret


def run_until(
    coordinator: Coordinator, done: Any, chains: TwoChains | None = None, passes: int = 60
) -> None:
    """Coordinator passes (mining a block on each chain between them when ``chains`` is given,
    as automine chains do not move on their own) until ``done()``; fails after ``passes``."""
    for _ in range(passes):
        coordinator.run_once()
        if done():
            return
        if chains is not None:
            chains.a.mine()
            chains.b.mine()
        else:
            time.sleep(0.2)
    raise AssertionError("the coordinator did not get there")


__all__ = ["Services", "TwoChains", "run_until", "signed_start", "start_swap", "two_chains"]
