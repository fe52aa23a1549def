"""The signed orders behind swaps, read back from the transactions that carried them.

``Swapped`` does not carry an order's deadline or counter, so invariant 4 (an expired or
cancelled order never executes) needs the calldata: ``settle(orders, signatures)`` or
``swap(order)``. The auditor recomputes each order's EIP-712 hash itself (domain
"Tongdui PointsExchange" v1, the chain id, the exchange) and recovers its signer, rather than
trusting the backend's EIP-712 module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coincurve import PublicKey
from eth_abi import encode as abi_encode
from eth_utils import keccak

from .hashing import keccak256

ORDER = "(address,address,address,uint256,uint256,uint256,uint256,uint256)"
SETTLE = keccak(text=f"settle({ORDER}[],bytes[])")[:4]
SWAP = keccak(text=f"swap({ORDER})")[:4]
ORDER_TYPEHASH = keccak(
    text="SwapOrder(address owner,address fromToken,address toToken,uint256 amountIn,"
    "uint256 minAmountOut,uint256 nonce,uint256 deadline,uint256 counter)"
)
DOMAIN_TYPEHASH = keccak(
    text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class SignedOrder:
    owner: str  # lowercase
    from_token: str
    to_token: str
    amount_in: int
    min_amount_out: int
    nonce: int
    deadline: int
    counter: int
    order_hash: str  # 0x hex, the EIP-712 digest
    signer: str | None  # recovered from the signature; the sender for a direct swap


def domain_separator(chain_id: int, exchange: str) -> bytes:
    return keccak(
        abi_encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [
                DOMAIN_TYPEHASH,
                keccak(text="Tongdui PointsExchange"),
                keccak(text="1"),
                chain_id,
                exchange,
            ],
        )
    )


def _recover(digest: bytes, signature: bytes) -> str | None:
    """As OpenZeppelin's ECDSA.tryRecover: 65-byte (r, s, v) or 64-byte EIP-2098; None if bad."""
    if len(signature) == 65:
        r, s, v = signature[:32], signature[32:64], signature[64]
    elif len(signature) == 64:
        r, vs = signature[:32], int.from_bytes(signature[32:], "big")
        s, v = (vs & ((1 << 255) - 1)).to_bytes(32, "big"), (vs >> 255) + 27
    else:
        return None
    if int.from_bytes(s, "big") > SECP256K1_N // 2 or v not in (27, 28):
        return None
    try:
        public = PublicKey.from_signature_and_message(r + s + bytes([v - 27]), digest, hasher=None)
    except Exception:
        return None
    return "0x" + keccak256(public.format(compressed=False)[1:])[12:].hex()


def _word(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 32], "big")


def _split_settle(body: bytes) -> list[tuple[bytes, bytes | None]]:
    """settle(SwapOrder[], bytes[]) calldata → [(the order's 8 words, signature)].

    Decoded by hand: an order is eight static words, which are also exactly what
    ``abi.encode`` puts after the type hash in ``OrderLib.hash``."""
    orders_at, signatures_at = _word(body, 0), _word(body, 32)
    count = _word(body, orders_at)
    orders = [body[orders_at + 32 + 256 * i : orders_at + 32 + 256 * (i + 1)] for i in range(count)]
    signatures: list[bytes | None] = []
    base = signatures_at + 32
    for i in range(_word(body, signatures_at)):
        at = base + _word(body, base + 32 * i)
        signatures.append(body[at + 32 : at + 32 + _word(body, at)])
    return list(zip(orders, signatures, strict=False))


def orders_of(tx: dict[str, Any], exchange: str, separator: bytes) -> list[SignedOrder]:
    """The orders a transaction submitted to the exchange; [] for any other transaction."""
    if (tx.get("to") or "").lower() != exchange:
        return []
    data = bytes.fromhex(tx["input"][2:])
    selector, body = data[:4], data[4:]
    try:
        if selector == SETTLE:
            pairs = _split_settle(body)
        elif selector == SWAP:
            pairs = [(body[:256], None)]
        else:
            return []
    except (IndexError, ValueError):
        return []
    orders = []
    for words, signature in pairs:
        if len(words) != 256:
            continue
        digest = keccak256(b"\x19\x01" + separator + keccak256(ORDER_TYPEHASH + words))
        signer = tx["from"].lower() if signature is None else _recover(digest, signature)
        w = [words[i : i + 32] for i in range(0, 256, 32)]
        orders.append(
            SignedOrder(
                owner="0x" + w[0][12:].hex(),
                from_token="0x" + w[1][12:].hex(),
                to_token="0x" + w[2][12:].hex(),
                amount_in=int.from_bytes(w[3], "big"),
                min_amount_out=int.from_bytes(w[4], "big"),
                nonce=int.from_bytes(w[5], "big"),
                deadline=int.from_bytes(w[6], "big"),
                counter=int.from_bytes(w[7], "big"),
                order_hash="0x" + digest.hex(),
                signer=signer,
            )
        )
    return orders
