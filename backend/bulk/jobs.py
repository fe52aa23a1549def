"""Turning a checked file into a job: member ids resolved, used keys skipped, rows stored.

Member ids are resolved to addresses here, at upload, so an unlinked member is a row error of
the file (nothing issued) and the stored rows never hold a member id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..members.directory import MemberDirectory, MemberNotLinkedError
from .models import FAILED, ISSUED, JOB_RUNNING, PENDING, SENT, BulkJob, BulkRow
from .parse import BulkInput, RowError, bulk_errors

KEY_CHUNK = 500  # keys per IN (...) lookup: well under SQLite's variable limit


@dataclass(frozen=True, slots=True)
class Progress:
    job_id: int
    state: str
    total: int
    skipped: int
    pending: int
    sent: int
    issued: int
    failed: int


def create_job(session: Session, members: MemberDirectory, rows: list[BulkInput]) -> BulkJob:
    """Stores the job and its rows (state ``pending``); commits. Rows whose key the merchant
    already used are skipped (counted in ``skipped``)."""
    token = members.token
    errors: list[RowError] = []
    addresses: list[str] = []
    for row in rows:
        if row.address is not None:
            addresses.append(row.address)
            continue
        assert row.member_id is not None
        try:
            addresses.append(members.resolve(row.member_id))
        except MemberNotLinkedError:
            addresses.append("")
            errors.append(RowError(row.line, "member_id", "no wallet is linked to this member"))
    if errors:
        raise bulk_errors(errors)
    used: set[str] = set()
    keys = [row.idempotency_key for row in rows]
    for start in range(0, len(keys), KEY_CHUNK):
        used.update(
            session.scalars(
                select(BulkRow.idempotency_key).where(
                    BulkRow.merchant_token == token,
                    BulkRow.idempotency_key.in_(keys[start : start + KEY_CHUNK]),
                )
            )
        )
    fresh = [(row, address) for row, address in zip(rows, addresses, strict=True)]
    fresh = [(row, address) for row, address in fresh if row.idempotency_key not in used]
    job = BulkJob(
        merchant_token=token,
        state=JOB_RUNNING,
        total=len(fresh),
        skipped=len(rows) - len(fresh),
        created_at=datetime.now(UTC),
    )
    session.add(job)
    session.flush()
    session.bulk_insert_mappings(
        BulkRow,
        [
            {
                "job_id": job.id,
                "merchant_token": token,
                "line": row.line,
                "idempotency_key": row.idempotency_key,
                "address": address,
                "amount": row.amount,
                "state": PENDING,
            }
            for row, address in fresh
        ],
    )
    session.commit()
    return job


def progress(session: Session, job: BulkJob) -> Progress:
    counts: dict[str, int] = {
        state: int(n)
        for state, n in session.execute(
            select(BulkRow.state, func.count())
            .where(BulkRow.job_id == job.id)
            .group_by(BulkRow.state)
        ).tuples()
    }
    return Progress(
        job.id,
        job.state,
        job.total,
        job.skipped,
        int(counts.get(PENDING, 0)),
        int(counts.get(SENT, 0)),
        int(counts.get(ISSUED, 0)),
        int(counts.get(FAILED, 0)),
    )
