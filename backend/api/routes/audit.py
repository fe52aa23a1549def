"""What the auditor page shows: the latest audit report, the attestations on chain, and the
history digest at a block (recomputed by the auditor's replay, for comparison by eye)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import ConfigDict, Field

from ...audit.attest import latest_per_auditor, read_attestations
from ...audit.fetch import Contracts
from ...chain.rpc import JsonRpc
from ...core.db import INT64_MAX
from ...core.error_codes import ErrorCode
from ...core.errors import NotFoundError
from ..deps import ServicesDep
from ..schemas import Model, errors
from .statements import replay_at

router = APIRouter(prefix="/audit", tags=["audit"])


class Invariant(Model):
    statement: str
    ok: bool
    checks: int
    failures: int


class AuditFinding(Model):
    check: str
    where: str
    key: str
    field: str
    expected: Any
    actual: Any
    message: str


class AuditDatabase(Model):
    url: str
    ok: bool
    tables: dict[str, dict[str, int]]
    findings: list[AuditFinding]


class AuditReport(Model):
    """The last report `tongdui audit` wrote in the data folder (JSON report, abridged)."""

    model_config = ConfigDict(extra="allow")

    chain_id: int
    from_block: int
    to_block: int
    to_block_hash: str
    history_digest: str
    report_hash: str
    events: int
    ok: bool = Field(description="the chain's verdict (the attested part of the report)")
    passed: bool = Field(
        description="the whole run's verdict, the indexer database included: what the CLI's "
        "exit code said (0 passed, 1 not)"
    )
    exit_code: int = Field(description="the exit code of the `tongdui audit` run")
    invariants: dict[str, Invariant]
    findings: list[AuditFinding]
    database: AuditDatabase | None = Field(None, description="the comparison with the index")
    timing: dict[str, Any]
    attestation_id: int | None = None
    attested_by: str | None = Field(None, description="the auditor address that signed it")


class AttestationOut(Model):
    id: int
    auditor: str
    block_number: int
    posted_at: int = Field(description="unix seconds")
    block_hash: str = Field(description="hash of the attested block (names it across reorgs)")
    history_digest: str
    report_hash: str


class Attestations(Model):
    attestations: list[AttestationOut]
    latest_per_auditor: list[AttestationOut] = Field(
        description="each auditor's attestation of its highest block (AttestationRegistry.latestOf)"
    )


class Digest(Model):
    chain_id: int
    block_number: int
    block_hash: str
    history_digest: str
    events: int


@router.get(
    "/latest",
    response_model=AuditReport,
    responses=errors(404),
    summary="The latest audit report of this installation",
)
def latest_report(services: ServicesDep) -> dict[str, Any]:
    path = services.settings.data_dir / "audit" / "latest.json"
    if not path.exists():
        raise NotFoundError(
            "no audit has run here yet: run `tongdui audit`", code=ErrorCode.NO_AUDIT_REPORT
        )
    report: dict[str, Any] = json.loads(path.read_text())
    if "passed" not in report:  # written before the verdict covered the database
        database = report.get("database") or {}
        report["passed"] = bool(report.get("ok")) and database.get("ok", True) is not False
        report["exitCode"] = 0 if report["passed"] else 1
    return report


@router.get(
    "/attestations",
    response_model=Attestations,
    responses=errors(503),
    summary="Every attestation on chain and each auditor's attestation of its highest block",
)
def attestations(services: ServicesDep) -> dict[str, Any]:
    contracts = Contracts.from_names(services.deployment.addresses)
    with JsonRpc(services.node_url()) as rpc:
        found = read_attestations(rpc, contracts)
    return {
        "attestations": [a.to_json() for a in found],
        "latestPerAuditor": [a.to_json() for a in latest_per_auditor(found)],
    }


@router.get(
    "/digest",
    response_model=Digest,
    responses=errors(503),
    summary="The history digest at a block, recomputed from the node",
)
def digest(
    services: ServicesDep,
    block: Annotated[int | None, Query(ge=0, le=INT64_MAX, description="default: the head")] = None,
) -> dict[str, Any]:
    with JsonRpc(services.node_url()) as rpc:
        head = rpc.block_number()
    result = replay_at(services, head if block is None else min(block, head))
    return {
        "chainId": result.chain_id,
        "blockNumber": result.to_block,
        "blockHash": result.to_block_hash,
        "historyDigest": result.digest,
        "events": result.events,
    }
