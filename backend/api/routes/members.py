"""CRM member ids and bulk issuance, under ``/merchants/{token}/…`` (issue 18).

Members: link a member id to a wallet (stored as a keyed hash), issue and redeem by member id,
erase a member's link on request. Bulk: upload a CSV or JSON file (checked whole first), follow
its progress, read its per-row results (paged, or as CSV); the runner's bulk loop sends it.
Every write takes an ``Idempotency-Key`` header (see ``merchant/idempotency.py``).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import func, select

from ...bulk.jobs import create_job, progress
from ...bulk.models import BulkJob, BulkRow
from ...bulk.parse import parse_bulk_file
from ...core.error_codes import ErrorCode
from ...core.errors import NotFoundError
from ...members.directory import MemberDirectory, load_pepper
from ...merchant.idempotency import idempotent
from ...merchant.keys import Scope
from ...services import Services
from ..auth import MerchantAuth, require
from ..deps import ServicesDep, SessionDep
from ..idempotency_deps import Fingerprint, IdempotencyKey
from ..members_schemas import (
    BulkProgress,
    BulkRowPage,
    BulkRowResult,
    MemberErased,
    MemberIssueRequest,
    MemberLinked,
    MemberLinkRequest,
    MemberPointsTx,
    MemberRedeemRequest,
    MemberRef,
    bulk_file_body,
)
from ..schemas import code_responses, errors
from .merchant import WRITE_ERRORS, OperatorsDep, Wait, _actions, _result

router = APIRouter(prefix="/merchants/{token}", tags=["merchant API: members and bulk"])

Issuer = Annotated[MerchantAuth, Depends(require(Scope.ISSUE))]
Reader = Annotated[MerchantAuth, Depends(require(Scope.READ))]
READ_ERRORS = errors(401, 403, 404, 422, 503)
MEMBER_WRITE_ERRORS = {
    **WRITE_ERRORS,
    **code_responses(ErrorCode.MEMBER_NOT_LINKED, ErrorCode.IDEMPOTENCY_KEY_REUSED),
}
IDEMPOTENT_ERRORS = WRITE_ERRORS
CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}


def _members(services: Services, session: SessionDep, auth: MerchantAuth) -> MemberDirectory:
    return MemberDirectory(session, load_pepper(services.settings.data_dir), auth.token)


@router.post(
    "/members",
    response_model=MemberLinked,
    responses=WRITE_ERRORS,
    summary="Link a CRM member id to a wallet address (stored as a keyed hash)",
)
def link_member(
    body: MemberLinkRequest, services: ServicesDep, session: SessionDep, auth: Issuer
) -> MemberLinked:
    row = _members(services, session, auth).link(body.member_id, body.address)
    return MemberLinked(address=row.address)


@router.post(
    "/members/erase",
    response_model=MemberErased,
    responses=WRITE_ERRORS,
    summary="Erase a member's link on request (PIPL); the chain is not touched",
)
def erase_member(
    body: MemberRef, services: ServicesDep, session: SessionDep, auth: Issuer
) -> MemberErased:
    return MemberErased(links_erased=_members(services, session, auth).erase(body.member_id))


@router.post(
    "/members/issue",
    response_model=MemberPointsTx,
    responses=MEMBER_WRITE_ERRORS,
    summary="Issue points to a member's linked wallet",
)
def issue_to_member(
    body: MemberIssueRequest,
    services: ServicesDep,
    session: SessionDep,
    operators: OperatorsDep,
    auth: Issuer,
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> MemberPointsTx:
    holder = _members(services, session, auth).resolve(body.member_id)

    def write() -> MemberPointsTx:
        tx_hash = _actions(services, operators, auth).issue(holder, body.amount)
        result = _result(services, tx_hash, wait).model_dump()
        return MemberPointsTx(**result, holder=holder, amount=body.amount)

    return idempotent(services.sessions, auth.token, key, fingerprint, MemberPointsTx, write)


@router.post(
    "/members/redeem",
    response_model=MemberPointsTx,
    responses=MEMBER_WRITE_ERRORS,
    summary="Redeem a member's points with the signed consent of the linked wallet",
)
def redeem_from_member(
    body: MemberRedeemRequest,
    services: ServicesDep,
    session: SessionDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.REDEEM))],
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> MemberPointsTx:
    holder = _members(services, session, auth).resolve(body.member_id)

    def write() -> MemberPointsTx:
        actions = _actions(services, operators, auth)
        tx_hash = actions.redeem(holder, body.amount, body.deadline, body.signature)
        result = _result(services, tx_hash, wait).model_dump()
        return MemberPointsTx(**result, holder=holder, amount=body.amount)

    return idempotent(services.sessions, auth.token, key, fingerprint, MemberPointsTx, write)


def _progress(session: SessionDep, job: BulkJob) -> BulkProgress:
    p = progress(session, job)
    return BulkProgress(
        job_id=p.job_id,
        state=p.state,  # type: ignore[arg-type]
        total=p.total,
        skipped=p.skipped,
        pending=p.pending,
        sent=p.sent,
        issued=p.issued,
        failed=p.failed,
    )


@router.post(
    "/bulk-issues",
    response_model=BulkProgress,
    responses=IDEMPOTENT_ERRORS,
    summary="Upload a bulk issuance file (CSV or JSON, up to 100 000 rows)",
    description="The body is the file. A file with any row error is refused whole "
    "(BULK_FILE_INVALID, details.errors lists line, field and what to fix); rows whose "
    "idempotency key was used before are skipped. The runner's bulk loop sends it.",
    openapi_extra={"requestBody": bulk_file_body()},
)
async def upload_bulk(
    request: Request,
    services: ServicesDep,
    auth: Issuer,
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    format: Annotated[Literal["csv", "json"], Query()] = "csv",
) -> BulkProgress:
    data = await request.body()

    def write() -> BulkProgress:
        rows = parse_bulk_file(data, format)
        with services.sessions() as session:
            job = create_job(session, _members(services, session, auth), rows)
            return _progress(session, job)

    def take() -> BulkProgress:
        return idempotent(services.sessions, auth.token, key, fingerprint, BulkProgress, write)

    # On a worker thread: checking and storing 100,000 rows takes seconds, and on the event
    # loop every other request of this process waited for it.
    return await anyio.to_thread.run_sync(take)


def _job(session: SessionDep, auth: MerchantAuth, job_id: int) -> BulkJob:
    job = session.get(BulkJob, job_id)
    if job is None or job.merchant_token != auth.token:
        raise NotFoundError(
            f"this merchant has no bulk issuance job {job_id}: list your uploads' job ids",
            code=ErrorCode.BULK_JOB_NOT_FOUND,
            job=job_id,
        )
    return job


@router.get(
    "/bulk-issues/{job_id}",
    response_model=BulkProgress,
    responses=READ_ERRORS,
    summary="A bulk issuance job's progress",
)
def bulk_progress(job_id: int, session: SessionDep, auth: Reader) -> BulkProgress:
    return _progress(session, _job(session, auth, job_id))


def _row(row: BulkRow) -> BulkRowResult:
    return BulkRowResult(
        line=row.line,
        idempotency_key=row.idempotency_key,
        address=row.address,
        amount=row.amount,
        state=row.state,  # type: ignore[arg-type]
        tx_hash=row.tx_hash if row.state != "pending" else None,
        block_number=row.block_number,
        error_code=row.error_code,
        error=row.error,
    )


@router.get(
    "/bulk-issues/{job_id}/rows",
    response_model=BulkRowPage,
    responses=READ_ERRORS,
    summary="A bulk issuance job's per-row results, in file order, paged",
)
def bulk_rows(
    job_id: int,
    session: SessionDep,
    auth: Reader,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> BulkRowPage:
    job = _job(session, auth, job_id)
    rows = session.scalars(
        select(BulkRow)
        .where(BulkRow.job_id == job.id)
        .order_by(BulkRow.id)
        .offset(offset)
        .limit(limit)
    )
    total = session.scalar(select(func.count()).where(BulkRow.job_id == job.id)) or 0
    return BulkRowPage(rows=[_row(r) for r in rows], offset=offset, total=int(total))


@router.get(
    "/bulk-issues/{job_id}/rows.csv",
    responses={**READ_ERRORS, **CSV_ANSWER},
    response_class=Response,
    summary="A bulk issuance job's per-row results as CSV",
)
def bulk_rows_csv(job_id: int, session: SessionDep, auth: Reader) -> Response:
    job = _job(session, auth, job_id)
    out = io.StringIO()
    fields = list(BulkRowResult.model_fields)
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for row in session.scalars(
        select(BulkRow).where(BulkRow.job_id == job.id).order_by(BulkRow.id)
    ):
        writer.writerow(_row(row).model_dump())
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="bulk-{job_id}.csv"'},
    )
