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

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_keys import keys
from eth_utils import keccak

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
        sig = keys.Signature(vrs=(v - 27, int.from_bytes(r, "big"), int.from_bytes(s, "big")))
        return "0x" + sig.recover_public_key_from_msg_hash(digest).to_canonical_address().hex()
    except Exception:
        return None


def orders_of(tx: dict[str, Any], exchange: str, separator: bytes) -> list[SignedOrder]:
    """The orders a transaction submitted to the exchange; [] for any other transaction."""
    if (tx.get("to") or "").lower() != exchange:
        return []
    data = bytes.fromhex(tx["input"][2:])
    selector, body = data[:4], data[4:]
    if selector == SETTLE:
        raw_orders, signatures = abi_decode([f"{ORDER}[]", "bytes[]"], body)
        pairs = list(zip(raw_orders, signatures, strict=False))
    elif selector == SWAP:
        (raw_order,) = abi_decode([ORDER], body)
        pairs = [(raw_order, None)]
    else:
        return []
    orders = []
    for raw, signature in pairs:
        struct_hash = keccak(
            abi_encode(["bytes32", *ORDER[1:-1].split(",")], [ORDER_TYPEHASH, *raw])
        )
        digest = keccak(b"\x19\x01" + separator + struct_hash)
        signer = tx["from"].lower() if signature is None else _recover(digest, signature)
        orders.append(
            SignedOrder(
                owner=raw[0].lower(),
                from_token=raw[1].lower(),
                to_token=raw[2].lower(),
                amount_in=raw[3],
                min_amount_out=raw[4],
                nonce=raw[5],
                deadline=raw[6],
                counter=raw[7],
                order_hash="0x" + digest.hex(),
                signer=signer,
            )
        )
    return orders
