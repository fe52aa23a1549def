"""Models shared by the query and merchant routes: the ``Error`` body, addresses, and how each
route documents the errors it can answer with (so a generated client knows every shape)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from eth_utils import is_address, to_checksum_address
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from ..core.error_codes import ErrorCode


@lru_cache(maxsize=65_536)
def _checksum(value: str) -> str:
    """Checksummed; remembered, since every answer validates the same few addresses (tokens,
    relayers, its owner) several times and each checksum is a keccak."""
    if not is_address(value):
        raise ValueError("not an address: expected 0x followed by 40 hex digits")
    return str(to_checksum_address(value))


# 40 hex digits, with or without 0x, any case (a mixed-case one must carry a valid EIP-55
# checksum); answers give it checksummed. The pattern comes first so that it is both checked
# and published: after the validator it was neither, and the schema said plain "string".
ADDRESS_PATTERN = r"^(0[xX])?[0-9a-fA-F]{40}$"
Address = Annotated[
    str,
    Field(pattern=ADDRESS_PATTERN, examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]),
    AfterValidator(_checksum),
]
TxHash = Annotated[str, Field(pattern=r"^0x[0-9a-f]{64}$")]


class Model(BaseModel):
    """camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Error(BaseModel):
    """Every error the API returns: a stable ``code`` to switch on, a sentence for a person,
    and the values behind it (a contract error's arguments, the invalid fields …)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "UNKNOWN_MARKET",
                    "message": "That points token is not a program on Tongdui.",
                    "details": {"error": "ExchangeUnknownMarket", "args": {"token": "0x…"}},
                }
            ]
        }
    )

    code: str = Field(description="stable, SCREAMING_SNAKE_CASE; clients switch on it")
    message: str = Field(description="what went wrong and what to do, for a person")
    details: dict[str, Any] = Field(default_factory=dict)


E = ErrorCode
_DESCRIPTIONS = {
    400: f"The request can never succeed as sent (e.g. `{E.INVALID_ADDRESS}`, `{E.SAME_TOKEN}`).",
    401: f"No API key, or an unknown, malformed or revoked one (`{E.UNAUTHORIZED}`).",
    403: f"The key belongs to another merchant or lacks the scope (`{E.FORBIDDEN}`).",
    404: f"No such resource (`{E.NOT_FOUND}`, `{E.UNKNOWN_MERCHANT}`).",
    422: f"Invalid fields (`{E.INVALID_REQUEST}`) or a contract refusal decoded to its stable "
    f"code (`{E.UNKNOWN_MARKET}`, `{E.VALUE_STEP_TOO_LARGE}`, `{E.CAP_EXCEEDED}` …).",
    500: f"Unexpected failure (`{E.INTERNAL_ERROR}`); nothing was applied.",
    503: f"The chain node is unreachable (`{E.CHAIN_UNAVAILABLE}`) or a key is not configured.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status documented with the ``Error`` body."""
    return {s: {"model": Error, "description": _DESCRIPTIONS[s]} for s in (*statuses, 500)}


def code_responses(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """``responses=`` built from the catalogue: each code under its status, with its sentence,
    so the document lists exactly the codes a route refuses with and never a stale one."""
    by_status: dict[int, list[ErrorCode]] = {}
    for code in codes:
        by_status.setdefault(code.status, []).append(code)
    return {
        status: {
            "model": Error,
            "description": "\n".join(f"- `{code}`: {code.message}" for code in listed),
        }
        for status, listed in sorted(by_status.items())
    }
