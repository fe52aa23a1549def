"""Helpers of the HTLC tests: secrets, lock terms, signed locks and custom errors whose
arguments include the block's own timestamp.

Why a timestamp-tolerant revert check: errors such as ``HtlcExpired(lockId, timelock, now)``
carry ``block.timestamp``, which a test cannot know before the node picks it (brownie's gas
estimate fails first, against the pending block); the check compares every other argument
exactly and the time against a lower bound.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from brownie import chain, web3
from brownie.exceptions import VirtualMachineError
from hexbytes import HexBytes

from tests.helpers import error_message
from tongdui.chain.eip712 import Domain
from tongdui.chain.htlc_eip712 import LockTerms, hashlock_of, htlc_domain, sign_lock

SECRET = bytes(range(32))
HASHLOCK = hashlock_of(SECRET)


def secret(n: int) -> bytes:
    """The n-th test secret (32 bytes)."""
    return n.to_bytes(32, "big")


def domain_of(htlc: Any) -> Domain:
    return htlc_domain(chain.id, htlc.address)


def terms(
    token: Any,
    sender: Any,
    receiver: Any,
    amount: int = 100,
    hashlock: bytes = HASHLOCK,
    duration: int = 1_800,
    counterpart: int = 0,
) -> LockTerms:
    """Lock terms expiring ``duration`` seconds from the chain's current time."""
    return LockTerms(
        token=token.address,
        sender=str(getattr(sender, "address", sender)),
        receiver=str(getattr(receiver, "address", receiver)),
        amount=amount,
        hashlock=hashlock,
        timelock=chain.time() + duration,
        counterpart_timelock=counterpart,
    )


def lock_directly(htlc: Any, token: Any, lock: LockTerms, sender: Any) -> Any:
    """``lock`` from the sender's own key, after approving the amount."""
    token.approve(htlc, lock.amount, {"from": sender})
    return htlc.lock(
        lock.token,
        lock.receiver,
        lock.amount,
        lock.hashlock,
        lock.timelock,
        lock.counterpart_timelock,
        {"from": sender},
    )


def permit_signature(token: Any, owner: Any, spender: Any, value: int, deadline: int) -> bytes:
    from tests.helpers import sign_typed, token_domain

    fields = [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
    message = {
        "owner": owner.address,
        "spender": str(getattr(spender, "address", spender)),
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    return sign_typed(owner.private_key, token_domain(token), "Permit", fields, message)


def split(signature: bytes) -> tuple[int, bytes, bytes]:
    """(v, r, s) of a 65-byte r‖s‖v signature."""
    return signature[64], signature[:32], signature[32:64]


def signed_lock_args(
    htlc: Any, token: Any, lock: LockTerms, owner: Any, permit: bool = True
) -> tuple[Any, ...]:
    """The arguments of ``lockWithSig`` for ``lock`` signed by ``owner`` (with its permit, or
    an empty one when ``permit`` is False)."""
    deadline = chain.time() + 600
    signature = sign_lock(owner.private_key, domain_of(htlc), lock, deadline)
    if permit:
        v, r, s = split(permit_signature(token, owner, htlc, lock.amount, deadline))
    else:
        v, r, s = 0, bytes(32), bytes(32)
    return (lock.as_tuple(), deadline, signature, deadline, v, r, s)


@contextlib.contextmanager
def reverts_with_now(name: str, *args: Any, now_at_least: int) -> Iterator[None]:
    """Expects custom error ``name(*args, now)`` whose last argument is the block's time,
    which must be at least ``now_at_least`` (every other argument compared exactly)."""
    with pytest.raises(VirtualMachineError) as caught:
        yield
    expected = error_message(name, *args, now_at_least)
    expected_head, _ = expected.rsplit(", ", 1)
    head, now = str(caught.value.revert_msg).rsplit(", ", 1)
    assert head == expected_head
    assert int(now) >= now_at_least


@contextlib.contextmanager
def reverts_starting(name: str, *leading: Any) -> Iterator[None]:
    """Expects custom error ``name`` whose first arguments are ``leading`` (the rest depend
    on the block's time, e.g. the earliest and latest timelock allowed)."""
    with pytest.raises(VirtualMachineError) as caught:
        yield
    shown = str(caught.value.revert_msg)
    types_count = shown.count(", ") + 1
    filler = [0] * (types_count - len(leading))
    expected = error_message(name, *leading, *filler)
    keep = len(leading)
    assert shown.split(", ")[:keep] == expected.split(", ")[:keep], shown


def stored_lock(htlc: Any, lock_id: Any) -> tuple[str, str, str, int, bytes, int, int, int]:
    """``getLock`` as plain Python values (brownie's return values compare awkwardly)."""
    token, sender, receiver, amount, hashlock, timelock, counterpart, state = htlc.getLock(lock_id)
    return (
        str(token),
        str(sender),
        str(receiver),
        int(amount),
        bytes(HexBytes(hashlock)),
        int(timelock),
        int(counterpart),
        int(state),
    )


def latest_timestamp() -> int:
    return int(web3.eth.get_block("latest").timestamp)


def pass_timelock(timelock: int, by: int = 1) -> None:
    """Mines a block at least ``by`` seconds past ``timelock``: later blocks are after it.

    Why from the latest block's time and not ``chain.time()``: after snapshots are reverted,
    brownie's clock and anvil's block time can differ by a second or two.
    """
    chain.sleep(max(0, timelock - latest_timestamp()) + by)
    chain.mine()
