"""A database made before the log stored each transaction's gas limit gets it on upgrade.

Why it matters: the key pool's in-flight budget sums that column; a transaction still in
flight across the upgrade with no value there would hold no room, and the pool could send
more than the next blocks hold.
"""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from eth_account import Account
from sqlalchemy import create_engine, text

from tongdui.core.db import alembic_config, migrate

KEY = "0x" + "11" * 32


def signed_raw(nonce: int, gas: int) -> tuple[str, str]:
    tx = {"chainId": 31337, "nonce": nonce, "gasPrice": 1, "gas": gas, "to": "0x" + "22" * 20}
    signed = Account.from_key(KEY).sign_transaction({**tx, "value": 0, "data": b""})
    return "0x" + bytes(signed.raw_transaction).hex(), "0x" + bytes(signed.hash).hex()


def test_an_in_flight_transaction_logged_before_the_gas_column_gets_its_limit_from_its_raw_bytes(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "relayer_0001")
    engine = create_engine(url)
    rows = [("sent", *signed_raw(0, 1_234_567)), ("mined", *signed_raw(1, 290_000))]
    with engine.begin() as connection:
        for state, raw, tx_hash in rows:
            connection.execute(
                text(
                    "INSERT INTO relayer_transactions (kind, sender, nonce, tx_hash, raw_tx, "
                    "state, created_at) VALUES ('settle', :sender, 0, :hash, :raw, :state, :now)"
                ),
                {
                    "sender": Account.from_key(KEY).address,
                    "hash": tx_hash,
                    "raw": raw,
                    "state": state,
                    "now": time.time(),
                },
            )
    migrate(url)
    with engine.connect() as connection:
        limits = connection.execute(
            text("SELECT state, gas_limit FROM relayer_transactions ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in limits] == [("sent", 1_234_567), ("mined", None)]
