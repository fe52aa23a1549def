"""Helpers shared by the contract tests: custom-error assertions and EIP-712 signing.

Why: brownie decodes a custom error into the text ``"Name: arg1, arg2"`` (addresses in lower
case, ``bytes`` as their Python repr). Building that text by hand in every test is error
prone, so :func:`reverts_with` builds it from the error's name and its arguments, the way the
Solidity source reads: ``with reverts_with("PointsTokenCapExceeded", 101, 100): …``.
"""

from __future__ import annotations

import functools
from typing import Any

import brownie
from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from tongdui.chain.eip712 import DOMAIN_FIELDS as EIP712_DOMAIN_FIELDS


@functools.cache
def _error_abis() -> dict[str, dict[str, Any]]:
    """Every custom error of the loaded brownie project, by name."""
    errors: dict[str, dict[str, Any]] = {}
    for project in brownie.project.get_loaded_projects():
        for container in project:
            for item in container.abi:
                if item["type"] == "error":
                    errors[item["name"]] = item
    return errors


def _error_types(name: str) -> list[str]:
    try:
        abi = _error_abis()[name]
    except KeyError:
        raise KeyError(f"no custom error named {name!r} in the compiled contracts") from None
    return [field["type"] for field in abi["inputs"]]


def _address_of(value: Any) -> str:
    return str(getattr(value, "address", value))


def _as_abi_value(kind: str, value: Any) -> Any:
    if kind == "address":
        return _address_of(value)
    if kind.startswith("bytes"):
        return bytes(value) if not isinstance(value, str) else bytes.fromhex(value[2:])
    return value


def error_data(name: str, *args: Any) -> bytes:
    """The revert data of error ``name`` with ``args``: selector then ABI-encoded arguments
    (what ``GovernanceCallFailed`` carries as its ``reason``)."""
    types = _error_types(name)
    selector = keccak(text=f"{name}({','.join(types)})")[:4]
    values = [_as_abi_value(kind, value) for kind, value in zip(types, args, strict=True)]
    return selector + encode(types, values)


def error_message(name: str, *args: Any) -> str:
    """The text brownie shows for error ``name`` with ``args``."""
    types = _error_types(name)
    if len(types) != len(args):
        raise TypeError(f"{name} takes {len(types)} arguments, got {len(args)}")
    shown = []
    for kind, value in zip(types, args, strict=True):
        value = _as_abi_value(kind, value)
        if kind == "address":
            value = value.lower()
        elif kind == "bool":
            value = bool(value)
        elif kind.startswith("uint") or kind.startswith("int"):
            value = int(value)
        shown.append(str(value))
    return f"{name}: {', '.join(shown)}"


def reverts_with(name: str, *args: Any) -> Any:
    """A context manager that expects the call to revert with custom error ``name(args…)``."""
    return brownie.reverts(error_message(name, *args))


def unauthorized(account: Any, role: bytes | str) -> Any:
    """Expects OpenZeppelin's ``AccessControlUnauthorizedAccount(account, role)``."""
    return reverts_with("AccessControlUnauthorizedAccount", account, role)


def call_failed(proposal_id: int, index: int, name: str, *args: Any) -> Any:
    """Expects a governance vote to fail in call ``index`` with the inner error ``name``."""
    return reverts_with("GovernanceCallFailed", proposal_id, index, error_data(name, *args))


def token_domain(token: Any, version: str = "1") -> dict[str, Any]:
    """The EIP-712 domain of an OpenZeppelin ERC20Permit token: name = the token's name."""
    return {
        "name": token.name(),
        "version": version,
        "chainId": brownie.chain.id,
        "verifyingContract": token.address,
    }


def sign_typed(
    private_key: bytes | str,
    domain: dict[str, Any],
    primary_type: str,
    fields: list[dict[str, str]],
    message: dict[str, Any],
) -> bytes:
    """A 65-byte r‖s‖v signature of typed data, as a wallet's ``eth_signTypedData_v4``."""
    typed = {
        "types": {"EIP712Domain": EIP712_DOMAIN_FIELDS, primary_type: fields},
        "primaryType": primary_type,
        "domain": domain,
        "message": message,
    }
    signed = Account.sign_message(encode_typed_data(full_message=typed), private_key)
    return bytes(signed.signature)


def signer_of(
    signature: bytes,
    domain: dict[str, Any],
    primary_type: str,
    fields: list[dict[str, str]],
    message: dict[str, Any],
) -> str:
    """The address that ``signature`` recovers to for the typed data (checksummed)."""
    typed = {
        "types": {"EIP712Domain": EIP712_DOMAIN_FIELDS, primary_type: fields},
        "primaryType": primary_type,
        "domain": domain,
        "message": message,
    }
    return str(Account.recover_message(encode_typed_data(full_message=typed), signature=signature))
