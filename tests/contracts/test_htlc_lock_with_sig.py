"""HashedTimelock.lockWithSig: the gasless lock a relayer submits for a user, and every
signature the contract refuses (replay, forgery, tampering, expiry, another contract)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brownie import HashedTimelock, accounts, chain
from eth_account import Account
from eth_account.messages import encode_typed_data
from hexbytes import HexBytes

from tests.contracts.conftest import HTLC_MARGIN, HTLC_MAX_LOCK, HTLC_MIN_LOCK
from tests.contracts.htlc_helpers import (
    HASHLOCK,
    domain_of,
    pass_timelock,
    permit_signature,
    reverts_with_now,
    signed_lock_args,
    split,
    terms,
)
from tests.helpers import reverts_with
from tongdui.chain.htlc_eip712 import (
    LOCK_TYPEHASH,
    lock_digest,
    lock_id,
    lock_typed_data,
    sign_lock,
)


def test_the_python_lock_type_hashes_as_the_contracts(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any
) -> None:
    lock = terms(tokens["SKYM"], users[0], bridge, amount=1_234, counterpart=99)
    deadline = chain.time() + 600

    assert HexBytes(htlc.lockTypehash()) == LOCK_TYPEHASH
    assert HexBytes(htlc.DOMAIN_SEPARATOR()) == domain_of(htlc).separator()
    assert HexBytes(htlc.lockDigest(lock.as_tuple(), deadline)) == lock_digest(
        domain_of(htlc), lock, deadline
    )
    assert HexBytes(htlc.computeLockId(lock.as_tuple())) == lock_id(chain.id, htlc.address, lock)


def test_a_wallet_signing_the_lock_typed_data_signs_the_same_digest(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any
) -> None:
    """What the page hands to eth_signTypedData_v4 hashes as the hand-written digest."""
    lock = terms(tokens["SKYM"], users[0], bridge, amount=2**70, counterpart=2**63)
    deadline = chain.time() + 600
    typed = lock_typed_data(domain_of(htlc), lock, deadline)

    by_wallet = Account.sign_message(encode_typed_data(full_message=typed), users[0].private_key)

    assert bytes(by_wallet.signature) == sign_lock(
        users[0].private_key, domain_of(htlc), lock, deadline
    )


def test_a_relayer_locks_a_users_points_by_signature_and_permit(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    """The user sends nothing: its Lock signature and its permit are all the relayer needs."""
    skym, user = tokens["SKYM"], users[0]
    lock = terms(skym, user, bridge, amount=500)
    nonce_before = user.nonce

    tx = htlc.lockWithSig(*signed_lock_args(htlc, skym, lock, user), {"from": relayer})

    assert tx.events["HtlcLocked"]["sender"] == user.address
    assert HexBytes(tx.return_value) == lock_id(chain.id, htlc.address, lock)
    assert skym.balanceOf(htlc) == 500
    assert skym.balanceOf(user) == 49_500
    assert user.nonce == nonce_before


def test_replaying_a_signed_lock_is_refused(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    skym, user = tokens["SKYM"], users[0]
    args = signed_lock_args(htlc, skym, terms(skym, user, bridge, amount=500), user)
    htlc.lockWithSig(*args, {"from": relayer})
    skym.approve(htlc, 10_000, {"from": user})  # even with allowance to spare

    with reverts_with("HtlcHashlockUsed", user, HASHLOCK):
        htlc.lockWithSig(*args, {"from": relayer})


def test_a_lock_signed_by_another_key_is_refused(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    """Forgery: a thief signs a lock of the victim's points to itself."""
    skym, victim, thief = tokens["SKYM"], users[0], users[1]
    lock = terms(skym, victim, thief, amount=500)
    skym.approve(htlc, 500, {"from": victim})
    deadline = chain.time() + 600
    forged = sign_lock(thief.private_key, domain_of(htlc), lock, deadline)

    with reverts_with("HtlcInvalidSigner", thief, victim):
        htlc.lockWithSig(lock.as_tuple(), deadline, forged, 0, 0, bytes(32), bytes(32),
                         {"from": relayer})  # fmt: skip


def test_a_signed_lock_with_a_changed_receiver_is_refused(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    """Tampering: the relayer redirects a signed lock to itself; the signature then recovers
    to some other address, never the user."""
    skym, user = tokens["SKYM"], users[0]
    lock = terms(skym, user, bridge, amount=500)
    _, deadline, signature, *permit = signed_lock_args(htlc, skym, lock, user)
    tampered = replace(lock, receiver=relayer.address).as_tuple()

    with reverts_with("HtlcInvalidSigner", _recovered(htlc, tampered, deadline, signature), user):
        htlc.lockWithSig(tampered, deadline, signature, *permit, {"from": relayer})


def test_a_malformed_signature_is_refused(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    skym, user = tokens["SKYM"], users[0]
    lock, deadline, _, *permit = signed_lock_args(
        htlc, skym, terms(skym, user, bridge, amount=500), user
    )

    with reverts_with("HtlcInvalidSigner", "0x" + "00" * 20, user):
        htlc.lockWithSig(lock, deadline, b"\x01" * 64, *permit, {"from": relayer})


def test_an_expired_lock_signature_is_refused(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    skym, user = tokens["SKYM"], users[0]
    lock = terms(skym, user, bridge, amount=500, duration=7_200)
    deadline = chain.time() + 60
    signature = sign_lock(user.private_key, domain_of(htlc), lock, deadline)
    skym.approve(htlc, 500, {"from": user})
    pass_timelock(deadline)

    with reverts_with_now("HtlcSignatureExpired", deadline, now_at_least=deadline + 1):
        htlc.lockWithSig(lock.as_tuple(), deadline, signature, 0, 0, bytes(32), bytes(32),
                         {"from": relayer})  # fmt: skip


def test_a_front_run_permit_leaves_the_signed_lock_working(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    """Someone copies the permit from the pending lockWithSig and submits it first: the
    permit inside then fails on its used nonce, and the lock goes through on the allowance
    the copied permit set."""
    skym, user = tokens["SKYM"], users[0]
    args = signed_lock_args(htlc, skym, terms(skym, user, bridge, amount=500), user)
    _, _, _, permit_deadline, v, r, s = args
    skym.permit(user, htlc, 500, permit_deadline, v, r, s, {"from": users[2]})

    tx = htlc.lockWithSig(*args, {"from": relayer})

    assert tx.events["HtlcLocked"]["amount"] == 500
    assert skym.allowance(user, htlc) == 0


def test_a_signed_lock_without_a_permit_or_an_allowance_is_refused_by_the_token(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    skym, user = tokens["SKYM"], users[0]
    args = signed_lock_args(htlc, skym, terms(skym, user, bridge, amount=500), user, permit=False)

    with reverts_with("ERC20InsufficientAllowance", htlc, 0, 500):
        htlc.lockWithSig(*args, {"from": relayer})


def test_a_permit_for_less_than_the_lock_is_refused_by_the_token(
    htlc: Any, tokens: dict[str, Any], users: list[Any], bridge: Any, relayer: Any
) -> None:
    skym, user = tokens["SKYM"], users[0]
    lock = terms(skym, user, bridge, amount=500)
    deadline = chain.time() + 600
    signature = sign_lock(user.private_key, domain_of(htlc), lock, deadline)
    v, r, s = split(permit_signature(skym, user, htlc, 499, deadline))

    with reverts_with("ERC20InsufficientAllowance", htlc, 0, 500):
        htlc.lockWithSig(lock.as_tuple(), deadline, signature, deadline, v, r, s,
                         {"from": relayer})  # fmt: skip


def test_a_lock_signed_for_one_htlc_is_void_on_another(
    htlc: Any, platform: Any, tokens: dict[str, Any], users: list[Any], bridge: Any,
    relayer: Any,
) -> None:  # fmt: skip
    """The domain binds the signature to one contract (and one chain): the other chain's
    HTLC, or a second one here, cannot replay it."""
    skym, user = tokens["SKYM"], users[0]
    other = HashedTimelock.deploy(
        platform.registry, HTLC_MIN_LOCK, HTLC_MAX_LOCK, HTLC_MARGIN, {"from": accounts[0]}
    )
    lock, deadline, signature, *_ = signed_lock_args(
        htlc, skym, terms(skym, user, bridge, amount=500), user, permit=False
    )
    skym.approve(other, 500, {"from": user})

    with reverts_with("HtlcInvalidSigner", _recovered(other, lock, deadline, signature), user):
        other.lockWithSig(lock, deadline, signature, 0, 0, bytes(32), bytes(32),
                          {"from": relayer})  # fmt: skip


def _recovered(htlc: Any, lock: tuple[Any, ...], deadline: int, signature: bytes) -> str:
    from tongdui.chain.eip712 import recover_signer

    return recover_signer(bytes(HexBytes(htlc.lockDigest(lock, deadline))), signature)
