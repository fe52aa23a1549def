"""Intake takes exactly the signatures OpenZeppelin's ECDSA takes: v of 0/1 is normalised to
27/28, a high s, another v, r or s out of range, bad hex or length are INVALID_SIGNATURE."""

from __future__ import annotations

import pytest

from tongdui.chain.eip712 import recover_signer, sign_digest
from tongdui.chain.signature_rules import SECP256K1_N, canonical_hex, canonical_signature
from tongdui.core.config import ANVIL_KEYS
from tongdui.core.errors import ValidationError

DIGEST = bytes(range(32))
SIGNED = sign_digest(ANVIL_KEYS[4], DIGEST)


def _with(r: int | None = None, s: int | None = None, v: int | None = None) -> bytes:
    parts = [SIGNED[:32], SIGNED[32:64], SIGNED[64:]]
    if r is not None:
        parts[0] = r.to_bytes(32, "big")
    if s is not None:
        parts[1] = s.to_bytes(32, "big")
    if v is not None:
        parts[2] = bytes([v])
    return b"".join(parts)


def _problem(signature: str | bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        canonical_signature(signature)
    assert refused.value.code == "INVALID_SIGNATURE" and refused.value.status == 400
    return str(refused.value.details["problem"])


def test_a_wallets_signature_is_taken_unchanged_as_bytes_or_hex() -> None:
    assert canonical_signature(SIGNED) == SIGNED
    assert canonical_hex("0x" + SIGNED.hex().upper()) == "0x" + SIGNED.hex()


def test_v_of_zero_or_one_becomes_27_or_28_and_recovers_the_same_signer() -> None:
    normalised = canonical_signature(_with(v=SIGNED[64] - 27))
    assert normalised == SIGNED
    assert recover_signer(DIGEST, normalised) == recover_signer(DIGEST, SIGNED)


def test_the_high_s_twin_of_a_signature_is_refused() -> None:
    s = int.from_bytes(SIGNED[32:64], "big")
    assert _problem(_with(s=SECP256K1_N - s, v=55 - SIGNED[64])) == "high_s"


@pytest.mark.parametrize("v", [2, 26, 29, 37])
def test_any_other_v_is_refused(v: int) -> None:
    assert _problem(_with(v=v)) == "v"


@pytest.mark.parametrize(("r", "s"), [(0, 1), (1, 0), (SECP256K1_N, 1)])
def test_r_or_s_out_of_range_is_refused(r: int, s: int) -> None:
    assert _problem(_with(r=r, s=s)) == "range"


def test_not_hex_or_not_65_bytes_is_refused() -> None:
    assert _problem("0xzz") == "hex"
    assert _problem(SIGNED[:64]) == "length"
    assert _problem("0x" + SIGNED.hex() + "00") == "length"
