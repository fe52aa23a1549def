"""What one order costs in Python before any I/O (issue 19, "a cheaper order"): parsing and
validating its JSON, turning it into the typed order, its EIP-712 digest and its signature
recovery, each timed alone over the same signed orders, with the tools the issue asks to weigh
against each other.

``python -m benchmarks.order_cost [--orders N] [--rounds R]``; each figure is the best of R
rounds over N real signed orders (µs per order, and orders per second on one core):

- **parse**, the baseline first: what FastAPI runs for ``POST /orders`` (``json.loads`` of the
  body, then ``SwapOrderIn.model_validate``); pydantic's one pass over the bytes
  (``model_validate_json``); ``orjson.loads`` then ``model_validate``; and msgspec (a dev
  dependency) decoding into a ``Struct`` with the same patterns, its integers then converted by
  the same ``_to_uint`` (msgspec has no "integer or decimal or hex string" type). Every tool
  must refuse what pydantic refuses: the run checks that on a set of malformed bodies first and
  says which it would let through;
- **to_order** (checksums, the int64 bounds), **digest** (``order_digest``) and **recover**:
  eth-account's ``_recover_hash`` (the baseline) against ``tongdui.chain.eip712.recover_signer``
  as it is now.

Run it on two commits to compare them: the figures are of whatever ``tongdui`` it imports.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Annotated, Any

import msgspec
import orjson
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from tongdui.chain.eip712 import (
    SWAP_ORDER_TYPEHASH,
    Domain,
    SwapOrder,
    digest,
    order_digest,
    recover_signer,
    sign_order,
)
from tongdui.core.config import ANVIL_KEYS
from tongdui.relayer.intake_checks import to_order
from tongdui.relayer.schemas import SwapOrderIn, _to_uint

ADDRESS = "^0x[0-9a-fA-F]{40}$"
Address = Annotated[str, msgspec.Meta(pattern=ADDRESS)]
UintIn = int | Annotated[str, msgspec.Meta(pattern="^([0-9]+|0[xX][0-9a-fA-F]+)$")]


class SwapOrderMsg(msgspec.Struct, forbid_unknown_fields=False):
    """``SwapOrderIn`` as a msgspec Struct: the same names on the wire and the same patterns."""

    owner: Address
    fromToken: Address  # the wire's camelCase
    toToken: Address
    amountIn: UintIn
    minAmountOut: UintIn
    nonce: UintIn
    deadline: UintIn
    signature: Annotated[str, msgspec.Meta(pattern="^0x[0-9a-fA-F]{130}$")]
    counter: UintIn = 0
    chainId: UintIn | None = None
    verifyingContract: Address | None = None


MSG_DECODER = msgspec.json.Decoder(SwapOrderMsg)
UINTS = ("amountIn", "minAmountOut", "nonce", "deadline", "counter", "chainId")


def parse_fastapi(raw: bytes) -> Any:
    return SwapOrderIn.model_validate(json.loads(raw))


def parse_pydantic_json(raw: bytes) -> Any:
    return SwapOrderIn.model_validate_json(raw)


def parse_orjson(raw: bytes) -> Any:
    return SwapOrderIn.model_validate(orjson.loads(raw))


def parse_msgspec(raw: bytes) -> Any:
    order = MSG_DECODER.decode(raw)
    for name in UINTS:
        value = getattr(order, name)
        if value is not None:
            setattr(order, name, _to_uint(value))
    return order


PARSERS: list[tuple[str, Callable[[bytes], Any]]] = [
    ("json.loads + pydantic model_validate (FastAPI's path, baseline)", parse_fastapi),
    ("pydantic model_validate_json", parse_pydantic_json),
    ("orjson.loads + pydantic model_validate", parse_orjson),
    ("msgspec Struct + _to_uint", parse_msgspec),
]


def signed_bodies(count: int) -> list[bytes]:
    """``count`` orders signed by 10 demo keys, encoded as a wallet posts them."""
    domain = Domain(31337, "0x" + "5f" * 20)
    bodies = []
    for i in range(count):
        key = ANVIL_KEYS[i % 10]
        order = SwapOrder(
            owner=Account.from_key(key).address,
            from_token="0x" + "a1" * 20,
            to_token="0x" + "b2" * 20,
            amount_in=1_000 + i,
            min_amount_out=900,
            nonce=i,
            deadline=2_000_000_000,
        )
        message = {k: str(v) for k, v in order.as_message().items()}
        signature = "0x" + sign_order(key, domain, order).hex()
        bodies.append(json.dumps({**message, "signature": signature}).encode())
    return bodies


MALFORMED: list[dict[str, Any]] = [
    {"owner": "0x12"},
    {"amountIn": " 50"},
    {"amountIn": "５０"},
    {"amountIn": True},
    {"amountIn": -1},
    {"amountIn": 2**256},
    {"nonce": "0xzz"},
    {"signature": "0x" + "ab" * 64},
    {"fromToken": None},
]


def refusals(sample: bytes) -> dict[str, list[str]]:
    """Per parser, the malformed bodies it lets through that pydantic refuses."""
    base = json.loads(sample)
    through: dict[str, list[str]] = {name: [] for name, _ in PARSERS}
    for change in MALFORMED:
        raw = json.dumps({**base, **change}).encode()
        for name, parse in PARSERS:
            try:
                parse(raw)
            except (ValueError, TypeError, msgspec.ValidationError):
                continue
            through[name].append(json.dumps(change))
    return through


def best_of(rounds: int, items: list[Any], step: Callable[[Any], Any]) -> float:
    """The fastest of ``rounds`` passes over ``items``, in µs per item."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            step(item)
        best = min(best, time.perf_counter() - started)
    return best / len(items) * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.order_cost")
    parser.add_argument("--orders", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    bodies = signed_bodies(args.orders)
    print(f"{args.orders:,} signed orders, best of {args.rounds} rounds, one core")
    for name, letting in refusals(bodies[0]).items():
        verdict = "refuses every malformed body" if not letting else f"LETS THROUGH {letting}"
        print(f"  {name}: {verdict}")

    def line(what: str, micros: float, base: float | None = None) -> None:
        versus = f"  ×{base / micros:.2f} vs baseline" if base else ""
        print(f"  {what}: {micros:,.1f} µs/order = {1e6 / micros:,.0f} orders/s{versus}")

    print("parse and validate the body:")
    base = best_of(args.rounds, bodies, PARSERS[0][1])
    line(PARSERS[0][0], base)
    for name, parse in PARSERS[1:]:
        line(name, best_of(args.rounds, bodies, parse), base)

    models = [parse_fastapi(raw) for raw in bodies]
    print("after parsing:")
    line("to_order (checksums, int64 bounds)", best_of(args.rounds, models, to_order))
    orders = [to_order(model) for model in models]
    domain = Domain(31337, "0x" + "5f" * 20)
    generic = best_of(args.rounds, orders, lambda o: digest_by_eth_abi(domain, o))
    line("EIP-712 digest by eth_abi.encode (baseline)", generic)
    now = best_of(args.rounds, orders, lambda o: order_digest(domain, o))
    line("EIP-712 digest: tongdui order_digest", now, generic)
    pairs = [
        (order_digest(domain, order), bytes.fromhex(model.signature[2:]))
        for order, model in zip(orders, models, strict=True)
    ]
    wrapper = best_of(args.rounds, pairs, lambda p: Account._recover_hash(p[0], signature=p[1]))
    line("recover: eth-account _recover_hash (baseline)", wrapper)
    line("recover: tongdui recover_signer", best_of(args.rounds, pairs, _recover), wrapper)
    right = sum(
        1 for o, (d, sig) in zip(orders, pairs, strict=True) if recover_signer(d, sig) == o.owner
    )
    same = sum(1 for o in orders if order_digest(domain, o) == digest_by_eth_abi(domain, o))
    print(f"  the owner recovered for {right:,} of {len(orders):,}; digests equal: {same:,}")


def _recover(pair: tuple[bytes, bytes]) -> str:
    return recover_signer(*pair)


def digest_by_eth_abi(domain: Domain, order: SwapOrder) -> bytes:
    """The digest as ``SwapOrder.struct_hash`` made it before issue 19 (``eth_abi.encode``)."""
    words = encode(
        ["bytes32", "address", "address", "address"] + ["uint256"] * 5,
        [SWAP_ORDER_TYPEHASH, *order.as_tuple()],
    )
    return digest(domain, keccak(words))


if __name__ == "__main__":
    main()
