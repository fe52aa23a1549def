"""Bodies of the onboarding review routes (``routes/onboarding.py``).

The application's fields are plain text here on purpose: the service checks them all at once
and answers APPLICATION_INVALID with one sentence per field (``details.problems``), which says
more than a type error would (a licence number's check character, an e-mail's shape).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .schemas import Address, Model

Status = Literal["pending", "approved", "rejected"]
ProposalState = Literal["open", "executed", "cancelled", "expired", "unindexed"]


class ApplicationRequest(Model):
    """What a business files. Off chain only: company name, licence number, contacts. On
    approval the proposal carries the program's name and symbol, the operator address, the
    issuance cap and the point value (``admitMerchant``'s arguments) and nothing else."""

    company_name: str = Field("", max_length=500, description="registered company name")
    licence_number: str = Field(
        "", max_length=64, description="unified social credit code (统一社会信用代码, 18 chars)"
    )
    contact_name: str = Field("", max_length=500)
    contact_email: str = Field("", max_length=500)
    contact_phone: str = Field("", max_length=64, description="optional")
    program_name: str = Field("", max_length=500, description="the points program's public name")
    symbol: str = Field("", max_length=64, description="2–11 capital letters or digits")
    admin: str = Field("", max_length=64, description="the operator's wallet address")
    issuance_cap: int = Field(0, ge=0, lt=2**256, description="most points outstanding")
    point_value: int = Field(0, ge=0, lt=2**256, description="settlement units per point")


class ApplicationFiled(Model):
    """``reference`` is shown this once: the applicant looks its status up with it (only its
    hash is stored)."""

    id: int
    reference: str
    status: Status


class ProposalProgress(Model):
    """The governance proposal an approval opened, as the index has it (``unindexed``: the
    indexer has not reached it yet)."""

    id: int
    state: ProposalState
    approvals: int
    threshold: int
    tx_hash: str | None


class ApplicationStatus(Model):
    """What the applicant sees."""

    id: int
    status: Status
    program_name: str
    symbol: str
    submitted_at: datetime
    reviewed_at: datetime | None
    reason: str | None = Field(description="why it was rejected")
    proposal: ProposalProgress | None


class ApplicationView(ApplicationStatus):
    """What a reviewer sees: the application whole, and who reviewed it."""

    company_name: str
    licence_number: str
    contact_name: str
    contact_email: str
    contact_phone: str
    admin: Address
    issuance_cap: str = Field(description="decimal (uint256)")
    point_value: str = Field(description="decimal (uint64)")
    reviewer: str | None
    reviewer_member: Address | None


class ApplicationList(Model):
    applications: list[ApplicationView]


class RejectRequest(Model):
    reason: str = Field("", max_length=2000, description="what the applicant reads")


class ReviewResult(Model):
    """The reviewed application; after an approval, the proposal's transaction."""

    application: ApplicationView
    tx_hash: str | None = None
    proposal_id: int | None = None


class ConsortiumKeyInfo(Model):
    prefix: str
    member: Address
    label: str


class VoteCast(Model):
    """A member's vote (or the execution) of a proposal, mined."""

    proposal_id: int
    tx_hash: str
    block_number: int
