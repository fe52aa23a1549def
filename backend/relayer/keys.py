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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from ..core.errors import ConfigurationError
from .models import TX_IN_FLIGHT, RelayerTransaction


@dataclass
class SignedTx:
    raw: str  # 0x-hex
    tx_hash: str
    nonce: int
    sender: str


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
        max_in_flight: int = 8,
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
        self.chain_id: int | None = None
        self.gas_price: int | None = None

    @property
    def synced(self) -> bool:
        return self.chain_id is not None and all(k.next_nonce is not None for k in self.keys)

    def sync(self) -> None:
        """Reads chain id, gas price and each key's nonce from the node and the log."""
        self.chain_id = self.w3.eth.chain_id
        self.gas_price = self.w3.eth.gas_price
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

    def resync(self, address: str) -> None:
        """After "nonce too low": someone else used the key; take the node's count."""
        for key in self.keys:
            if key.address == address:
                key.next_nonce = max(
                    key.next_nonce or 0,
                    self.w3.eth.get_transaction_count(to_checksum_address(address), "pending"),
                )

    def pick(self, session: Session) -> RelayerKey | None:
        """The key with the fewest in-flight transactions, or None if all are at the cap."""
        counts = dict(
            session.execute(
                select(RelayerTransaction.sender, func.count())
                .where(RelayerTransaction.state.in_(TX_IN_FLIGHT))
                .group_by(RelayerTransaction.sender)
            )
            .tuples()
            .all()
        )
        key = min(self.keys, key=lambda k: counts.get(k.address, 0))
        return None if counts.get(key.address, 0) >= self.max_in_flight else key

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
        )
