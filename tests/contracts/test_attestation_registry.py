"""AttestationRegistry: auditors post what they verified (block number and hash, digest,
report hash); governance grants AUDITOR_ROLE, the deployment may grant it to genesis auditors."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import AttestationRegistry, accounts, web3
from eth_utils import keccak

from tests.helpers import reverts_with, unauthorized

ADMIN_ROLE = "0x" + "00" * 32
DIGEST = keccak(text="history up to the block")
REPORT = keccak(text="audit report")


def hash_of(number: int) -> bytes:
    """The hash of block ``number`` on the test chain."""
    return bytes(web3.eth.get_block(number)["hash"])


@pytest.fixture
def auditor(platform: Any, vote: Any) -> Any:
    """accounts[0], granted AUDITOR_ROLE by a vote."""
    attestations = platform.attestations
    vote((attestations, "grantRole", (attestations.AUDITOR_ROLE(), accounts[0])))
    return accounts[0]


def test_constructor_makes_governance_the_admin(platform: Any) -> None:
    attestations = platform.attestations
    assert attestations.hasRole(ADMIN_ROLE, platform.governance)
    assert attestations.getRoleAdmin(attestations.AUDITOR_ROLE()) == ADMIN_ROLE
    fresh = AttestationRegistry.deploy(accounts[2], [], {"from": accounts[0]})
    assert fresh.hasRole(ADMIN_ROLE, accounts[2])
    assert fresh.attestationCount() == 0


def test_constructor_grants_the_auditor_role_to_genesis_auditors(platform: Any) -> None:
    fresh = AttestationRegistry.deploy(accounts[2], [accounts[5]], {"from": accounts[0]})
    assert fresh.hasRole(fresh.AUDITOR_ROLE(), accounts[5])
    assert not fresh.hasRole(fresh.AUDITOR_ROLE(), accounts[0])
    block = web3.eth.block_number
    fresh.attest(block, hash_of(block), DIGEST, REPORT, {"from": accounts[5]})
    assert fresh.latestOf(accounts[5]) == 1


# ─── attest ─────────────────────────────────────────────────────────────────────────────────


def test_attest_records_the_attestation(platform: Any, auditor: Any) -> None:
    attestations = platform.attestations
    replayed_to = web3.eth.block_number

    tx = attestations.attest(replayed_to, hash_of(replayed_to), DIGEST, REPORT, {"from": auditor})

    assert tx.return_value == 1
    event = tx.events["Attested"]
    assert (event["id"], event["auditor"], event["blockNumber"]) == (1, auditor, replayed_to)
    assert event["blockHash"] == "0x" + hash_of(replayed_to).hex()
    assert event["historyDigest"] == "0x" + DIGEST.hex()
    assert event["reportHash"] == "0x" + REPORT.hex()
    posted = attestations.attestation(1)
    assert posted["auditor"] == auditor
    assert posted["blockNumber"] == replayed_to
    assert posted["postedAt"] == tx.timestamp
    assert posted["blockHash"] == "0x" + hash_of(replayed_to).hex()
    assert posted["historyDigest"] == "0x" + DIGEST.hex()
    assert posted["reportHash"] == "0x" + REPORT.hex()
    assert attestations.attestationCount() == 1
    assert attestations.latestOf(auditor) == 1


def test_attest_tracks_each_auditors_latest(platform: Any, auditor: Any, vote: Any) -> None:
    attestations, other = platform.attestations, accounts[1]
    vote((attestations, "grantRole", (attestations.AUDITOR_ROLE(), other)))
    block = web3.eth.block_number

    attestations.attest(block, hash_of(block), DIGEST, REPORT, {"from": auditor})
    attestations.attest(block, hash_of(block), DIGEST, REPORT, {"from": other})
    attestations.attest(block + 1, hash_of(block + 1), DIGEST, REPORT, {"from": auditor})

    assert attestations.attestationCount() == 3
    assert attestations.latestOf(auditor) == 3
    assert attestations.latestOf(other) == 2
    assert attestations.latestOf(accounts[2]) == 0


def test_latest_attestation_is_for_highest_block(platform: Any, auditor: Any) -> None:
    attestations = platform.attestations
    high = web3.eth.block_number
    low = high - 1

    attestations.attest(high, hash_of(high), DIGEST, REPORT, {"from": auditor})
    attestations.attest(low, hash_of(low), DIGEST, REPORT, {"from": auditor})  # posted later

    assert attestations.latestOf(auditor) == 1
    assert attestations.attestation(attestations.latestOf(auditor))["blockNumber"] == high


def test_a_re_attestation_of_the_same_block_becomes_the_latest(platform: Any, auditor: Any) -> None:
    attestations = platform.attestations
    block = web3.eth.block_number
    attestations.attest(block, hash_of(block), DIGEST, REPORT, {"from": auditor})
    attestations.attest(block, hash_of(block), DIGEST, keccak(text="v2"), {"from": auditor})
    assert attestations.latestOf(auditor) == 2


def test_attestation_on_another_forks_block_hash_is_refused(platform: Any, auditor: Any) -> None:
    block = web3.eth.block_number
    forked = keccak(text="a block of the losing fork")
    with reverts_with("AttestationBlockHashMismatch", block, forked, hash_of(block)):
        platform.attestations.attest(block, forked, DIGEST, REPORT, {"from": auditor})


def test_attestation_without_a_block_hash_is_refused(platform: Any, auditor: Any) -> None:
    block = web3.eth.block_number
    with reverts_with("AttestationBlockHashMismatch", block, b"\x00" * 32, hash_of(block)):
        platform.attestations.attest(block, b"\x00" * 32, DIGEST, REPORT, {"from": auditor})


def test_attest_reverts_for_a_non_auditor(platform: Any) -> None:
    attestations = platform.attestations
    with unauthorized(accounts[1], attestations.AUDITOR_ROLE()):
        attestations.attest(0, hash_of(0), DIGEST, REPORT, {"from": accounts[1]})


def test_attest_reverts_for_the_current_block(platform: Any, auditor: Any) -> None:
    current = web3.eth.block_number + 1  # the block the attestation lands in
    with reverts_with("AttestationFutureBlock", current, current):
        platform.attestations.attest(current, b"\x01" * 32, DIGEST, REPORT, {"from": auditor})


def test_attest_reverts_for_a_future_block(platform: Any, auditor: Any) -> None:
    current = web3.eth.block_number + 1
    with reverts_with("AttestationFutureBlock", current + 100, current):
        platform.attestations.attest(current + 100, b"\x01" * 32, DIGEST, REPORT, {"from": auditor})


def test_attest_reverts_after_governance_revokes_the_role(
    platform: Any, auditor: Any, vote: Any
) -> None:
    attestations = platform.attestations
    vote((attestations, "revokeRole", (attestations.AUDITOR_ROLE(), auditor)))
    with unauthorized(auditor, attestations.AUDITOR_ROLE()):
        attestations.attest(0, hash_of(0), DIGEST, REPORT, {"from": auditor})


def test_granting_the_auditor_role_reverts_for_a_non_admin(platform: Any) -> None:
    attestations = platform.attestations
    with unauthorized(accounts[1], ADMIN_ROLE):
        attestations.grantRole(attestations.AUDITOR_ROLE(), accounts[1], {"from": accounts[1]})


# ─── views ──────────────────────────────────────────────────────────────────────────────────


def test_attestation_reverts_for_an_unknown_id(platform: Any, auditor: Any) -> None:
    attestations = platform.attestations
    with reverts_with("AttestationUnknown", 0):
        attestations.attestation(0)
    with reverts_with("AttestationUnknown", 1):
        attestations.attestation(1)
    attestations.attest(0, hash_of(0), DIGEST, REPORT, {"from": auditor})
    with reverts_with("AttestationUnknown", 2):
        attestations.attestation(2)
