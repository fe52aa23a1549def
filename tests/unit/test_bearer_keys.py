"""The key lifecycle merchant and consortium keys share (``core.bearer_keys``), on an
in-memory SQLite table: only the hash is stored, a key is found by its prefix before its id
(a hex prefix may be all digits), revoking keeps the first time, and a presented key is
refused 401 with the kind's own sentence when malformed, unknown or revoked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tongdui.core import bearer_keys
from tongdui.core.errors import AuthError
from tongdui.merchant.keys import REFUSALS
from tongdui.merchant.models import ApiKey

TOKEN = "0x" + "a1" * 20


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    ApiKey.__table__.create(engine)  # type: ignore[attr-defined]
    with Session(engine) as s:
        yield s


def store(session: Session, prefix: str | None = None) -> tuple[ApiKey, str]:
    key = bearer_keys.mint("tdk")
    plaintext = key.plaintext if prefix is None else key.plaintext.replace(key.prefix, prefix, 1)
    row = ApiKey(
        merchant_token=TOKEN,
        prefix=prefix or key.prefix,
        key_hash=bearer_keys.hash_key(plaintext),
        scopes="read",
        label="",
        created_at=datetime.now(UTC),
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    return row, plaintext


def test_a_minted_key_is_stored_only_as_its_hash(session: Session) -> None:
    row, plaintext = store(session)
    assert plaintext.startswith(f"tdk_{row.prefix}_") and len(row.prefix) == 12
    assert plaintext not in (row.key_hash, row.prefix)
    assert bearer_keys.authenticate(session, ApiKey, "tdk", plaintext, REFUSALS) is row


def test_an_all_digit_prefix_with_a_leading_zero_is_found_by_its_prefix_not_taken_for_an_id(
    session: Session,
) -> None:
    store(session)
    row, _ = store(session, prefix="012345678901")
    assert bearer_keys.find(session, ApiKey, "012345678901") is row
    assert bearer_keys.find(session, ApiKey, "1") is not None  # an id still works
    assert bearer_keys.find(session, ApiKey, "999") is None


def test_revoking_twice_keeps_the_first_time_and_the_key_then_answers_revoked(
    session: Session,
) -> None:
    row, plaintext = store(session)
    bearer_keys.revoke(session, row)
    first = row.revoked_at
    bearer_keys.revoke(session, row)
    assert row.revoked_at == first
    with pytest.raises(AuthError) as refused:
        bearer_keys.authenticate(session, ApiKey, "tdk", plaintext, REFUSALS)
    assert refused.value.details["reason"] == "revoked"
    assert row.prefix in str(refused.value)


@pytest.mark.parametrize(
    ("presented", "reason"),
    [("not-a-key", "malformed"), ("tdc_abc_def", "malformed"), ("tdk_abc_def", "unknown")],
)
def test_a_malformed_or_unknown_key_is_refused_with_its_reason(
    session: Session, presented: str, reason: str
) -> None:
    store(session)
    with pytest.raises(AuthError) as refused:
        bearer_keys.authenticate(session, ApiKey, "tdk", presented, REFUSALS)
    assert refused.value.details["reason"] == reason


def test_a_key_with_the_right_prefix_but_another_secret_is_unknown(session: Session) -> None:
    _, plaintext = store(session)
    with pytest.raises(AuthError) as refused:
        bearer_keys.authenticate(session, ApiKey, "tdk", plaintext[:-2] + "xx", REFUSALS)
    assert refused.value.details["reason"] == "unknown"
