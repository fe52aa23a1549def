"""The relayer's write-ahead log of transactions: a signed transaction is stored before it is
broadcast, so a process killed between the two re-sends the same bytes on restart (and never
signs a second transaction for the same work).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from hexbytes import HexBytes
from sqlalchemy import update
from web3 import Web3
from web3.exceptions import Web3RPCError

from ..core.db import transaction
from ..services import Services
from .chain_facts import CHAIN_DOWN
from .keys import KeyPool, SignedTx
from .models import (
    TX_IN_FLIGHT,
    TX_SENT,
    TX_SIGNED,
    RelayerTransaction,
)

log = logging.getLogger("tongdui.relayer")


def log_tx(session: Any, kind: str, signed: SignedTx) -> RelayerTransaction:
    row = RelayerTransaction(
        kind=kind,
        sender=signed.sender,
        nonce=signed.nonce,
        tx_hash=signed.tx_hash,
        raw_tx=signed.raw,
        gas_limit=signed.gas,
        state=TX_SIGNED,
        created_at=time.time(),
    )
    session.add(row)
    session.flush()
    return row


class Broadcaster:
    """Sends logged transactions and marks them sent."""

    def __init__(self, services: Services, w3: Web3, pool: KeyPool) -> None:
        self.services = services
        self.w3 = w3
        self.pool = pool

    def broadcast(self, tx_id: int) -> bool:
        """Sends a logged transaction; True if the node has it (now or already)."""
        with self.services.sessions() as session:
            tx = session.get(RelayerTransaction, tx_id)
            assert tx is not None
            raw, sender, state = tx.raw_tx, tx.sender, tx.state
        if state not in TX_IN_FLIGHT:
            return False
        try:
            self.w3.eth.send_raw_transaction(HexBytes(raw))
        except CHAIN_DOWN:
            log.warning("node unreachable: transaction %d stays logged for rebroadcast", tx_id)
            return False
        except (Web3RPCError, ValueError) as error:
            text = str(error).lower()
            if "nonce too low" in text:
                self.pool.resync(sender)  # reconcile decides: mined, or taken by another tx
            elif "already known" not in text and "known transaction" not in text:
                log.error("node refused transaction %d: %s", tx_id, error)
                return False
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerTransaction)
                .where(RelayerTransaction.id == tx_id, RelayerTransaction.state.in_(TX_IN_FLIGHT))
                .values(state=TX_SENT, sent_at=time.time())
            )
        return True
