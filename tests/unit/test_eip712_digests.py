"""The EIP-712 digests the relayer checks orders with are the standard's: the same hash
eth_account's typed-data encoder makes of the document a wallet is handed, and a signature of
it recovers its signer. (The contract's own orderDigest is tests/contracts/test_eip712.py.)"""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from hypothesis import given
from hypothesis import strategies as st

from tongdui.chain.eip712 import (
    Domain,
    SwapOrder,
    order_digest,
    recover_signer,
    sign_order,
    swap_order_typed_data,
)
from tongdui.chain.signature_rules import SECP256K1_N
from tongdui.core.config import ANVIL_KEYS

EXCHANGE = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
USER = Account.from_key(ANVIL_KEYS[4]).address
uint = st.integers(0, 2**256 - 1)
orders = st.builds(
    SwapOrder,
    owner=st.just(USER),
    from_token=st.just("0x" + "01" * 20),
    to_token=st.just("0x" + "02" * 20),
    amount_in=uint,
    min_amount_out=uint,
    nonce=uint,
    deadline=uint,
    counter=uint,
)


def _standard_digest(domain: Domain, order: SwapOrder) -> bytes:
    """keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash), as eth_account encodes it."""
    signable = encode_typed_data(full_message=swap_order_typed_data(domain, order))
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


@given(order=orders, chain_id=st.integers(1, 2**64))
def test_the_order_digest_is_the_typed_data_standards(order: SwapOrder, chain_id: int) -> None:
    domain = Domain(chain_id, EXCHANGE)
    assert order_digest(domain, order) == _standard_digest(domain, order)


def test_another_chain_or_exchange_gives_another_digest() -> None:
    order = SwapOrder(USER, "0x" + "01" * 20, "0x" + "02" * 20, 1_000, 0, 1, 2_000_000_000)
    digests = {
        order_digest(Domain(31337, EXCHANGE), order),
        order_digest(Domain(1, EXCHANGE), order),
        order_digest(Domain(31337, "0x" + "cd" * 20), order),
    }
    assert len(digests) == 3


def test_a_signed_order_recovers_its_owner() -> None:
    domain = Domain(31337, EXCHANGE)
    order = SwapOrder(USER, "0x" + "01" * 20, "0x" + "02" * 20, 1_000, 0, 1, 2_000_000_000)
    signature = sign_order(ANVIL_KEYS[4], domain, order)
    assert recover_signer(order_digest(domain, order), signature) == USER


def _eth_account_signer(message_digest: bytes, signature: bytes) -> str | None:
    try:
        return str(Account._recover_hash(message_digest, signature=signature))
    except Exception:
        return None


def _our_signer(message_digest: bytes, signature: bytes) -> str | None:
    try:
        return recover_signer(message_digest, signature)
    except Exception:
        return None


@given(
    key=st.integers(1, SECP256K1_N - 1),
    message_digest=st.binary(min_size=32, max_size=32),
    v_form=st.sampled_from(["27/28", "0/1"]),
)
def test_recovery_names_the_signer_eth_account_names(
    key: int, message_digest: bytes, v_form: str
) -> None:
    private = key.to_bytes(32, "big")
    signed = Account.unsafe_sign_hash(message_digest, private)
    signature = bytearray(signed.signature)
    if v_form == "0/1":
        signature[64] -= 27
    assert recover_signer(message_digest, bytes(signature)) == Account.from_key(private).address
    assert _our_signer(message_digest, bytes(signature)) == _eth_account_signer(
        message_digest, bytes(signature)
    )


@given(
    message_digest=st.binary(min_size=32, max_size=32),
    r=st.integers(0, 2**256 - 1),
    s=st.integers(0, 2**256 - 1),
    v=st.sampled_from([0, 1, 27, 28]),
)
def test_recovery_of_any_signature_agrees_with_eth_account_or_is_stricter(
    message_digest: bytes, r: int, s: int, v: int
) -> None:
    # with r and s in range both name the same signer, or both refuse (no point for r); out
    # of range only ours refuses (eth-account recovers a "signer" for r = 0, which the
    # contract's ECDSA refuses, as canonical_signature does before recovery ever runs)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([v])
    ours = _our_signer(message_digest, signature)
    if 0 < r < SECP256K1_N and 0 < s < SECP256K1_N:
        assert ours == _eth_account_signer(message_digest, signature)
    else:
        assert ours is None


def test_a_signature_that_names_no_key_is_refused() -> None:
    domain = Domain(31337, EXCHANGE)
    order = SwapOrder(USER, "0x" + "01" * 20, "0x" + "02" * 20, 1_000, 0, 1, 2_000_000_000)
    good = sign_order(ANVIL_KEYS[4], domain, order)
    message_digest = order_digest(domain, order)
    zero_r = bytes(32) + good[32:]
    big_s = good[:32] + SECP256K1_N.to_bytes(32, "big") + good[64:]
    for bad in (good[:64] + bytes([29]), zero_r, big_s, good[:64], good + b"\x00"):
        assert _our_signer(message_digest, bad) is None, bad.hex()
        assert _eth_account_signer(message_digest, bad) is None, bad.hex()


def test_an_order_with_an_address_of_another_length_cannot_be_hashed() -> None:
    order = SwapOrder(USER, "0x" + "01" * 19, "0x" + "02" * 20, 1_000, 0, 1, 2_000_000_000)
    with pytest.raises(ValueError, match="20-byte address"):
        order_digest(Domain(31337, EXCHANGE), order)
    with pytest.raises(OverflowError):
        order_digest(
            Domain(31337, EXCHANGE),
            SwapOrder(USER, "0x" + "01" * 20, "0x" + "02" * 20, -1, 0, 1, 2_000_000_000),
        )
