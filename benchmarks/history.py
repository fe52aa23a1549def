"""A benchmark chain and a fast way to give it a history of many real swaps.

The chain is the test suite's: anvil (automine) with the platform deployed and the demo
consortium seeded (``tests.chains.start_chain``). History is made the way the relayer
makes it — signed orders settled in batches of 100 by the relayer key — but signed and sent
straight from here, without the HTTP layer, so that 100k swaps take minutes, not hours.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coincurve import PrivateKey
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_utils import keccak
from hexbytes import HexBytes

from tests.chains import TestChain, start_chain
from tongdui.chain.eip712 import Domain, SwapOrder, order_digest
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.demo import DEMO_MERCHANTS

RELAYER_KEY = ANVIL_KEYS[8]
# settle(SwapOrder[], bytes[]) encoded with eth_abi directly: web3's contract-function path
# took ~1.5 ms per order of Python, more than anvil's execution of it.
SETTLE_TYPES = ("(address,address,address,uint256,uint256,uint256,uint256,uint256)[]", "bytes[]")
SETTLE_SELECTOR = keccak(text=f"settle({SETTLE_TYPES[0]},{SETTLE_TYPES[1]})")[:4]
# Each user is issued enough for SWAPS_PER_USER swaps of its amount: 1.2M swaps over 20 users,
# within the demo issuance caps (6M SKYM and 60M FRESH). The first 1M history ran the FRESH
# users dry at 200k swaps and 40% of its orders were rejected; add_swaps now refuses that.
SWAPS_PER_USER = 60_000
PAIRS = (("SKYM", "FRESH"), ("FRESH", "SKYM"))  # value flows both ways: covers never run dry


def user_key(index: int) -> str:
    return "0x" + keccak(text=f"tongdui bench user {index}").hex()


@dataclass
class BenchChain:
    """A seeded chain plus funded benchmark users (user i swaps PAIRS[i % 2])."""

    chain: TestChain
    folder: Path
    users: list[str] = field(default_factory=list)
    swaps: int = 0
    next_nonce: int = 1

    @property
    def url(self) -> str:
        return self.chain.url

    def domain(self) -> Domain:
        return Domain(self.chain.w3.eth.chain_id, self.chain.platform.exchange.address)

    def pair(self, user_index: int) -> tuple[str, str]:
        src, dst = PAIRS[user_index % len(PAIRS)]
        return self.chain.tokens[src], self.chain.tokens[dst]


@contextmanager
def bench_chain(users: int = 20, block_time: float = 0) -> Iterator[BenchChain]:
    """A fresh chain with ``users`` funded users; stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tongdui-bench-"))
    chain = start_chain(folder, block_time, persist=False)
    try:
        bench = BenchChain(chain, folder)
        fund_users(bench, users)
        yield bench
    finally:
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


def fund_users(bench: BenchChain, count: int) -> None:
    """Issues each new user points of the source token of its pair."""
    w3, platform = bench.chain.w3, bench.chain.platform
    admins = {m.symbol: Signer(w3, m.admin_key) for m in DEMO_MERCHANTS}
    pending = []
    start = len(bench.users)
    for i in range(start, start + count):
        key = user_key(i)
        src = PAIRS[i % len(PAIRS)][0]
        token = platform.points_token(bench.chain.tokens[src])
        owner = Account.from_key(key).address
        issue = token.functions.issue(owner, amount_for(i) * SWAPS_PER_USER)
        pending.append(admins[src].transact(issue, 150_000))
        bench.users.append(key)
    wait_for(w3, pending)


def amount_for(user_index: int) -> int:
    """SKYM (10 fen) → FRESH (1 fen): 10 points; FRESH → SKYM: 100 points (no zero output)."""
    return 10 if user_index % 2 == 0 else 100


def signed_order(
    bench: BenchChain, domain: Domain, user_index: int, deadline: int, nonce: int | None = None
) -> tuple[SwapOrder, bytes, bytes]:
    """(order, 65-byte signature, digest) of a fresh order of the user."""
    key = bench.users[user_index]
    src, dst = bench.pair(user_index)
    if nonce is None:
        nonce, bench.next_nonce = bench.next_nonce, bench.next_nonce + 1
    order = SwapOrder(
        Account.from_key(key).address,
        src,
        dst,
        amount_for(user_index),
        1,
        nonce,
        deadline,
    )
    digest = order_digest(domain, order)
    signature = bytes(Account.unsafe_sign_hash(digest, key).signature)
    return order, signature, digest


def add_swaps(bench: BenchChain, count: int, batch: int = 100, progress: bool = False) -> float:
    """Settles ``count`` more swaps in batches; returns the seconds it took."""
    w3, exchange = bench.chain.w3, bench.chain.platform.exchange
    relayer = Signer(w3, RELAYER_KEY)
    domain = bench.domain()
    deadline = int(time.time()) + 30 * 24 * 3600
    # Sign with libsecp256k1 (coincurve) directly: eth_account's wrappers cost ~1 ms per
    # order, which made the history's Python side slower than anvil (a 1M-swap history).
    owners = [Account.from_key(k) for k in bench.users]
    keys = [PrivateKey(bytes(HexBytes(k))) for k in bench.users]
    started = time.perf_counter()
    pending: list[HexBytes] = []
    done = 0
    while done < count:
        size = min(batch, count - done)
        orders: list[Any] = []
        signatures: list[bytes] = []
        for j in range(size):
            i = (done + j) % len(owners)
            src, dst = bench.pair(i)
            nonce, bench.next_nonce = bench.next_nonce, bench.next_nonce + 1
            order = SwapOrder(owners[i].address, src, dst, amount_for(i), 1, nonce, deadline)
            orders.append(order.as_tuple())
            signatures.append(fast_sign(keys[i], order_digest(domain, order)))
        calldata = SETTLE_SELECTOR + abi_encode(SETTLE_TYPES, [orders, signatures])
        raw, tx_hash, _ = relayer.sign(
            {"to": exchange.address, "data": calldata, "gas": 200_000 + 100_000 * size}
        )
        w3.eth.send_raw_transaction(raw)
        pending.append(tx_hash)
        done += size
        if len(pending) >= 20:
            _check(wait_for(w3, pending, timeout=600))
            pending = []
            if progress:
                print(f"    history: {bench.swaps + done:,} swaps", flush=True)
    _check(wait_for(w3, pending, timeout=600))
    bench.swaps += count
    return time.perf_counter() - started


def fast_sign(key: PrivateKey, digest: bytes) -> bytes:
    """r‖s‖v of ``digest``, as ``Account.unsafe_sign_hash`` gives (low s, v = 27 + parity)."""
    signature = key.sign_recoverable(digest, hasher=None)
    return signature[:64] + bytes([27 + signature[64]])


ORDER_REJECTED = keccak(text="OrderRejected(bytes32,address,uint256,bytes4)")


def _check(receipts: list[Any]) -> None:
    """History is swaps: a reverted batch, or an order the batch rejected, stops it."""
    for receipt in receipts:
        tx = "0x" + bytes(receipt["transactionHash"]).hex()
        if receipt["status"] != 1:
            raise RuntimeError(f"a history batch reverted: {tx}")
        for log in receipt["logs"]:
            if log["topics"] and bytes(log["topics"][0]) == ORDER_REJECTED:
                reason = bytes(log["data"])[-32:-28].hex()
                raise RuntimeError(f"a history order was rejected (error 0x{reason}) in {tx}")
