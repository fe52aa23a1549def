"""The merchants' operator keys, held by the backend to sign their transactions.

Keys come from ``TONGDUI_MERCHANT_KEYS`` and are matched to merchants by address: a key whose
address is a market's admin signs for that market. One ``Signer`` per key, shared by every
request and guarded by a lock, so concurrent requests of one merchant get consecutive nonces.
Before each send the nonce is re-read from the node's pending count (our own sent transactions
are in its pool), so a transaction sent with the same key by another process (the CLI, a second
API worker) or one dropped from the pool cannot wedge the key.

Given ``lock_dir`` (the data folder's ``locks/``, as the runner and the API give it), each send
also holds an ``flock`` on ``operator-<address>.lock`` there, because the pending count alone
leaves a race: two processes of one several-process layout (two API processes, or one and the
bulk worker of the relayer process) that read it at once both sign the same nonce, and one of
them fails.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from eth_account import Account
from hexbytes import HexBytes
from web3 import Web3

from ..chain.transactions import Signer
from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError

T = TypeVar("T")


class MerchantKeyMissingError(TongduiError, LookupError):
    """The backend holds no operator key for a merchant."""

    code = ErrorCode.MERCHANT_KEY_MISSING


class MerchantOperators:
    """address → Signer for the configured operator keys; keys are never exposed."""

    def __init__(self, w3: Web3, private_keys: list[str], lock_dir: Path | None = None) -> None:
        self._w3 = w3
        self._lock_dir = lock_dir
        self._keys = {Account.from_key(k).address: k for k in private_keys}
        self._signers: dict[str, Signer] = {}
        self._locks: dict[str, threading.Lock] = {a: threading.Lock() for a in self._keys}
        self._create = threading.Lock()

    def __repr__(self) -> str:
        return f"MerchantOperators({sorted(self._keys)})"

    @property
    def addresses(self) -> list[str]:
        return sorted(self._keys)

    def holds(self, admin: str) -> bool:
        return Web3.to_checksum_address(admin) in self._keys

    def _signer(self, admin: str) -> Signer:
        address = Web3.to_checksum_address(admin)
        if address not in self._keys:
            raise MerchantKeyMissingError(
                f"the backend holds no operator key for the merchant admin {address}: add it to "
                "TONGDUI_MERCHANT_KEYS (comma-separated) and restart",
                admin=address,
            )
        with self._create:
            if address not in self._signers:
                self._signers[address] = Signer(self._w3, self._keys[address])
            return self._signers[address]

    def send(self, admin: str, build: Callable[[Signer], T]) -> T:
        """Runs ``build(signer)`` (which sends one or more transactions) under the key's lock."""
        signer = self._signer(admin)
        with self._locks[signer.address], self._across_processes(signer.address):
            signer.nonce = self._w3.eth.get_transaction_count(signer.address, "pending")
            return build(signer)

    @contextmanager
    def _across_processes(self, address: str) -> Iterator[None]:
        """The key's file lock, held while it sends (released when the file closes)."""
        if self._lock_dir is None:
            yield
            return
        self._lock_dir.mkdir(parents=True, exist_ok=True)
        with (self._lock_dir / f"operator-{address}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield


def sent(tx_hash: HexBytes) -> str:
    return "0x" + bytes(tx_hash).hex()
