"""Bodies of the operators and operation-log routes (``routes/operations.py``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .schemas import Address, Model


class OperatorRequest(Model):
    name: str = Field(min_length=1, max_length=100)
    role: Literal["admin", "issuer", "cashier", "viewer"]


class OperatorView(Model):
    id: int
    token: Address
    name: str
    role: str
    scopes: list[str]
    key_prefixes: list[str]


class OperatorKeyCreated(Model):
    """A new operator key: ``key`` is shown this once; only its hash is stored."""

    operator: OperatorView
    key: str


class OpLogRow(Model):
    seq: int
    at: str
    merchant_token: str | None
    actor: dict[str, Any]
    action: str
    target: str
    request_digest: str
    result: dict[str, Any]
    prev_hash: str
    hash: str


class OpLogPage(Model):
    entries: list[OpLogRow]
    next_after: int | None


class OpLogVerification(Model):
    """``ok`` when every hash and link recomputes; else the first broken seq and why
    (``gap``: a row deleted, ``prev_hash``: reordered or replaced, ``hash``: edited)."""

    ok: bool
    entries: int
    head_hash: str
    broken_at: int | None = None
    reason: Literal["gap", "prev_hash", "hash"] | None = None
