"""One side of the bridge: a chain, its ``HashedTimelock``, the keys that send there, and
the write-ahead log of what they send.

Two kinds of key send on each chain. The bridge member's own key sends the bridge's actions
(its lock on B, its claim on A, the approve of its inventory, refunds). The platform's
cross-chain relayer keys send what the *user* signed or revealed (``lockWithSig`` on A, the
claim on B): the user never pays gas on either chain (issue 17), and the bridge member's key
never carries the user's lock. Every key has its own nonce sequence in the one log below, so
several keys on one chain are as restart-safe as one. Why not the relayer's ``KeyPool``: its
log (``relayer_transactions``) has no chain column and its nonces are counted by another
process; two logs signing with one key would hand out the same nonce twice, so these keys
are the relayer's but are theirs alone (``wiring.relayer_keys``).

Why write-ahead: the coordinator may be killed between signing a transaction and learning its
fate. Each transaction is stored (``crosschain_transactions``, state ``signed``) in the same
database transaction that decides to send it, and only then broadcast. A restarted
coordinator finds it, asks the node for its receipt, and rebroadcasts the *same signed bytes*
while its nonce is still free: the action is never signed twice, and no nonce is left as a
gap that would stall every later transaction of the key. A transaction counts as done only
once its block is ``confirmations`` deep; a receipt that a reorg took away puts it back to
``sent`` (rebroadcast), and a nonce that another transaction took marks it ``dropped`` (the
chain's state then decides whether the action is still needed).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import HexStr
from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import TransactionNotFound, Web3RPCError

from ..core.db import transaction
from ..core.errors import ConfigurationError
from .models import TX_DROPPED, TX_MINED, TX_OPEN, TX_REVERTED, TX_SENT, TX_SIGNED, CrossTransaction

log = logging.getLogger("tongdui.crosschain")

REBROADCAST_AFTER = 5.0  # s a sent transaction may stay unknown to the node


@dataclass(frozen=True)
class Head:
    number: int
    timestamp: int
    final: int  # the newest block believed final (number - confirmations)
    final_timestamp: int


class Sender:
    """One key on one chain and its locally counted next nonce (None until synced)."""

    def __init__(self, private_key: str) -> None:
        self.account: LocalAccount = Account.from_key(private_key)
        self.address: str = self.account.address
        self.next_nonce: int | None = None

    def __repr__(self) -> str:  # never show the key
        return f"Sender({self.address}, next_nonce={self.next_nonce})"


class Leg:
    """Chain ``name`` ("A" or "B") as the coordinator drives it."""

    def __init__(
        self,
        name: str,
        w3: Web3,
        htlc: Contract,
        bridge_key: str,
        confirmations: int,
        from_block: int = 0,
        relayer_keys: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.w3 = w3
        self.htlc = htlc
        self.bridge = Sender(bridge_key)
        self.account: LocalAccount = self.bridge.account
        self.address: str = self.bridge.address
        self.relayers = [Sender(key) for key in relayer_keys]
        if not self.relayers:
            raise ConfigurationError(
                f"chain {name} has no cross-chain relayer key: set "
                "TONGDUI_CROSSCHAIN_RELAYER_KEYS to one or more comma-separated private keys "
                "(the user's lock on A and claim on B are relayed, never sent by the bridge)"
            )
        if any(r.address == self.address for r in self.relayers):
            raise ConfigurationError(
                "a cross-chain relayer key is the bridge member's own key: give the relayer "
                "keys of its own in TONGDUI_CROSSCHAIN_RELAYER_KEYS"
            )
        self._senders = {s.address: s for s in (self.bridge, *self.relayers)}
        self.confirmations = confirmations
        self.from_block = from_block
        self.chain_id = int(w3.eth.chain_id)
        # The node's price, read once (geth's --miner.gasprice floor on the consortium
        # network: a zero-priced transaction never enters its pool; see network/node.py).
        self.gas_price = int(w3.eth.gas_price)
        self._started = time.time()

    def __repr__(self) -> str:  # never show a key
        return f"Leg({self.name}, chain {self.chain_id}, {self.address})"

    @property
    def relayer_addresses(self) -> list[str]:
        return [r.address for r in self.relayers]

    def head(self) -> Head:
        block = self.w3.eth.get_block("latest")
        number = int(block["number"])
        final = max(0, number - self.confirmations)
        final_block = block if final == number else self.w3.eth.get_block(final)
        return Head(number, int(block["timestamp"]), final, int(final_block["timestamp"]))

    # ── sending ─────────────────────────────────────────────────────────────────────────────

    def sync(self, session: Session, sender: Sender) -> None:
        """Next nonce = max(node's pending count, highest logged + 1): no logged nonce reused."""
        logged = session.scalar(
            select(func.max(CrossTransaction.nonce)).where(
                CrossTransaction.chain == self.name, CrossTransaction.sender == sender.address
            )
        )
        pending = int(self.w3.eth.get_transaction_count(sender.account.address, "pending"))
        sender.next_nonce = max(pending, -1 if logged is None else logged + 1)

    def relayer(self, session: Session) -> Sender:
        """The relayer key with the fewest transactions in flight on this chain."""
        counts = dict(
            session.execute(
                select(CrossTransaction.sender, func.count())
                .where(
                    CrossTransaction.chain == self.name,
                    CrossTransaction.sender.in_(self.relayer_addresses),
                    CrossTransaction.state.in_(TX_OPEN),
                )
                .group_by(CrossTransaction.sender)
            )
            .tuples()
            .all()
        )
        return min(self.relayers, key=lambda r: counts.get(r.address, 0))

    def send(
        self,
        sessions: sessionmaker[Session],
        swap_id: int | None,
        action: str,
        call: ContractFunction,
        gas: int,
        relayed: bool = False,
    ) -> str:
        """Signs ``call`` with the bridge's key (``relayed``: a relayer key), stores it
        (committed), then broadcasts it; returns its hash."""
        with transaction(sessions) as session:
            sender = self.relayer(session) if relayed else self.bridge
            if sender.next_nonce is None:
                self.sync(session, sender)
            assert sender.next_nonce is not None
            tx = call.build_transaction(
                {  # type: ignore[arg-type]  # web3's TxParams wants Nonce/Wei NewTypes
                    "from": sender.address,
                    "gas": gas,
                    "gasPrice": self.gas_price,
                    "nonce": sender.next_nonce,
                    "chainId": self.chain_id,
                }
            )
            signed = sender.account.sign_transaction(dict(tx))  # type: ignore[arg-type]
            row = CrossTransaction(
                swap_id=swap_id,
                chain=self.name,
                action=action,
                sender=sender.address,
                nonce=sender.next_nonce,
                tx_hash="0x" + bytes(signed.hash).hex(),
                raw_tx="0x" + bytes(signed.raw_transaction).hex(),
                state=TX_SIGNED,
                created_at=time.time(),
            )
            session.add(row)
            sender.next_nonce += 1
        self._broadcast(sessions, row)
        log.info(
            "chain %s: %s for swap %s sent by %s (%s)",
            self.name,
            action,
            swap_id,
            sender.address,
            row.tx_hash,
        )
        return row.tx_hash

    def _broadcast(self, sessions: sessionmaker[Session], row: CrossTransaction) -> None:
        try:
            self.w3.eth.send_raw_transaction(HexStr(row.raw_tx))
        except Web3RPCError as error:
            text = str(error).lower()
            if "already" not in text and "known" not in text:
                sender = self._senders.get(row.sender)
                if "nonce too low" in text and sender is not None:  # the key was used elsewhere
                    sender.next_nonce = max(
                        sender.next_nonce or 0,
                        int(self.w3.eth.get_transaction_count(sender.account.address, "pending")),
                    )
                raise
        if row.state == TX_SIGNED:
            with transaction(sessions) as session:
                session.get(CrossTransaction, row.id).state = TX_SENT  # type: ignore[union-attr]
            row.state = TX_SENT

    # ── learning what became of what was sent ───────────────────────────────────────────────

    def reconcile(self, sessions: sessionmaker[Session], head: Head) -> None:
        """Every transaction not yet final: receipt → mined/reverted; receipt gone (reorg) or
        never seen → rebroadcast; nonce taken by another transaction → dropped."""
        with sessions() as session:
            rows = session.scalars(
                select(CrossTransaction).where(
                    CrossTransaction.chain == self.name,
                    CrossTransaction.sender.in_(list(self._senders)),
                    CrossTransaction.state.in_((*TX_OPEN, TX_MINED, TX_REVERTED)),
                    (CrossTransaction.block_number.is_(None))
                    | (CrossTransaction.block_number > head.final),
                )
            ).all()
        for row in rows:
            try:
                receipt = self.w3.eth.get_transaction_receipt(row.tx_hash)  # type: ignore[arg-type]
            except TransactionNotFound:
                receipt = None
            if receipt is not None and receipt.get("blockNumber") is not None:
                state = TX_MINED if receipt["status"] == 1 else TX_REVERTED
                self._update(sessions, row, state, int(receipt["blockNumber"]))
                continue
            mined_count = int(
                self.w3.eth.get_transaction_count(to_checksum_address(row.sender), "latest")
            )
            if mined_count > row.nonce:
                self._update(sessions, row, TX_DROPPED, None)
                continue
            if row.state in (TX_MINED, TX_REVERTED):  # its block was reorged away
                self._update(sessions, row, TX_SENT, None)
            if (
                row.state == TX_SIGNED
                or row.created_at < self._started
                or time.time() - row.created_at > REBROADCAST_AFTER
            ):
                try:
                    self._broadcast(sessions, row)
                except Web3RPCError as error:
                    log.warning(
                        "chain %s: rebroadcast of %s failed: %s", self.name, row.tx_hash, error
                    )

    def _update(
        self,
        sessions: sessionmaker[Session],
        row: CrossTransaction,
        state: str,
        block: int | None,
    ) -> None:
        if row.state == state and row.block_number == block:
            return
        with transaction(sessions) as session:
            stored = session.get(CrossTransaction, row.id)
            assert stored is not None
            stored.state, stored.block_number = state, block
        row.state, row.block_number = state, block

    def pending_action(self, session: Session, swap_id: int, action: str, head: Head) -> bool:
        """True while a transaction for this action is in flight or mined but not yet final."""
        found = session.scalar(
            select(func.count())
            .select_from(CrossTransaction)
            .where(
                CrossTransaction.swap_id == swap_id,
                CrossTransaction.chain == self.name,
                CrossTransaction.action == action,
                CrossTransaction.state.in_((*TX_OPEN, TX_MINED, TX_REVERTED)),
                (CrossTransaction.block_number.is_(None))
                | (CrossTransaction.block_number > head.final),
            )
        )
        return bool(found)

    def attempts(self, session: Session, swap_id: int, action: str) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(CrossTransaction)
                .where(
                    CrossTransaction.swap_id == swap_id,
                    CrossTransaction.chain == self.name,
                    CrossTransaction.action == action,
                )
            )
            or 0
        )
