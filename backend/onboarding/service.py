"""The onboarding review: file an application, look it up by its reference, list the queue,
approve (open the governance proposal that would admit the merchant) or reject with a reason.

Approval claims the application first (``pending`` → ``approved`` in one conditional update),
then proposes: two reviewers pressing approve together make one proposal, not two, and the
loser is told APPLICATION_ALREADY_REVIEWED. A proposal the chain refuses puts the application
back to ``pending`` so it can be approved again; one sent but not seen mined keeps its
transaction, and the next look learns its id (``settle_proposal``). The proposer's own approval is
its vote; the other members vote on chain as on any proposal.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eth_account import Account
from eth_utils import to_checksum_address
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import TransactionNotFound
from web3.logs import DISCARD

from ..chain.transactions import Signer, wait_for
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..core.errors import ContractRevertError, NotFoundError, TongduiError, ValidationError
from .models import OnboardingApplication
from .validation import ApplicationForm, Problem, normalise, problems

REFERENCE_PREFIX = "tdr"
STATUSES = ("pending", "approved", "rejected")
MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class Reviewer:
    """Who reviews: the consortium key's prefix and label, and the member it acts for."""

    key_prefix: str
    member: str
    label: str


@dataclass(frozen=True, slots=True)
class Filed:
    """A filed application: its id (for reviewers) and the secret reference (the applicant's,
    shown once; only its hash is kept)."""

    application_id: int
    reference: str


class ApplicationReviewedError(TongduiError, ValueError):
    code = ErrorCode.APPLICATION_ALREADY_REVIEWED


class MemberKeyMissingError(TongduiError, LookupError):
    code = ErrorCode.MEMBER_KEY_NOT_CONFIGURED


class ApplicationInvalidError(ValidationError):
    """An application (or a rejection) that cannot be filed as sent: 422, every problem."""

    code = ErrorCode.APPLICATION_INVALID


def member_key(keys: list[str], member: str) -> str:
    """The governance key of ``member`` among the configured ones (``TONGDUI_MEMBER_KEYS``)."""
    for key in keys:
        if Account.from_key(key).address == member:
            return key
    raise MemberKeyMissingError(
        f"this backend holds no governance key of member {member}, which this reviewer's key "
        "acts for: add it to TONGDUI_MEMBER_KEYS and restart, or review with another member's "
        "key",
        member=member,
    )


def hash_reference(reference: str) -> str:
    return hashlib.sha256(reference.strip().encode()).hexdigest()


def submit(session: Session, form: ApplicationForm, taken_symbols: Iterable[str] = ()) -> Filed:
    """Checks and stores an application (the caller commits); APPLICATION_INVALID lists every
    field's problem. ``taken_symbols``: the admitted programs' symbols, which a new program
    may not repeat (the shell and the pages find a program by its symbol)."""
    clean = normalise(form)
    found = problems(clean)
    if clean.symbol in {symbol.upper() for symbol in taken_symbols}:
        found.append(
            Problem(
                "symbol", f"{clean.symbol} is already a program's symbol: choose another", "taken"
            )
        )
    if found:
        raise ApplicationInvalidError(
            "the application cannot be filed: "
            + "; ".join(f"{p.field}: {p.problem}" for p in found),
            problems=[{"field": p.field, "problem": p.problem, "type": p.type} for p in found],
        )
    reference = f"{REFERENCE_PREFIX}_{secrets.token_urlsafe(24)}"
    row = OnboardingApplication(
        reference_hash=hash_reference(reference),
        status="pending",
        company_name=clean.company_name,
        licence_number=clean.licence_number,
        contact_name=clean.contact_name,
        contact_email=clean.contact_email,
        contact_phone=clean.contact_phone,
        program_name=clean.program_name,
        symbol=clean.symbol,
        admin=str(to_checksum_address(clean.admin)),
        issuance_cap=str(clean.issuance_cap),
        point_value=str(clean.point_value),
        submitted_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return Filed(row.id, reference)


def by_reference(session: Session, reference: str) -> OnboardingApplication:
    row = session.scalar(
        select(OnboardingApplication).where(
            OnboardingApplication.reference_hash == hash_reference(reference)
        )
    )
    if row is None:
        raise NotFoundError(
            "no application has this reference: check it against the one you were given "
            "when you applied (it starts with tdr_)",
            code=ErrorCode.APPLICATION_NOT_FOUND,
        )
    return row


def by_id(session: Session, application_id: int) -> OnboardingApplication:
    row = session.get(OnboardingApplication, application_id)
    if row is None:
        raise NotFoundError(
            f"there is no application #{application_id}; the review list shows them",
            code=ErrorCode.APPLICATION_NOT_FOUND,
            application_id=application_id,
        )
    return row


def queue(session: Session, status: str | None = None) -> list[OnboardingApplication]:
    """Applications, pending first then newest first; only ``status`` when given."""
    query = select(OnboardingApplication)
    if status is not None:
        query = query.where(OnboardingApplication.status == status)
    rows = list(session.scalars(query))
    rows.sort(key=lambda r: (r.status != "pending", -r.id))
    return rows


def _claim(session: Session, application_id: int, reviewer: Reviewer, outcome: str) -> None:
    """Marks a pending application reviewed, or refuses: not found, or already reviewed."""
    claimed = session.execute(
        update(OnboardingApplication)
        .where(OnboardingApplication.id == application_id)
        .where(OnboardingApplication.status == "pending")
        .values(
            status=outcome,
            reviewed_at=datetime.now(UTC),
            reviewer=reviewer.label or reviewer.key_prefix,
            reviewer_member=reviewer.member,
        )
    )
    if claimed.rowcount == 1:  # type: ignore[attr-defined]
        return
    row = by_id(session, application_id)
    raise ApplicationReviewedError(
        f"application #{application_id} was already {row.status} by {row.reviewer} on "
        f"{row.reviewed_at:%Y-%m-%d %H:%M} UTC; a decision is not reviewed twice",
        application_id=application_id,
        decision=row.status,
    )


def reject(
    sessions: sessionmaker[Session], application_id: int, reviewer: Reviewer, reason: str
) -> OnboardingApplication:
    """Rejects a pending application with the reason the applicant will read."""
    text = reason.strip()
    if not text or len(text) > MAX_REASON:
        raise ApplicationInvalidError(
            f"a rejection needs a reason the applicant can act on (1 to {MAX_REASON} characters)",
            problems=[
                {
                    "field": "reason",
                    "problem": "give the reason for the rejection",
                    "type": "invalid",
                }
            ],
        )
    with transaction(sessions) as session:
        _claim(session, application_id, reviewer, "rejected")
        row = by_id(session, application_id)
        row.reason = text
    with sessions() as session:
        return by_id(session, application_id)


def admission_call(registry: Contract, row: OnboardingApplication) -> tuple[str, int, str]:
    """The one call the proposal makes: ``admitMerchant`` with the public program facts only
    (no company name, licence or contact leaves the database)."""
    data = registry.encode_abi(
        "admitMerchant",
        args=[
            row.program_name,
            row.symbol,
            row.admin,
            int(row.issuance_cap),
            int(row.point_value),
        ],
    )
    return (registry.address, 0, data)


def _reopen(sessions: sessionmaker[Session], application_id: int) -> None:
    """No proposal was made: the application waits for a review again."""
    with transaction(sessions) as session:
        session.execute(
            update(OnboardingApplication)
            .where(OnboardingApplication.id == application_id)
            .values(
                status="pending",
                reviewed_at=None,
                reviewer=None,
                reviewer_member=None,
                proposal_tx=None,
            )
        )


def _record_proposal(
    sessions: sessionmaker[Session], governance: Contract, application_id: int, receipt: Any
) -> None:
    [created] = governance.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)
    with transaction(sessions) as session:
        by_id(session, application_id).proposal_id = int(created["args"]["id"])


def approve(
    sessions: sessionmaker[Session],
    w3: Web3,
    governance: Contract,
    registry: Contract,
    application_id: int,
    reviewer: Reviewer,
    member_key: str,
) -> OnboardingApplication:
    """Approves a pending application: proposes its admission with ``member_key`` (the
    reviewer's member) and records the proposal's transaction, then its id.

    Refused before sending (the estimate decodes the contract's error) or reverted once mined:
    the application is pending again. Sent but not seen mined in time: it stays approved with
    its transaction, whose proposal id ``settle_proposal`` fills in later (sending again could
    make a second proposal)."""
    with transaction(sessions) as session:
        _claim(session, application_id, reviewer, "approved")
        row = by_id(session, application_id)
        call = admission_call(registry, row)
        text = f"Admit {row.program_name} ({row.symbol}): onboarding application #{row.id}"
    try:
        tx_hash = Signer(w3, member_key).transact(governance.functions.propose([call], text))
    except BaseException:
        _reopen(sessions, application_id)
        raise
    with transaction(sessions) as session:
        by_id(session, application_id).proposal_tx = "0x" + bytes(tx_hash).hex()
    try:
        [receipt] = wait_for(w3, [tx_hash])
    except ContractRevertError:
        _reopen(sessions, application_id)
        raise
    _record_proposal(sessions, governance, application_id, receipt)
    with sessions() as session:
        return by_id(session, application_id)


def settle_proposal(
    sessions: sessionmaker[Session], w3: Web3, governance: Contract, row: OnboardingApplication
) -> OnboardingApplication:
    """An approval whose proposal was sent but not seen mined: its id from the receipt now
    (unchanged while the transaction is still pending)."""
    if row.proposal_id is not None or row.proposal_tx is None:
        return row
    try:
        receipt = w3.eth.get_transaction_receipt(row.proposal_tx)  # type: ignore[arg-type]
    except TransactionNotFound:
        return row
    if receipt["status"] != 1:
        _reopen(sessions, row.id)
    else:
        _record_proposal(sessions, governance, row.id, receipt)
    with sessions() as session:
        return by_id(session, row.id)
