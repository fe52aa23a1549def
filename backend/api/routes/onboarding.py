"""Merchant onboarding review (issue 18.5): a business applies and follows its status by a
secret reference (public routes); consortium reviewers list the applications, approve one (the
backend proposes its admission with the reviewer's member key: the votes stay on chain) or
reject it with a reason. Every review is a line of the operation log, with the reviewer.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session

from ...core.db import transaction
from ...core.error_codes import ErrorCode
from ...core.errors import TongduiError
from ...indexer.models import GovernanceProposal, PlatformParameter
from ...onboarding import service, votes
from ...onboarding.models import OnboardingApplication
from ...onboarding.validation import ApplicationForm
from ...operations import oplog
from ...operations.record import logged
from ...query import chain as live
from ...services import Services
from ..auth import ConsortiumDep
from ..deps import ServicesDep, SessionDep
from ..onboarding_schemas import (
    ApplicationFiled,
    ApplicationList,
    ApplicationRequest,
    ApplicationStatus,
    ApplicationView,
    ConsortiumKeyInfo,
    ProposalProgress,
    RejectRequest,
    ReviewResult,
    Status,
    VoteCast,
)
from ..operations_schemas import OpLogPage, OpLogRow
from ..schemas import code_responses, errors

router = APIRouter(tags=["onboarding review"])

ApplicationId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the application's id")]
Reference = Annotated[
    str, Path(min_length=8, max_length=100, description="the reference given when applying")
]
NOT_FOUND = code_responses(ErrorCode.APPLICATION_NOT_FOUND)
REVIEW_ERRORS = {
    **errors(401, 404, 422, 503),
    **code_responses(ErrorCode.APPLICATION_ALREADY_REVIEWED),
}

_PROPOSAL_STATES = {"pending": "open", "executed": "executed", "cancelled": "cancelled"}


def _threshold(session: Session, services: Services) -> int:
    """M of M-of-N, from the index (the chain's while the index has not seen it)."""
    param = session.get(PlatformParameter, "governance_threshold")
    if param is not None:
        return int(param.value)
    return int(services.platform.governance.functions.threshold().call())


def _progress(
    session: Session, services: Services, row: OnboardingApplication
) -> ProposalProgress | None:
    if row.proposal_id is None:
        return None
    proposal = session.get(GovernanceProposal, row.proposal_id)
    state = "unindexed" if proposal is None else proposal.status_at(int(time.time()))
    return ProposalProgress(
        id=row.proposal_id,
        state=_PROPOSAL_STATES.get(state, state),  # type: ignore[arg-type]
        approvals=0 if proposal is None else proposal.approvals,
        threshold=_threshold(session, services),
        tx_hash=row.proposal_tx,
    )


def _settled(services: Services, row: OnboardingApplication) -> OnboardingApplication:
    """The row, with a proposal that was sent but not seen mined looked up first."""
    if row.proposal_id is None and row.proposal_tx is not None:
        w3, governance = services.w3, services.platform.governance
        return service.settle_proposal(services.sessions, w3, governance, row)
    return row


def _status(session: Session, services: Services, row: OnboardingApplication) -> ApplicationStatus:
    row = _settled(services, row)
    return ApplicationStatus(
        id=row.id,
        status=row.status,  # type: ignore[arg-type]
        program_name=row.program_name,
        symbol=row.symbol,
        submitted_at=row.submitted_at,
        reviewed_at=row.reviewed_at,
        reason=row.reason,
        proposal=_progress(session, services, row),
    )


def _view(session: Session, services: Services, row: OnboardingApplication) -> ApplicationView:
    row = _settled(services, row)
    return ApplicationView(
        **_status(session, services, row).model_dump(),
        company_name=row.company_name,
        licence_number=row.licence_number,
        contact_name=row.contact_name,
        contact_email=row.contact_email,
        contact_phone=row.contact_phone,
        admin=row.admin,
        issuance_cap=row.issuance_cap,
        point_value=row.point_value,
        reviewer=row.reviewer,
        reviewer_member=row.reviewer_member,
    )


@router.post(
    "/onboarding/applications",
    response_model=ApplicationFiled,
    status_code=201,
    responses={**errors(422), **code_responses(ErrorCode.APPLICATION_INVALID)},
    summary="Apply to join: a business's details (off chain) and its program's terms",
    description="Public. Answers the application's id and a secret `reference` (shown once) "
    "to look its status up with. A field that cannot be filed is APPLICATION_INVALID 422, "
    "with every field's problem in `details.problems`.",
)
def submit_application(
    body: ApplicationRequest, request: Request, services: ServicesDep
) -> ApplicationFiled:
    form = ApplicationForm(**body.model_dump())
    taken = [m["symbol"] for m in live.merchants(services.platform)]
    try:
        with transaction(services.sessions) as session:
            filed = service.submit(session, form, taken)
    except TongduiError as error:
        _log_public(services, request, {"status": "refused", "code": str(error.code)}, "")
        raise
    # the log names the application only: its personal details stay in their own table
    _log_public(services, request, {"status": "ok"}, str(filed.application_id))
    return ApplicationFiled(id=filed.application_id, reference=filed.reference, status="pending")


def _log_public(services: Services, request: Request, result: dict[str, str], target: str) -> None:
    actor = {"via": "public", "client": request.client.host if request.client else None}
    oplog.append(
        services.sessions,
        oplog.Action(
            "onboarding.apply",
            actor,
            target=target,
            request={"application": target},
            result=result,
        ),
    )


@router.get(
    "/onboarding/applications/{reference}",
    response_model=ApplicationStatus,
    responses={**errors(404, 422), **NOT_FOUND},
    summary="The applicant's view: pending, approved (with the proposal's votes) or rejected "
    "(with the reason)",
)
def application_status(
    reference: Reference, session: SessionDep, services: ServicesDep
) -> ApplicationStatus:
    return _status(session, services, service.by_reference(session, reference))


@router.get(
    "/consortium/key",
    response_model=ConsortiumKeyInfo,
    responses=errors(401),
    summary="The presented consortium key: its prefix, label and the member it acts for",
)
def consortium_key(auth: ConsortiumDep) -> ConsortiumKeyInfo:
    return ConsortiumKeyInfo(prefix=auth.key_prefix, member=auth.member, label=auth.label)


@router.get(
    "/consortium/applications",
    response_model=ApplicationList,
    responses=errors(401, 422),
    summary="Onboarding applications for review, pending first",
)
def list_applications(
    session: SessionDep,
    services: ServicesDep,
    auth: ConsortiumDep,
    status: Annotated[Status | None, Query()] = None,
) -> ApplicationList:
    rows = service.queue(session, status)
    return ApplicationList(applications=[_view(session, services, r) for r in rows])


@router.post(
    "/consortium/applications/{application_id}/approve",
    response_model=ReviewResult,
    responses=REVIEW_ERRORS,
    summary="Approve: propose the merchant's admission (admitMerchant) with your member's key",
    description="Opens one governance proposal carrying only admitMerchant's arguments; the "
    "proposer's approval counts as its vote, the other members vote on chain.",
)
@logged("onboarding.approve", target="application_id")
def approve_application(
    application_id: ApplicationId, services: ServicesDep, auth: ConsortiumDep
) -> ReviewResult:
    reviewer = service.Reviewer(auth.key_prefix, auth.member, auth.label)
    with services.sessions() as session:
        service.by_id(session, application_id)  # 404 before needing a key
    row = service.approve(
        services.sessions,
        services.w3,
        services.platform.governance,
        services.platform.registry,
        application_id,
        reviewer,
        service.member_key(services.settings.member_private_keys(), auth.member),
    )
    with services.sessions() as session:
        view = _view(session, services, row)
    return ReviewResult(application=view, tx_hash=row.proposal_tx, proposal_id=row.proposal_id)


@router.post(
    "/consortium/applications/{application_id}/reject",
    response_model=ReviewResult,
    responses=REVIEW_ERRORS,
    summary="Reject with a reason the applicant reads",
)
@logged("onboarding.reject", target="application_id")
def reject_application(
    application_id: ApplicationId, body: RejectRequest, services: ServicesDep, auth: ConsortiumDep
) -> ReviewResult:
    reviewer = service.Reviewer(auth.key_prefix, auth.member, auth.label)
    row = service.reject(services.sessions, application_id, reviewer, body.reason)
    with services.sessions() as session:
        return ReviewResult(application=_view(session, services, row))


ProposalId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the proposal's id")]
VOTE_ERRORS = errors(401, 422, 503)


def _vote(services: Services, auth: ConsortiumDep, proposal_id: int, vote: votes.Vote) -> VoteCast:
    key = service.member_key(services.settings.member_private_keys(), auth.member)
    done = votes.cast(services.w3, services.platform.governance, key, proposal_id, vote)
    return VoteCast(
        proposal_id=done.proposal_id, tx_hash=done.tx_hash, block_number=done.block_number
    )


@router.post(
    "/consortium/proposals/{proposal_id}/approve",
    response_model=VoteCast,
    responses=VOTE_ERRORS,
    summary="Your member approves a proposal (signed with its key the backend holds)",
    description="The contract's refusals come back decoded: `ALREADY_APPROVED`, `NOT_MEMBER` …",
)
@logged("governance.approve", target="proposal_id")
def approve_proposal(
    proposal_id: ProposalId, services: ServicesDep, auth: ConsortiumDep
) -> VoteCast:
    return _vote(services, auth, proposal_id, "approve")


@router.post(
    "/consortium/proposals/{proposal_id}/execute",
    response_model=VoteCast,
    responses=VOTE_ERRORS,
    summary="Execute a proposal that has its approvals (any member may)",
)
@logged("governance.execute", target="proposal_id")
def execute_proposal(
    proposal_id: ProposalId, services: ServicesDep, auth: ConsortiumDep
) -> VoteCast:
    return _vote(services, auth, proposal_id, "execute")


@router.get(
    "/consortium/oplog",
    response_model=OpLogPage,
    responses=errors(401, 422),
    summary="The consortium's entries of the operation log (no merchant's), oldest first",
)
def consortium_oplog(
    session: SessionDep,
    auth: ConsortiumDep,
    after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OpLogPage:
    rows = oplog.read_consortium(session, after=after, limit=limit)
    return OpLogPage(
        entries=[OpLogRow(**oplog.as_dict(r)) for r in rows],
        next_after=rows[-1].seq if len(rows) == limit else None,
    )
