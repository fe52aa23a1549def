"""The database refuses an address of another shape than ``0x`` + 40 hex digits in every
address column of the index (migration 0102); the checksum is the audit's to check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tongdui.core.db import migrate

CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


@pytest.mark.parametrize(
    "bad",
    [
        CHECKSUMMED[2:],  # no 0x
        CHECKSUMMED + " ",  # padded
        CHECKSUMMED[:-1],  # too short
        CHECKSUMMED[:-1] + "g",  # not hex
        "0X" + CHECKSUMMED[2:],
    ],
)
def test_the_index_refuses_an_address_of_another_shape(tmp_path: Path, bad: str) -> None:
    db_file = tmp_path / "tongdui.db"
    migrate(f"sqlite:///{db_file}")
    with sqlite3.connect(db_file) as db:
        db.execute(
            "INSERT INTO balances (token, holder, amount) VALUES (?, ?, 1)",
            (CHECKSUMMED, CHECKSUMMED),
        )
        with pytest.raises(sqlite3.IntegrityError, match="ck_balances_holder_address"):
            db.execute(
                "INSERT INTO balances (token, holder, amount) VALUES (?, ?, 1)",
                (CHECKSUMMED, bad),
            )
        with pytest.raises(sqlite3.IntegrityError, match="ck_swap_users_owner_address"):
            db.execute(
                "INSERT INTO swap_users (token, owner, swaps) VALUES (?, ?, 1)",
                (CHECKSUMMED, bad),
            )
