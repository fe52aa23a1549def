"""Unordered nonces and the cancel-all counter: isNonceUsed, nonceBitmap, cancelNonces,
cancelNoncesWithSig, incrementCounter, incrementCounterWithSig, userState."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from brownie import ZERO_ADDRESS, chain, web3
from hexbytes import HexBytes

from tests.helpers import reverts_with
from tongdui.chain.eip712 import (
    CancelNonces,
    Domain,
    IncrementCounter,
    digest,
    recover_signer,
    sign_digest,
)


def _sign_cancel(user: Any, domain: Domain, request: CancelNonces) -> bytes:
    return sign_digest(user.private_key, digest(domain, request.struct_hash()))


def _settle_one(platform: Any, order: Any, signature: bytes, relayer: Any) -> Any:
    return platform.exchange.settle([order.as_tuple()], [signature], {"from": relayer})


def test_a_fresh_owner_has_no_nonce_used_and_a_zero_state(platform: Any, users: list[Any]) -> None:
    assert not platform.exchange.isNonceUsed(users[0], 0)
    assert platform.exchange.nonceBitmap(users[0], 0) == 0
    assert platform.exchange.userState(users[0]).dict() == {
        "counter": 0,
        "limitUpdatedAt": 0,
        "limitUsed": 0,
    }


def test_a_settled_order_sets_bit_nonce_mod_256_of_word_nonce_div_256(
    platform: Any, users: list[Any], make_order: Any, sign: Any, relayer: Any
) -> None:
    nonce = 3 * 256 + 9
    order = make_order(users[0], "SKYM", "BEAN", 1_000, nonce=nonce)

    _settle_one(platform, order, sign(users[0], order), relayer)

    assert platform.exchange.isNonceUsed(users[0], nonce)
    assert not platform.exchange.isNonceUsed(users[0], nonce + 1)
    assert not platform.exchange.isNonceUsed(users[1], nonce)
    assert platform.exchange.nonceBitmap(users[0], 3) == 1 << 9
    assert platform.exchange.nonceBitmap(users[0], 0) == 0


def test_cancel_nonces_voids_every_nonce_of_the_mask_for_the_caller_only(
    platform: Any, users: list[Any], make_order: Any, sign: Any, relayer: Any
) -> None:
    owner, other = users[0], users[2]
    mask = (1 << 0) | (1 << 7) | (1 << 255)

    tx = platform.exchange.cancelNonces(2, mask, {"from": owner})

    assert tx.events["NoncesCancelled"] == {"owner": owner, "word": 2, "mask": mask}
    assert platform.exchange.nonceBitmap(owner, 2) == mask
    assert [platform.exchange.isNonceUsed(owner, 512 + b) for b in (0, 7, 255, 1)] == [
        True,
        True,
        True,
        False,
    ]
    cancelled = make_order(owner, "SKYM", "BEAN", 1_000, nonce=512 + 7)
    with reverts_with("ExchangeNonceUsed", owner, 512 + 7):
        platform.exchange.swap(cancelled.as_tuple(), {"from": owner})
    # The same nonce of another owner is untouched.
    theirs = make_order(other, "FRESH", "SKYM", 1_000, nonce=512 + 7)
    assert _settle_one(platform, theirs, sign(other, theirs), relayer).return_value == 1


def test_cancel_nonces_adds_to_the_bits_already_set(
    platform: Any, users: list[Any], make_order: Any
) -> None:
    owner = users[0]
    order = make_order(owner, "SKYM", "BEAN", 1_000, nonce=1)
    platform.exchange.swap(order.as_tuple(), {"from": owner})

    platform.exchange.cancelNonces(0, 0b1100, {"from": owner})
    platform.exchange.cancelNonces(0, 0b0100, {"from": owner})

    assert platform.exchange.nonceBitmap(owner, 0) == 0b1110


def test_cancel_nonces_with_sig_voids_nonces_for_the_signer_whoever_submits(
    platform: Any,
    users: list[Any],
    domain: Domain,
    make_order: Any,
    sign: Any,
    relayer: Any,
) -> None:
    owner = users[0]
    order = make_order(owner, "SKYM", "BEAN", 1_000, nonce=300)
    request = CancelNonces(owner.address, 300 >> 8, 1 << (300 & 0xFF), chain.time() + 600)

    tx = platform.exchange.cancelNoncesWithSig(
        request.as_tuple(), _sign_cancel(owner, domain, request), {"from": relayer}
    )

    assert tx.events["NoncesCancelled"] == {"owner": owner, "word": 1, "mask": 1 << 44}
    assert platform.exchange.isNonceUsed(owner, 300)
    rejected = _settle_one(platform, order, sign(owner, order), relayer)
    assert rejected.return_value == 0
    assert HexBytes(rejected.events["OrderRejected"]["reason"]) == HexBytes(
        web3.keccak(text="ExchangeNonceUsed(address,uint256)")[:4]
    )


def test_cancel_nonces_with_sig_reverts_if_expired(
    platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    deadline = chain[-1].timestamp - 60  # the chain's clock (bad_orders.expired says why)
    request = CancelNonces(users[0].address, 0, 1, deadline)

    with reverts_with("ExchangeOrderExpired", deadline):
        platform.exchange.cancelNoncesWithSig(
            request.as_tuple(), _sign_cancel(users[0], domain, request), {"from": relayer}
        )


def test_cancel_nonces_with_sig_reverts_if_signed_by_another_account(
    platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    owner, intruder = users[0], users[1]
    request = CancelNonces(owner.address, 0, 1, chain.time() + 600)

    with reverts_with("ExchangeInvalidSigner", intruder, owner):
        platform.exchange.cancelNoncesWithSig(
            request.as_tuple(), _sign_cancel(intruder, domain, request), {"from": intruder}
        )


def test_cancel_nonces_with_sig_reverts_on_a_malformed_signature(
    platform: Any, users: list[Any], relayer: Any
) -> None:
    request = CancelNonces(users[0].address, 0, 1, chain.time() + 600)

    with reverts_with("ExchangeInvalidSigner", ZERO_ADDRESS, users[0]):
        platform.exchange.cancelNoncesWithSig(request.as_tuple(), b"\x00" * 65, {"from": relayer})


@pytest.mark.parametrize("field", ["word", "mask", "deadline"])
def test_cancel_nonces_with_sig_reverts_if_a_signed_field_is_changed(
    field: str, platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    signed = CancelNonces(owner.address, 0, 1, chain.time() + 600)
    signature = _sign_cancel(owner, domain, signed)
    tampered = replace(signed, **{field: getattr(signed, field) + 1})
    recovered = recover_signer(digest(domain, tampered.struct_hash()), signature)

    with reverts_with("ExchangeInvalidSigner", recovered, owner):
        platform.exchange.cancelNoncesWithSig(tampered.as_tuple(), signature, {"from": relayer})
    assert platform.exchange.nonceBitmap(owner, tampered.word) == 0


def test_increment_counter_returns_and_records_the_new_counter(
    platform: Any, users: list[Any]
) -> None:
    first = platform.exchange.incrementCounter({"from": users[0]})
    second = platform.exchange.incrementCounter({"from": users[0]})

    assert (first.return_value, second.return_value) == (1, 2)
    assert second.events["CounterIncremented"] == {"owner": users[0], "counter": 2}
    assert platform.exchange.userState(users[0])["counter"] == 2
    assert platform.exchange.userState(users[1])["counter"] == 0


def test_increment_counter_voids_every_order_signed_before(
    platform: Any, users: list[Any], make_order: Any, sign: Any, relayer: Any
) -> None:
    owner = users[0]
    old_orders = [make_order(owner, "SKYM", "BEAN", 1_000) for _ in range(2)]
    signatures = [sign(owner, order) for order in old_orders]

    platform.exchange.incrementCounter({"from": owner})

    tx = platform.exchange.settle([o.as_tuple() for o in old_orders], signatures, {"from": relayer})
    assert tx.return_value == 0
    assert len(tx.events["OrderRejected"]) == 2
    with reverts_with("ExchangeOrderCancelled", owner, 1):
        platform.exchange.swap(old_orders[0].as_tuple(), {"from": owner})
    # Orders signed with the new counter settle, even with a nonce an old order had.
    renewed = make_order(owner, "SKYM", "BEAN", 1_000, nonce=old_orders[0].nonce, counter=1)
    assert _settle_one(platform, renewed, sign(owner, renewed), relayer).return_value == 1


# ─── incrementCounterWithSig: a cancel-all for users who never pay gas ──────────────────────


def _sign_cancel_all(user: Any, domain: Domain, request: IncrementCounter) -> bytes:
    return sign_digest(user.private_key, digest(domain, request.struct_hash()))


def test_increment_counter_with_sig_voids_the_signers_orders_whoever_submits(
    platform: Any, users: list[Any], make_order: Any, sign: Any, domain: Domain, relayer: Any
) -> None:
    owner = users[0]
    old = make_order(owner, "SKYM", "BEAN", 1_000)
    request = IncrementCounter(owner.address, 0, chain.time() + 600)

    tx = platform.exchange.incrementCounterWithSig(
        request.as_tuple(), _sign_cancel_all(owner, domain, request), {"from": relayer}
    )

    assert tx.return_value == 1
    assert tx.events["CounterIncremented"] == {"owner": owner, "counter": 1}
    assert _settle_one(platform, old, sign(owner, old), relayer).return_value == 0


def test_replayed_cancel_all_signature_cannot_void_orders_signed_after_it(
    platform: Any, users: list[Any], make_order: Any, sign: Any, domain: Domain, relayer: Any
) -> None:
    # The attack: a relayer keeps the user's signed cancel-all and replays it later, voiding
    # the orders the user signed since. The request names the counter it bumps, so no.
    owner = users[0]
    request = IncrementCounter(owner.address, 0, chain.time() + 600)
    signature = _sign_cancel_all(owner, domain, request)
    platform.exchange.incrementCounterWithSig(request.as_tuple(), signature, {"from": relayer})
    renewed = make_order(owner, "SKYM", "BEAN", 1_000, counter=1)

    with reverts_with("ExchangeCounterMismatch", owner, 1, 0):
        platform.exchange.incrementCounterWithSig(request.as_tuple(), signature, {"from": relayer})
    assert _settle_one(platform, renewed, sign(owner, renewed), relayer).return_value == 1


def test_increment_counter_with_sig_reverts_if_expired(
    platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    request = IncrementCounter(users[0].address, 0, chain[-1].timestamp - 60)

    with reverts_with("ExchangeOrderExpired", request.deadline):
        platform.exchange.incrementCounterWithSig(
            request.as_tuple(), _sign_cancel_all(users[0], domain, request), {"from": relayer}
        )


def test_increment_counter_with_sig_reverts_if_signed_by_another_account(
    platform: Any, users: list[Any], domain: Domain, relayer: Any
) -> None:
    request = IncrementCounter(users[0].address, 0, chain.time() + 600)

    with reverts_with("ExchangeInvalidSigner", users[1], users[0]):
        platform.exchange.incrementCounterWithSig(
            request.as_tuple(), _sign_cancel_all(users[1], domain, request), {"from": relayer}
        )
    assert platform.exchange.userState(users[0])["counter"] == 0


def test_increment_counter_with_sig_reverts_on_a_malformed_signature(
    platform: Any, users: list[Any], relayer: Any
) -> None:
    request = IncrementCounter(users[0].address, 0, chain.time() + 600)

    with reverts_with("ExchangeInvalidSigner", ZERO_ADDRESS, users[0]):
        platform.exchange.incrementCounterWithSig(
            request.as_tuple(), b"\x00" * 65, {"from": relayer}
        )
