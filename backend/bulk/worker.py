"""Sending a bulk job's rows as pipelined ``issue`` transactions, exactly once per row.

PointsToken has no batch issue (and must not grow one: the registry embeds its creation code
near the size limit), so a chunk of rows is signed with consecutive nonces of the merchant's
operator key, written ``sent`` (hash, nonce, raw transaction) and committed, and only then
broadcast; the receipts are collected after the whole chunk is out, so the node mines the chunk
while we wait for none of it one by one.

Why it never issues a row twice: a row is only ever signed while ``pending``; once ``sent`` it
keeps its one signed transaction. On restart (``recover``) each ``sent`` row is settled by the
chain: mined → ``issued``/``failed``; still in the node's pool → waited for; unknown and its nonce
not yet used → the *same* raw transaction is broadcast again (same nonce, same hash: it can mine
at most once); unknown and its nonce used by another transaction → it can never mine, so it goes
back to ``pending`` and is signed afresh.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from hexbytes import HexBytes
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from web3.exceptions import TransactionNotFound
from web3.types import TxReceipt

from ..chain.client import Platform
from ..chain.transactions import Signer
from ..core.errors import ContractRevertError
from ..merchant.actions import known_transaction
from ..merchant.operators import MerchantOperators, sent
from ..query.chain import market
from .models import FAILED, ISSUED, JOB_DONE, JOB_RUNNING, PENDING, SENT, BulkJob, BulkRow

CHUNK = 200
RECEIPT_TIMEOUT = 120.0


class BulkWorker:
    """Runs bulk jobs; ``on_broadcast(row_id)`` is called after each broadcast (tests use it
    to stop the worker at the worst moment)."""

    def __init__(
        self,
        platform: Platform,
        operators: MerchantOperators,
        sessions: sessionmaker[Session],
        chunk: int = CHUNK,
        on_broadcast: Callable[[int], None] | None = None,
    ) -> None:
        self.platform = platform
        self.operators = operators
        self.sessions = sessions
        self.chunk = chunk
        self.on_broadcast = on_broadcast

    def run_pending_jobs(self, stop: threading.Event | None = None) -> int:
        """One pass of the runner loop: every unfinished job to its end (or until ``stop``:
        the rest resumes on the next start). Returns jobs run."""
        with self.sessions() as session:
            ids = list(session.scalars(select(BulkJob.id).where(BulkJob.state == JOB_RUNNING)))
        for job_id in ids:
            self.run(job_id, stop)
        return len(ids)

    def loop(self, stop: threading.Event, interval: float = 1.0) -> None:
        """The runner's loop: picks up uploaded jobs, and after a restart the unfinished ones."""
        while not stop.is_set():
            self.run_pending_jobs(stop)
            stop.wait(interval)

    def run(self, job_id: int, stop: threading.Event | None = None) -> None:
        with self.sessions() as session:
            job = session.get(BulkJob, job_id)
            if job is None or job.state == JOB_DONE:
                return
            admin = str(market(self.platform, job.merchant_token)["admin"])
            self.recover(session, job, admin)
            while stop is None or not stop.is_set():
                rows = list(
                    session.scalars(
                        select(BulkRow)
                        .where(BulkRow.job_id == job.id, BulkRow.state == PENDING)
                        .order_by(BulkRow.id)
                        .limit(self.chunk)
                    )
                )
                if not rows:
                    job.state, job.finished_at = JOB_DONE, datetime.now(UTC)
                    session.commit()
                    return
                self._send_chunk(session, job, admin, rows)

    def _send_chunk(self, session: Session, job: BulkJob, admin: str, rows: list[BulkRow]) -> None:
        points = self.platform.points_token(job.merchant_token)

        def sign_and_send(signer: Signer) -> list[BulkRow]:
            signed: list[BulkRow] = []
            for row in rows:
                try:
                    raw, tx_hash, nonce = signer.sign_call(
                        points.functions.issue(row.address, row.amount)
                    )
                except ContractRevertError as refused:
                    row.state, row.error_code = FAILED, str(refused.code)
                    row.error = refused.message[:300]
                    continue
                row.state, row.tx_hash, row.nonce = SENT, sent(tx_hash), nonce
                row.raw_tx = "0x" + bytes(raw).hex()
                signed.append(row)
            session.commit()  # the write-ahead: every signed row is known before it is sent
            for row in signed:
                self._broadcast(row)
            return signed

        signed = self.operators.send(admin, sign_and_send)
        self._settle(session, signed)

    def _broadcast(self, row: BulkRow) -> None:
        assert row.raw_tx is not None
        self.platform.w3.eth.send_raw_transaction(HexBytes(row.raw_tx))
        if self.on_broadcast is not None:
            self.on_broadcast(row.id)

    def _settle(self, session: Session, rows: list[BulkRow]) -> None:
        w3 = self.platform.w3
        for row in rows:
            found = w3.eth.wait_for_transaction_receipt(
                HexBytes(str(row.tx_hash)), timeout=RECEIPT_TIMEOUT, poll_latency=0.05
            )
            self._mark(row, found)
        session.commit()

    @staticmethod
    def _mark(row: BulkRow, found: TxReceipt) -> None:
        row.block_number = int(found["blockNumber"])
        if found["status"] == 1:
            row.state = ISSUED
        else:
            row.state, row.error_code = FAILED, "TRANSACTION_REVERTED"
            row.error = f"the issue transaction reverted in block {row.block_number}"
        row.raw_tx = None

    def recover(self, session: Session, job: BulkJob, admin: str) -> None:
        """Settles the ``sent`` rows a crash left behind (see the module docstring)."""
        rows = list(
            session.scalars(
                select(BulkRow)
                .where(BulkRow.job_id == job.id, BulkRow.state == SENT)
                .order_by(BulkRow.nonce)
            )
        )
        if not rows:
            return
        w3 = self.platform.w3

        def settle(signer: Signer) -> list[BulkRow]:
            used = int(w3.eth.get_transaction_count(signer.address, "latest"))
            waiting: list[BulkRow] = []
            for row in rows:
                try:
                    self._mark(row, w3.eth.get_transaction_receipt(HexBytes(str(row.tx_hash))))
                    continue
                except TransactionNotFound:
                    pass
                if known_transaction(self.platform, str(row.tx_hash)):
                    waiting.append(row)
                elif row.nonce is not None and row.nonce < used:
                    row.state, row.tx_hash, row.nonce, row.raw_tx = PENDING, None, None, None
                else:
                    self._broadcast(row)
                    waiting.append(row)
            session.commit()
            return waiting

        self._settle(session, self.operators.send(admin, settle))
