"""Decoding contract custom errors into stable API codes and messages a person understands.

Each custom error in the ABIs (``ExchangeOrderExpired(uint256)`` …) maps by its 4-byte selector
to a code (``ORDER_EXPIRED``: the name without its contract prefix, in SCREAMING_SNAKE_CASE)
and a sentence. The codes are part of the API: clients switch on them, so they never change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi import decode
from eth_utils import keccak, to_checksum_address

from .artifacts import all_abis

_PREFIXES = (
    "Exchange",
    "PointsToken",
    "Settlement",
    "Registry",
    "Governance",
    "Attestation",
)

# What a person should read for the errors users and merchants actually meet.
MESSAGES: dict[str, str] = {
    "ORDER_EXPIRED": "The order's deadline has passed; sign a new order with a later deadline.",
    "NONCE_USED": "This order's nonce was already used or cancelled; sign with a fresh nonce.",
    "ORDER_CANCELLED": "All orders signed before your last cancel-all are void; sign again.",
    "INVALID_SIGNER": "The signature does not match the order's owner; sign it with that wallet.",
    "NOT_OWNER": "Only the order's owner may submit it directly.",
    "SAME_TOKEN": "Choose two different programs to swap between.",
    "ZERO_AMOUNT": "The amount must be greater than zero.",
    "ZERO_OUTPUT": "The amount is too small to buy even one point of the target program.",
    "UNKNOWN_MARKET": "That points token is not a program on Tongdui.",
    "MARKET_INACTIVE": "That program is suspended; swaps in and out are paused.",
    "INSUFFICIENT_OUTPUT": "The swap would give fewer points than your minimum; quote again.",
    "INSUFFICIENT_COVER": (
        "The source merchant's settlement account cannot cover this swap right now; "
        "try a smaller amount or later."
    ),
    "USER_LIMIT_EXCEEDED": (
        "This swap would pass your swap limit; the limit recovers gradually, so swap less "
        "or wait a while."
    ),
    "ORDER_VALUE_TOO_LOW": (
        "The order is worth less than the smallest order the exchange accepts; "
        "swap more points at once."
    ),
    "COUNTER_MISMATCH": (
        "This cancel-all was signed for an older counter (it was already used, or another "
        "cancel-all came first); read your counter and sign again."
    ),
    "BELOW_COVER_FLOOR": (
        "The withdrawal would leave the settlement account below the cover floor governance "
        "set against your outstanding points; withdraw less."
    ),
    "VALUE_OUTSIDE_DAILY_BAND": (
        "The new value leaves the band governance allows around today's reference value; "
        "choose a value closer to it or wait until the reference period ends."
    ),
    "VALUE_INTERVAL_TOO_SHORT": "Governance may not set a point-value interval that short.",
    "ORDER_FAILED_WITHOUT_REASON": (
        "An order of the batch ran out of gas; the batch was not applied. Retry with more gas."
    ),
    "NOT_MERCHANT_ADMIN": "Only the merchant's operator key may do this.",
    "INVALID_POINT_VALUE": "A point value must be a whole number of settlement units above 0.",
    "VALUE_STEP_TOO_LARGE": "The change is larger than governance's maximum step.",
    "VALUE_CHANGE_TOO_SOON": "The point value was changed too recently; wait for the interval.",
    "INSUFFICIENT_SETTLEMENT_BALANCE": "The settlement account holds less than that amount.",
    "NOTHING_TO_WITHDRAW": "There is no credit to withdraw.",
    "ACCOUNT_FROZEN": "The account is frozen by the merchant or the consortium.",
    "CAP_EXCEEDED": (
        "This would take the merchant's outstanding points past its cap (issuing and swapping "
        "in both count); issue or swap in less, or ask the consortium for a larger cap."
    ),
    "NOT_ISSUER": "That key is not one of the merchant's issuer keys.",
    "ISSUANCE_SUSPENDED": "The merchant is suspended and cannot issue points.",
    "ENFORCED_PAUSE": "The contract is paused by the consortium.",
    "ERC20_INSUFFICIENT_BALANCE": "The account holds fewer points than that.",
    "ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT": "The sending key lacks the role this needs.",
    "PROPOSAL_NOT_OPEN": "The proposal is no longer open: executed, cancelled or expired.",
    "NOT_ENOUGH_APPROVALS": (
        "Not enough current members approved under the current membership and threshold; "
        "approvals given before the last change must be given again."
    ),
    "CALL_TARGET_HAS_NO_CODE": "A call of the proposal targets an address with no contract.",
    "INVALID_THRESHOLD": (
        "The threshold must be between 1 and the member count, and at least 2 when there are "
        "several members."
    ),
    "BLOCK_HASH_MISMATCH": (
        "That block hash is not this chain's block at that height (a reorg?); audit again."
    ),
}


@dataclass(frozen=True, slots=True)
class DecodedError:
    """A contract error: its name, stable code, arguments and a message."""

    name: str
    code: str
    args: dict[str, Any]
    message: str


def _code(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) and name[len(prefix)].isupper():
            name = name[len(prefix) :]
            break
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper().replace("E_R_C20", "ERC20")


@cache
def error_table() -> dict[bytes, tuple[str, list[str], list[str]]]:
    """selector → (error name, argument names, argument types), over every platform ABI."""
    table: dict[bytes, tuple[str, list[str], list[str]]] = {}
    for entries in all_abis().values():
        for entry in entries:
            if entry.get("type") != "error":
                continue
            types = [item["type"] for item in entry["inputs"]]
            names = [item["name"] or f"arg{i}" for i, item in enumerate(entry["inputs"])]
            selector = keccak(text=f"{entry['name']}({','.join(types)})")[:4]
            table[selector] = (entry["name"], names, types)
    return table


def code_for_selector(selector: bytes) -> str:
    """The stable code of an error selector (``UNKNOWN_ERROR`` if not in any ABI)."""
    found = error_table().get(bytes(selector[:4]))
    return _code(found[0]) if found else "UNKNOWN_ERROR"


def _readable(abi_type: str, value: Any) -> Any:
    """Addresses checksummed (as every other answer of the API), bytes as hex."""
    if abi_type == "address" and isinstance(value, str):
        return to_checksum_address(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def decode_error(data: bytes) -> DecodedError:
    """Decodes revert data (selector ‖ ABI-encoded arguments)."""
    found = error_table().get(bytes(data[:4]))
    if found is None:
        return DecodedError(
            "Unknown",
            "UNKNOWN_ERROR",
            {"data": "0x" + data.hex()},
            "The contract refused the call for an unknown reason.",
        )
    name, names, types = found
    try:
        values = decode(types, data[4:])
    except Exception:  # malformed arguments: keep the name, drop the values
        values = tuple(None for _ in types)
    args = {n: _readable(t, v) for n, t, v in zip(names, types, values, strict=True)}
    code = _code(name)
    return DecodedError(name, code, args, MESSAGES.get(code, f"The contract refused: {name}."))
