"""The expiry buckets (issue 16) against the chain, and their share of invariant 1.

Reads, per points token at the audited block: ``expiryRule`` and ``currentKey`` (the Python
twin's key for the block's timestamp, so the twin is held to the contract on every audit), and
per holder ``bucketsOf`` (keys and amounts, in order) and ``expiredBalanceOf``; ``balanceOf``
itself is expected to be the unexpired buckets (``checks._token_reads`` asks ``spendable``).
Invariant 1 with expiry: ``totalSupply == Σ balanceOf + Σ expiredBalanceOf`` on chain (in
``invariants``, which adds the expired balances read here), and in the replay every holder's
buckets add up to its balance from ``Transfer`` (so all of them to the supply), to the point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..chain import expiry
from .abi_calls import function
from .expiry_state import ExpiryReplay
from .findings import Finding
from .state import TokenState

# (to, contract, function, args, where, key, expected, ordered) as ``checks.Read`` takes them
ReadSpec = tuple[str, str, str, list[Any], str, str, dict[str, Any], bool]


def expiry_on_chain() -> bool:
    """Whether the committed PointsToken ABI has buckets (a deployment before issue 16 not)."""
    try:
        function("PointsToken", "bucketsOf", 1)
    except KeyError:
        return False
    return True


def spendable(buckets: ExpiryReplay, token: str, holder: str, balance: int) -> int:
    """What ``balanceOf(holder)`` should answer: the unexpired buckets (with expiry on)."""
    if not expiry_on_chain():
        return balance
    return buckets.token(token).spendable(holder, buckets.now)


def bucket_reads(
    buckets: ExpiryReplay, tokens: dict[str, TokenState], label: Callable[[str], str]
) -> list[ReadSpec]:
    reads: list[ReadSpec] = []
    if not expiry_on_chain():
        return reads
    now = buckets.now
    for address, token in tokens.items():
        if token.kind != "points":
            continue
        state = buckets.token(address)
        where = label(address)
        rule = {"validityMonths": state.validity_months, "roundingMonths": state.rounding_months}
        key = expiry.key_for(now, state.validity_months, state.rounding_months)
        reads.append((address, "PointsToken", "expiryRule", [], where, "expiryRule", rule, False))
        reads.append(
            (address, "PointsToken", "currentKey", [], where, "currentKey", {"key": key}, False)
        )
        for holder in sorted(set(token.balances) | set(state.holders)):
            held = state.keys_of(holder)
            reads.append(
                (
                    address,
                    "PointsToken",
                    "bucketsOf",
                    [holder],
                    f"{where}.bucketsOf",
                    holder,
                    {"keys": [k for k, _ in held], "amounts": [a for _, a in held]},
                    True,
                )
            )
            reads.append(
                (
                    address,
                    "PointsToken",
                    "expiredBalanceOf",
                    [holder],
                    f"{where}.expiredBalanceOf",
                    holder,
                    {"expired": state.expired(holder, now)},
                    False,
                )
            )
    return reads


def bucket_findings(
    buckets: ExpiryReplay,
    tokens: dict[str, TokenState],
    chain: dict[tuple[str, str], dict[str, Any]],
    label: Callable[[str], str],
) -> tuple[list[Finding], int]:
    """Invariant 1 with expiry on the replay's buckets: every sweep burned, every holder's
    buckets equal to its balance from ``Transfer``."""
    findings: list[Finding] = []
    checks = 0
    for address, holder, amount in buckets.unmatched_sweeps():
        checks += 1
        findings.append(
            Finding(
                "invariant-1",
                label(address),
                holder,
                "sweep burned",
                amount,
                0,
                "PointsExpired without the Transfer to 0x0 that burns the points",
            )
        )
    for address, token in tokens.items():
        if token.kind != "points":
            continue
        state, where = buckets.token(address), label(address)
        for holder in sorted(set(token.balances) | set(state.holders)):
            checks += 1
            in_buckets = sum(a for _, a in state.keys_of(holder))
            if in_buckets != token.balances.get(holder, 0):
                findings.append(
                    Finding(
                        "invariant-1",
                        where,
                        holder,
                        "Σ buckets",
                        token.balances.get(holder, 0),
                        in_buckets,
                        "the holder's expiry buckets do not add up to its balance from Transfer",
                    )
                )
    return findings, checks


def expiry_rows(buckets: ExpiryReplay) -> dict[str, tuple[tuple[str, ...], dict[Any, Any]]]:
    """What the indexer's ``expiry_buckets`` and ``expiry_rules`` must hold (``expected_rows``)."""
    return {
        "expiry_buckets": (
            ("token", "holder", "key"),
            {
                (address, holder, key): {"amount": amount}
                for address, state in buckets.tokens.items()
                for holder in state.holders
                for key, amount in state.keys_of(holder)
            },
        ),
        "expiry_rules": (
            ("token",),
            {
                (address,): {
                    "validity_months": state.validity_months,
                    "rounding_months": state.rounding_months,
                    "block_number": state.rule_block,
                }
                for address, state in buckets.tokens.items()
                if state.rule_block is not None
            },
        ),
    }
