"""Static ABI words (uintN, bool, address, bytesN; one level of tuple) without eth_abi's
generic machinery: ~15 µs instead of ~80 µs a call.

Why: intake encodes six view calls per order, the relayer a 100-order ``settle`` and decodes
its receipt's events; for our own contracts' static words eth_abi's type registry and range
checks were a large part of a profile. Anything else goes to eth_abi unchanged.
"""

from __future__ import annotations

from typing import Any

from eth_abi import decode, encode

_WORD = 32


def _static(abi_type: str) -> bool:
    return (
        abi_type in ("address", "bool")
        or (abi_type.startswith("uint") and abi_type[4:].isdigit())
        or (abi_type.startswith("bytes") and abi_type[5:].isdigit())
    )


def _elements(types: tuple[str, ...]) -> list[str] | None:
    """The flat list of elementary types, if every one is a static word (one level of tuple)."""
    flat: list[str] = []
    for abi_type in types:
        inner = abi_type[1:-1].split(",") if abi_type.startswith("(") else [abi_type]
        if not all(_static(t) for t in inner):
            return None
        flat += inner
    return flat


def encode_static(types: tuple[str, ...], args: tuple[Any, ...]) -> bytes:
    """``eth_abi.encode`` for address / bool / uintN arguments; eth_abi for anything else."""
    if _elements(types) != list(types) or any(t.startswith("bytes") for t in types):
        return encode(types, args)
    words = []
    for abi_type, value in zip(types, args, strict=True):
        if abi_type == "address":
            raw = bytes.fromhex(value[2:])
            if len(raw) != 20:
                raise ValueError(f"not an address: {value}")
            words.append(b"\0" * 12 + raw)
        elif abi_type == "bool":
            words.append(bool(value).to_bytes(_WORD, "big"))
        else:
            number = int(value)
            if not 0 <= number < 1 << int(abi_type[4:]):
                raise ValueError(f"{number} does not fit {abi_type}")
            words.append(number.to_bytes(_WORD, "big"))
    return b"".join(words)


def decode_static(types: tuple[str, ...], data: bytes) -> tuple[Any, ...]:
    """``eth_abi.decode`` for static words (uintN, bool, address, bytesN; one level of tuple),
    without its range checks: for answers of our own contracts. eth_abi for anything else."""
    flat = _elements(types)
    if flat is None or len(data) < _WORD * len(flat):
        return tuple(decode(types, data))
    values: list[Any] = []
    for i, abi_type in enumerate(flat):
        word = data[i * _WORD : (i + 1) * _WORD]
        if abi_type == "bool":
            values.append(word[-1] != 0)
        elif abi_type == "address":
            values.append("0x" + word[12:].hex())  # lowercase, as eth_abi decodes
        elif abi_type.startswith("bytes"):
            values.append(word[: int(abi_type[5:])])
        else:
            values.append(int.from_bytes(word, "big"))
    out: list[Any] = []
    at = 0
    for abi_type in types:
        width = abi_type.count(",") + 1 if abi_type.startswith("(") else 1
        out.append(tuple(values[at : at + width]) if abi_type.startswith("(") else values[at])
        at += width
    return tuple(out)
