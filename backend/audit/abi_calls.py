"""Contract calls as the committed ABIs define them: signature, calldata and result types.

The audit's state reads name a contract and a function; everything the wire needs is derived
here from ``chain/artifacts`` (the same files the contracts are deployed from), so a changed
return type or argument list cannot drift from a hand-written signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak

from ..chain.artifacts import abi


def _type_string(item: dict[str, Any]) -> str:
    kind: str = item["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_type_string(c) for c in item["components"])
        return f"({inner}){kind[5:]}"
    return kind


@dataclass(frozen=True)
class AbiFunction:
    """One function of a contract's ABI, ready to call."""

    signature: str  # ``market(address)``
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    def calldata(self, args: list[Any]) -> bytes:
        return keccak(text=self.signature)[:4] + abi_encode(list(self.inputs), args)

    def results(self, raw: bytes) -> list[Any]:
        """The returned values, one per field: a single struct is opened into its fields."""
        values = abi_decode(list(self.outputs), raw)
        if len(self.outputs) == 1:
            return list(values[0]) if self.outputs[0].startswith("(") else [values[0]]
        return list(values)


@cache
def function(contract: str, name: str, arity: int) -> AbiFunction:
    """Function ``name`` of ``contract`` taking ``arity`` arguments, from its committed ABI."""
    for entry in abi(contract):
        if entry["type"] == "function" and entry["name"] == name:
            inputs = tuple(_type_string(i) for i in entry["inputs"])
            if len(inputs) == arity:
                outputs = tuple(_type_string(o) for o in entry["outputs"])
                return AbiFunction(f"{name}({','.join(inputs)})", inputs, outputs)
    raise KeyError(f"{contract} has no function {name} taking {arity} arguments")
