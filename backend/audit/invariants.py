"""The whole-state invariants 1–3 (docs/design.md), over the replayed values and over the values
the contracts returned (``checks.compare_with_contracts``): balances add up to supplies, swaps
conserve settlement value and the exchange holds what it owes, fee shares equal fees.
"""

from __future__ import annotations

from typing import Any

from .checks import token_label
from .expiry_checks import bucket_findings
from .fetch import Contracts
from .findings import Finding
from .htlc import custody_findings
from .replay import Replay


def invariant_findings(
    replay: Replay, chain: dict[tuple[str, str], dict[str, Any]], contracts: Contracts
) -> tuple[list[Finding], dict[str, int]]:
    """Invariants 1–3 over the whole state, on the replayed and on the contracts' values.
    Returns the findings and how many checks each invariant ran."""
    findings: list[Finding] = []
    checked = {"invariant-1": 0, "invariant-2": 0, "invariant-3": 0}
    found, checked["htlc"], replay.htlc.stray = custody_findings(
        replay.htlc, contracts.htlc, chain, lambda token: token_label(replay, token)
    )
    findings += found

    def expect(
        check: str, where: str, key: str, field: str, expected: int, actual: int, message: str
    ) -> None:
        checked[check] += 1
        if expected != actual:
            findings.append(Finding(check, where, key, field, expected, actual, message))

    for address, token in replay.tokens.items():
        label = token_label(replay, address)
        held = sum(token.balances.values())
        swept = replay.expiry.token(address).swept_total if token.kind == "points" else 0
        expect(
            "invariant-1",
            label,
            "replay",
            "Σ balances",
            token.supply,
            held,
            "the replayed balances do not add up to minted − burned",
        )
        chain_supply = chain.get((label, "totalSupply"), {}).get("supply")
        if chain_supply is not None:
            chain_held = sum(
                chain[(f"{label}.balanceOf", h)]["balance"]
                for h in token.balances
                if (f"{label}.balanceOf", h) in chain
            )
            # issue 16: expired points not yet swept are in the supply, not in balanceOf
            chain_held += sum(
                chain[(f"{label}.expiredBalanceOf", h)]["expired"]
                for h in token.balances
                if (f"{label}.expiredBalanceOf", h) in chain
            )
            expect(
                "invariant-1",
                label,
                "contract",
                "Σ balanceOf + Σ expiredBalanceOf",
                chain_supply,
                chain_held,
                "the holders' balances on chain do not add up to totalSupply",
            )
        expect(
            "invariant-1",
            label,
            "replay",
            "minted",
            token.issued + token.swap_minted,
            token.minted,
            "mints other than issuance and swaps",
        )
        expect(
            "invariant-1",
            label,
            "replay",
            "burned",
            token.redeemed + token.swap_burned + swept,
            token.burned,
            "burns other than redemption, swaps and sweeps of expired points",
        )

    found, buckets_checked = bucket_findings(
        replay.expiry, replay.tokens, chain, lambda token: token_label(replay, token)
    )
    findings += found
    checked["invariant-1"] += buckets_checked
    expect(
        "invariant-2",
        "PointsExchange",
        "swaps",
        "Σ paid to target + fee",
        replay.swap_value_paid,
        replay.swap_value_received,
        "what source merchants paid differs from what targets and payees received",
    )

    def custody(key: str, held: int, owed: int, message: str) -> None:
        """The exchange holds at least what it owes. More is a surplus (sCNY sent to it
        directly), reported in the state summary apart from the findings: governance may
        sweep it. Less is a violation."""
        checked["invariant-2"] += 1
        if held < owed:
            findings.append(
                Finding(
                    "invariant-2",
                    "SettlementToken.balanceOf",
                    key,
                    "≥ Σ settlement + fee credits + payee credits",
                    owed,
                    held,
                    message,
                )
            )

    custody(
        "exchange (replay)",
        replay.tokens[replay.settlement_address].balances.get(contracts.exchange, 0),
        replay.exchange_liabilities(),
        "the exchange's sCNY (from Transfer) is less than its accounts (from its events)",
    )
    chain_balance = chain.get(("SettlementToken.balanceOf", contracts.exchange), {}).get("balance")
    if chain_balance is not None:
        accounts = sum(
            v["settlementBalance"] + v["feeCredit"]
            for (where, _), v in chain.items()
            if where == "PointsExchange.market"
        )
        credits = sum(
            v["credit"] for (where, _), v in chain.items() if where == "PointsExchange.payeeCredit"
        )
        custody(
            "exchange (contract)",
            chain_balance,
            accounts + credits,
            "the exchange holds less sCNY than it owes",
        )
    expect(
        "invariant-3",
        "PointsExchange",
        "swaps",
        "Σ fee shares credited",
        replay.fees_charged,
        replay.fees_credited,
        "fee shares credited differ from fees",
    )
    return findings, checked
