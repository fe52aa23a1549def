"""Attestations: an auditor posts (block number, block hash, history digest, report hash) on
chain; anyone recomputes them from its own node and says which match.

Posting uses the auditor's key (``TONGDUI_AUDITOR_KEY``; on the embedded chain the demo
auditor's, which holds AUDITOR_ROLE from deployment; elsewhere AUDITOR_ROLE is granted at
deployment or by a governance vote); reading uses only ``eth_call``. The block hash makes an
attestation name one block even across a reorg of a Clique chain: a verifier whose node has
another block at that height says so instead of comparing digests of different histories.
``grant_auditor_role`` is the vote itself, for the embedded chain and the tests (members sign
``propose``/``approve``/``execute``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from ..chain.client import Platform
from ..chain.governance import vote
from ..chain.rpc import JsonRpc
from ..chain.transactions import Signer, wait_for
from ..core.errors import ForbiddenError
from .fetch import Contracts
from .results import AuditReport
from .run import run_audit

AUDITOR_ROLE = keccak(text="AUDITOR_ROLE")


def grant_auditor_role(w3: Web3, platform: Platform, member_keys: list[str], auditor: str) -> int:
    """Grants AUDITOR_ROLE to ``auditor`` by one governance vote (``chain.governance.vote``:
    the first key proposes, the others approve until the threshold, the first executes).
    Returns the proposal id."""
    registry = platform.attestations
    call = (
        registry.address,
        0,
        registry.encode_abi("grantRole", args=[AUDITOR_ROLE, to_checksum_address(auditor)]),
    )
    return vote(w3, platform.governance, member_keys, [call], "Grant AUDITOR_ROLE")


def post_attestation(w3: Web3, platform: Platform, auditor_key: str, report: AuditReport) -> int:
    """Posts the report's block (number and hash), digest and hash; returns the id of the new
    attestation (read from its ``Attested`` event: ``latestOf`` names the auditor's attestation
    of its highest block, which is not this one when it attests an older block)."""
    auditor = Signer(w3, auditor_key)
    registry = platform.attestations
    if not registry.functions.hasRole(AUDITOR_ROLE, auditor.address).call():
        raise ForbiddenError(
            f"{auditor.address} does not hold AUDITOR_ROLE: the consortium grants it by a "
            "governance vote (grantRole on AttestationRegistry)",
            auditor=auditor.address,
        )
    c = report.canonical
    call = registry.functions.attest(
        c["toBlock"],
        bytes.fromhex(c["toBlockHash"][2:]),
        bytes.fromhex(c["historyDigest"][2:]),
        bytes.fromhex(report.report_hash[2:]),
    )
    # Gas given, not estimated: an estimate runs in the head block, where attesting the head
    # itself is still "the future" (AttestationFutureBlock); the transaction lands later.
    tx_hash = auditor.transact(call, gas=250_000)
    wait_for(w3, [tx_hash])
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    (attested,) = registry.events.Attested().process_receipt(receipt)
    return int(attested["args"]["id"])


@dataclass(frozen=True)
class Attestation:
    id: int
    auditor: str
    block_number: int
    posted_at: int
    block_hash: str
    history_digest: str
    report_hash: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "auditor": self.auditor,
            "blockNumber": self.block_number,
            "postedAt": self.posted_at,
            "blockHash": self.block_hash,
            "historyDigest": self.history_digest,
            "reportHash": self.report_hash,
        }


def read_attestations(
    rpc: JsonRpc, contracts: Contracts, block: int | None = None
) -> list[Attestation]:
    """Every attestation on chain, oldest first, read by eth_call."""
    at = rpc.block_number() if block is None else block
    registry = contracts.attestations
    (count,) = abi_decode(
        ["uint256"], rpc.eth_calls([(registry, keccak(text="attestationCount()")[:4])], at)[0]
    )
    selector = keccak(text="attestation(uint256)")[:4]
    raws = rpc.eth_calls(
        [(registry, selector + abi_encode(["uint256"], [i])) for i in range(1, count + 1)], at
    )
    found = []
    for i, raw in enumerate(raws, start=1):
        ((auditor, number, posted, block_hash, digest, report),) = abi_decode(
            ["(address,uint64,uint40,bytes32,bytes32,bytes32)"], raw
        )
        found.append(
            Attestation(
                i,
                to_checksum_address(auditor),
                number,
                posted,
                "0x" + block_hash.hex(),
                "0x" + digest.hex(),
                "0x" + report.hex(),
            )
        )
    return found


def latest_per_auditor(attestations: list[Attestation]) -> list[Attestation]:
    """Each auditor's attestation of its highest block (of several for that block, the latest
    posted): the rule of ``AttestationRegistry.latestOf``, so the pages and the chain agree."""
    latest: dict[str, Attestation] = {}
    for attestation in attestations:
        held = latest.get(attestation.auditor)
        if held is None or attestation.block_number >= held.block_number:
            latest[attestation.auditor] = attestation
    return sorted(latest.values(), key=lambda a: a.id)


@dataclass(frozen=True)
class Verdict:
    """One attestation recomputed on this node. ``block_hash`` is this node's hash of the
    attested block: when it differs, the auditor attested another fork's block and the digests
    are not comparable."""

    attestation: Attestation
    block_hash: str
    digest: str
    report_hash: str

    @property
    def block_matches(self) -> bool:
        return self.block_hash == self.attestation.block_hash

    @property
    def digest_matches(self) -> bool:
        return self.digest == self.attestation.history_digest

    @property
    def report_matches(self) -> bool:
        return self.report_hash == self.attestation.report_hash

    @property
    def ok(self) -> bool:
        return self.block_matches and self.digest_matches and self.report_matches

    def to_json(self) -> dict[str, Any]:
        return {
            **self.attestation.to_json(),
            "nodeBlockHash": self.block_hash,
            "blockHashMatches": self.block_matches,
            "recomputedDigest": self.digest,
            "recomputedReportHash": self.report_hash,
            "digestMatches": self.digest_matches,
            "reportHashMatches": self.report_matches,
            "ok": self.ok,
        }


def verify_attestations(
    rpc_url: str, contracts: Contracts, from_block: int, chunk_size: int = 2_000
) -> list[Verdict]:
    """Recomputes each auditor's attestation of its highest block: the block hash, the digest
    and the report hash at that block, from this node alone."""
    with JsonRpc(rpc_url) as rpc:
        latest = latest_per_auditor(read_attestations(rpc, contracts))
    reports: dict[int, AuditReport] = {}
    verdicts = []
    for attestation in latest:
        block = attestation.block_number
        if block not in reports:
            reports[block] = run_audit(rpc_url, contracts, from_block, block, chunk_size=chunk_size)
        report = reports[block]
        verdicts.append(
            Verdict(
                attestation,
                report.canonical["toBlockHash"],
                report.canonical["historyDigest"],
                report.report_hash,
            )
        )
    return verdicts
