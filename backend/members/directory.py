"""Link, resolve and erase a merchant's member ids.

Why HMAC with a secret and not a plain salted hash: member ids are short and guessable (phone
numbers, card numbers, counters), so anyone holding the table and a public salt could hash every
candidate id and reverse it. The key is a per-installation secret (``pepper``, kept in the data
folder, never in the database) mixed with the merchant's token into a per-merchant key, so a
leaked table alone cannot be reversed and one merchant's hashes say nothing about another's.

Nothing here touches the chain: a link is an off-chain fact, and erasing it leaves the chain's
history (the points issued to the address) intact — the address is not personal data we hold
once the link to the member is gone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, delete, select, text
from sqlalchemy.orm import Session
from web3 import Web3

from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError
from .models import MemberErasure, MemberLink

MAX_MEMBER_ID = 128
PEPPER_FILE = "member_pepper"


class MemberIdInvalidError(TongduiError, ValueError):
    code = ErrorCode.MEMBER_ID_INVALID


class MemberNotLinkedError(TongduiError, LookupError):
    code = ErrorCode.MEMBER_NOT_LINKED


def load_pepper(data_dir: Path) -> bytes:
    """The installation's secret (32 random bytes), created on first use, readable by us only."""
    path = data_dir / PEPPER_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def check_member_id(member_id: str) -> str:
    cleaned = member_id.strip()
    if not cleaned or len(cleaned) > MAX_MEMBER_ID:
        raise MemberIdInvalidError(
            f"a member id must be 1 to {MAX_MEMBER_ID} characters; send your CRM's id as text",
            length=len(cleaned),
        )
    return cleaned


class MemberDirectory:
    """The member links of one merchant (``token``) in one database session."""

    def __init__(self, session: Session, pepper: bytes, token: str) -> None:
        self.session = session
        self.token = Web3.to_checksum_address(token)
        self._key = hmac.new(pepper, self.token.lower().encode(), hashlib.sha256).digest()

    def member_hash(self, member_id: str) -> str:
        member = check_member_id(member_id).encode()
        return hmac.new(self._key, member, hashlib.sha256).hexdigest()

    def _row(self, member_id: str) -> MemberLink | None:
        return self.session.scalar(
            select(MemberLink).where(
                MemberLink.merchant_token == self.token,
                MemberLink.member_hash == self.member_hash(member_id),
            )
        )

    def link(self, member_id: str, address: str) -> MemberLink:
        """Links (or re-links) the member to ``address``; commits."""
        wallet = Web3.to_checksum_address(address)
        row = self._row(member_id)
        if row is None:
            row = MemberLink(
                merchant_token=self.token,
                member_hash=self.member_hash(member_id),
                address=wallet,
                linked_at=datetime.now(UTC),
            )
            self.session.add(row)
        else:
            row.address, row.linked_at = wallet, datetime.now(UTC)
        self.session.commit()
        return row

    def resolve(self, member_id: str) -> str:
        """The member's wallet address; ``MemberNotLinkedError`` if none (never or erased)."""
        row = self._row(member_id)
        if row is None:
            raise MemberNotLinkedError(
                "no wallet is linked to this member id (it was never linked, or it was "
                "erased on request): link the member's wallet address first"
            )
        return row.address

    def erase(self, member_id: str) -> int:
        """Deletes the member's link and logs the erasure (without the id); commits. The
        chain is not touched. Returns the number of links erased (0 or 1)."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(text("PRAGMA secure_delete = ON"))
        result: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            delete(MemberLink).where(
                MemberLink.merchant_token == self.token,
                MemberLink.member_hash == self.member_hash(member_id),
            )
        )
        erased = result.rowcount
        self.session.add(
            MemberErasure(
                merchant_token=self.token, erased_at=datetime.now(UTC), links_erased=erased
            )
        )
        self.session.commit()
        self._scrub()
        return int(erased)

    def _scrub(self) -> None:
        """SQLite keeps a deleted row's bytes in free pages and in the write-ahead log until
        they are reused: with ``secure_delete`` on (set before the delete) they are zeroed,
        and a checkpoint that truncates the log drops the old page copies. Best effort: a
        reader holding an old snapshot can delay the truncation to the next checkpoint."""
        if self.session.get_bind().dialect.name == "sqlite":
            self.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            self.session.commit()
