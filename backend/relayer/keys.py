"""The relayer's key pool: several RELAYER_ROLE keys, each with a locally counted nonce.

Why local nonces: a key can then have several transactions in one block, and the next nonce
does not wait for a receipt. Why the database takes part: the write-ahead log
(``relayer_transactions``) may hold a transaction signed with nonce n that never reached the
node (the process died in between). On start the next nonce is therefore
``max(node's pending count, highest nonce in the log + 1)``; the ``Relayer``
rebroadcasts the logged one first, so no nonce is signed twice and none is left as a gap.
Every logged nonce counts, mined ones too: a fallback node that is a block behind (see
``chain.nodes``) reports a pending count below a nonce already mined elsewhere, and signing
that nonce again would only make a transaction that can never be mined.

How much is in flight: the reserved gas (signed gas limits) of every key's unmined
transactions together stays within what the next blocks hold (``gas_budget``: two blocks of
the head's gas limit, read every few seconds), and each new transaction goes to the key with
the least of it, so batches spread over the keys and several land in one block. A per-key
count ceiling (``MAX_PER_KEY``) stays only as the node's limit: geth keeps 16 pending
transactions per account for sure (``--txpool.accountslots``) and may evict more when its pool
is full.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from ..core.errors import ConfigurationError
from .gas_budget import BLOCKS_AHEAD, GasBudget
from .models import TX_IN_FLIGHT, RelayerTransaction

MAX_PER_KEY = 16  # geth's --txpool.accountslots default
GAS_LIMIT_SECONDS = 5.0  # how often the block gas limit is read again (``refresh_gas_limit``)


@dataclass
class SignedTx:
    raw: str  # 0x-hex
    tx_hash: str
    nonce: int
    sender: str
    gas: int  # the gas limit signed: what the transaction reserves in a block


class RelayerKey:
    """One key; its private part stays in the LocalAccount and is never shown."""

    def __init__(self, private_key: str) -> None:
        self.account: LocalAccount = Account.from_key(private_key)
        self.address: str = self.account.address
        self.next_nonce: int | None = None  # unknown until synced with the node

    def __repr__(self) -> str:
        return f"RelayerKey({self.address}, next_nonce={self.next_nonce})"


class KeyPool:
    """Signs with the least busy key; nonces are synced lazily (the node may be down)."""

    def __init__(
        self,
        w3: Web3,
        private_keys: list[str],
        sessions: sessionmaker[Session],
        max_in_flight: int = MAX_PER_KEY,
        blocks_ahead: int = BLOCKS_AHEAD,
    ) -> None:
        if not private_keys:
            raise ConfigurationError(
                "the relayer has no key: set TONGDUI_RELAYER_KEYS to one or more comma-separated "
                "private keys of accounts holding RELAYER_ROLE"
            )
        self.w3 = w3
        self.sessions = sessions
        self.keys = [RelayerKey(key) for key in private_keys]
        self.max_in_flight = max_in_flight
        self.budget = GasBudget(blocks_ahead)
        self._gas_limit_at = float("-inf")  # when the block gas limit was last read
        self.chain_id: int | None = None
        self.gas_price: int | None = None

    @property
    def synced(self) -> bool:
        return self.chain_id is not None and all(k.next_nonce is not None for k in self.keys)

    def sync(self) -> None:
        """Reads chain id, gas price, the block gas limit and each key's nonce from the node
        and the log."""
        self.chain_id = self.w3.eth.chain_id
        self.gas_price = self.w3.eth.gas_price
        self.refresh_gas_limit(force=True)
        with self.sessions() as session:
            for key in self.keys:
                logged = session.scalar(
                    select(func.max(RelayerTransaction.nonce)).where(
                        RelayerTransaction.sender == key.address
                    )
                )
                pending = self.w3.eth.get_transaction_count(
                    to_checksum_address(key.address), "pending"
                )
                key.next_nonce = max(pending, -1 if logged is None else logged + 1)

    def refresh_gas_limit(self, force: bool = False) -> None:
        """Reads the head block's gas limit (it moves when the sealers change theirs), at most
        once per ``GAS_LIMIT_SECONDS`` unless ``force``: the relayer asks every pass (20 a
        second at a 0.05 s poll), and a limit that geth moves by 1/1024 a block needs no
        block fetch that often."""
        now = time.monotonic()
        if not force and now - self._gas_limit_at < GAS_LIMIT_SECONDS:
            return
        self.budget.block_gas_limit = int(self.w3.eth.get_block("latest")["gasLimit"])
        self._gas_limit_at = now

    def resync(self, address: str) -> None:
        """After "nonce too low": someone else used the key; take the node's count."""
        for key in self.keys:
            if key.address == address:
                key.next_nonce = max(
                    key.next_nonce or 0,
                    self.w3.eth.get_transaction_count(to_checksum_address(address), "pending"),
                )

    def pick(self, session: Session, gas: int) -> RelayerKey | None:
        """The key with the least reserved gas in flight for a transaction reserving ``gas``;
        None while all keys' in-flight gas and ``gas`` together exceed the budget, or every
        key is at ``max_in_flight``."""
        rows = session.execute(
            select(
                RelayerTransaction.sender,
                func.count(),
                func.coalesce(func.sum(RelayerTransaction.gas_limit), 0),
            )
            .where(
                RelayerTransaction.state.in_(TX_IN_FLIGHT),
                RelayerTransaction.block_number.is_(None),  # seen mined: holds no future room
            )
            .group_by(RelayerTransaction.sender)
        ).all()
        counts = {sender: int(count) for sender, count, _ in rows}
        reserved = {sender: int(total) for sender, _, total in rows}
        if not self.budget.allows(sum(reserved.values()), gas):
            return None
        free = [k for k in self.keys if counts.get(k.address, 0) < self.max_in_flight]
        if not free:
            return None
        return min(free, key=lambda k: (reserved.get(k.address, 0), counts.get(k.address, 0)))

    def pick_batch(
        self, session: Session, queued: int, base: int, per_item: int, wanted: int
    ) -> tuple[RelayerKey, int] | None:
        """The key for a batch of the ``queued`` items, and how many it takes: at most
        ``wanted``, no more than one block holds (``GasBudget.batch_size``), and with room in
        the budget for its reserved gas (``base + per_item × items``, as the batch is signed).
        None if nothing is queued or no key has room. Settles and purchases alike."""
        size = min(self.budget.batch_size(base, per_item, wanted), queued)
        if size <= 0:
            return None
        key = self.pick(session, gas=base + per_item * size)
        return None if key is None else (key, size)

    def sign(self, key: RelayerKey, tx: dict[str, Any]) -> SignedTx:
        """Signs ``tx`` with the key's next nonce and advances it (caller logs it at once)."""
        assert key.next_nonce is not None and self.chain_id is not None
        full = {
            "chainId": self.chain_id,
            "nonce": key.next_nonce,
            "gasPrice": self.gas_price or 0,
            "value": 0,
            **tx,
        }
        signed = key.account.sign_transaction(full)
        key.next_nonce += 1
        return SignedTx(
            "0x" + bytes(signed.raw_transaction).hex(),
            "0x" + bytes(signed.hash).hex(),
            full["nonce"],
            key.address,
            int(full["gas"]),
        )
