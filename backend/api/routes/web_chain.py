"""A read-only view the web pages need and no other route gives: the consortium (members,
threshold, merchants, proposals with their decoded calls and each member's vote).

Votes shown are the votes that count now: given by a current member in the current
configuration epoch (a membership or threshold change voids earlier ones). A proposal past its
deadline is "expired" although no event says so.

Read live from the contracts with standard JSON-RPC (``eth_call``, ``eth_getLogs``): these are
small, rarely-changing sets, and the consortium page should show the chain's truth even while
the indexer catches up.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from eth_utils import to_checksum_address
from fastapi import APIRouter, Query
from pydantic import Field
from web3 import Web3
from web3.contract import Contract

from ...chain.artifacts import abi
from ...chain.client import Platform
from ...query import chain as live
from ..deps import ServicesDep
from ..schemas import Address, Model, errors

router = APIRouter(prefix="/web", tags=["web views"])

STATES = {0: "none", 1: "open", 2: "executed", 3: "cancelled", 4: "expired"}
PLATFORM_CONTRACTS = (
    "ConsortiumGovernance",
    "MerchantRegistry",
    "PointsExchange",
    "SettlementToken",
    "AttestationRegistry",
)


class ProposalCall(Model):
    target: Address
    target_name: str = ""
    value: int
    function: str = ""
    args: dict[str, Any] = Field(default_factory=dict)
    data: str


class Vote(Model):
    member: Address
    approved: bool
    cancel: bool = Field(False, description="voted to cancel (counts in the current epoch)")


class Proposal(Model):
    id: int
    state: Literal["none", "open", "executed", "cancelled", "expired"]
    proposer: Address | None = None
    description: str = ""
    created_block: int | None = None
    deadline: int = Field(description="last block timestamp at which it can pass (unix s)")
    approvals: int
    cancel_votes: int
    votes: list[Vote]
    calls: list[ProposalCall]


class MerchantBrief(Model):
    id: int
    name: str
    symbol: str
    token: Address
    admin: Address
    status: str
    point_value: int
    issuers: list[Address] = Field(
        default_factory=list,
        description="issuer keys of the token's current issuer epoch (a governance vote can "
        "revoke one with revokeIssuer, or all with revokeAllIssuers)",
    )


class ConsortiumOverview(Model):
    """The consortium as the pages show it: governance, members, proposals, merchants."""

    governance: Address
    members: list[Address]
    threshold: int
    cancel_threshold: int = Field(description="cancel votes that cancel a proposal (N / 2 + 1)")
    configuration_epoch: int
    voting_period: int = Field(description="seconds a new proposal stays open")
    proposal_count: int
    open_proposals: int
    proposals: list[Proposal]
    merchants: list[MerchantBrief]
    block_number: int


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


@cache
def _points_abi() -> tuple[dict[str, Any], ...]:
    return tuple(abi("PointsToken"))


def _contracts(
    platform: Platform, merchants: list[dict[str, Any]]
) -> dict[str, tuple[str, Contract]]:
    """address → (readable name, contract), to decode what a proposal would call."""
    known: dict[str, tuple[str, Contract]] = {}
    for name in PLATFORM_CONTRACTS:
        contract: Contract = getattr(
            platform,
            {
                "ConsortiumGovernance": "governance",
                "MerchantRegistry": "registry",
                "PointsExchange": "exchange",
                "SettlementToken": "settlement",
                "AttestationRegistry": "attestations",
            }[name],
        )
        known[contract.address] = (name, contract)
    for m in merchants:
        known[to_checksum_address(m["token"])] = (
            f"PointsToken {m['symbol']}",
            platform.points_token(m["token"]),
        )
    return known


def _decode_call(
    known: dict[str, tuple[str, Contract]], target: str, value: int, data: bytes
) -> ProposalCall:
    target = to_checksum_address(target)
    call = ProposalCall(target=target, value=value, data="0x" + bytes(data).hex())
    if target in known:
        call.target_name, contract = known[target]
        try:
            function, args = contract.decode_function_input(data)
            call.function = function.fn_name
            call.args = {k: _jsonable(v) for k, v in args.items()}
        except ValueError:
            pass  # not a function of that contract: the raw data says what it is
    return call


def _created(w3: Web3, governance: Contract, ids: list[int], from_block: int) -> dict[int, Any]:
    if not ids:
        return {}
    logs = governance.events.ProposalCreated.get_logs(
        from_block=from_block, to_block="latest", argument_filters={"id": ids}
    )
    return {log["args"]["id"]: log for log in logs}


@router.get(
    "/consortium",
    response_model=ConsortiumOverview,
    responses=errors(503),
    summary="Members, threshold, merchants and the latest proposals with their calls and votes",
    description="`limit` newest proposals (open ones first); each call decoded against the "
    "platform's ABIs where the target is one of its contracts.",
)
def get_consortium(
    services: ServicesDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> ConsortiumOverview:
    platform, w3 = services.platform, services.w3
    block = w3.eth.block_number
    gov = platform.governance.functions
    members: list[str] = [
        str(to_checksum_address(m)) for m in gov.members().call(block_identifier=block)
    ]
    count = int(gov.proposalCount().call(block_identifier=block))
    merchant_views = live.merchants(platform)
    known = _contracts(platform, merchant_views)
    ids = list(range(count, max(0, count - limit), -1))
    created = _created(w3, platform.governance, ids, services.deployment.deployment_block)
    proposals = []
    for pid in ids:
        state = STATES.get(int(gov.proposalState(pid).call(block_identifier=block)), "none")
        calls = gov.proposalCalls(pid).call(block_identifier=block)
        log = created.get(pid)
        proposals.append(
            Proposal(
                id=pid,
                state=state,  # type: ignore[arg-type]
                proposer=log["args"]["proposer"] if log else None,
                description=log["args"]["description"] if log else "",
                created_block=log["blockNumber"] if log else None,
                deadline=int(gov.proposalDeadline(pid).call(block_identifier=block)),
                approvals=int(gov.approvalCount(pid).call(block_identifier=block)),
                cancel_votes=int(gov.cancelVoteCount(pid).call(block_identifier=block)),
                votes=[
                    Vote(
                        member=m,
                        approved=gov.hasApproved(pid, m).call(block_identifier=block),
                        cancel=gov.hasVotedCancel(pid, m).call(block_identifier=block),
                    )
                    for m in members
                ],
                calls=[_decode_call(known, c[0], int(c[1]), c[2]) for c in calls],
            )
        )
    proposals.sort(key=lambda p: (p.state != "open", -p.id))
    return ConsortiumOverview(
        governance=platform.governance.address,
        members=members,
        threshold=int(gov.threshold().call(block_identifier=block)),
        cancel_threshold=int(gov.cancelThreshold().call(block_identifier=block)),
        configuration_epoch=int(gov.configurationEpoch().call(block_identifier=block)),
        voting_period=int(gov.votingPeriod().call(block_identifier=block)),
        proposal_count=count,
        open_proposals=sum(p.state == "open" for p in proposals),
        proposals=proposals,
        merchants=[
            MerchantBrief(
                id=v["id"],
                name=v["name"],
                symbol=v["symbol"],
                token=v["token"],
                admin=v["admin"],
                status=v["status"],
                point_value=v["pointValue"],
                issuers=[
                    to_checksum_address(a)
                    for a in platform.points_token(v["token"])
                    .functions.issuers()
                    .call(block_identifier=block)
                ],
            )
            for v in merchant_views
        ],
        block_number=block,
    )
