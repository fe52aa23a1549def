"""Comparing the rebuilt state with the contracts' own state, and the whole-state invariants.

Every read is an ``eth_call`` at the audited block (``block_identifier``), sent in JSON-RPC
batches: one balanceOf per holder ever seen, totalSupply, the exchange's market of every
token, every payee's credit, every touched nonce word, every user's state, every merchant's
record. A mismatch is an invariant-5 finding (the chain holds a value its events do not
explain); invariant 1–3 hold over the sums of both the replayed and the contracts' values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from .fetch import Contracts
from .findings import Finding
from .htlc import custody_findings, lock_reads
from .replay import Replay
from .rpc import JsonRpc


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


@dataclass
class Read:
    """One eth_call, what it should return, and where a difference is reported."""

    to: str
    signature: str
    args: list[Any]
    output: str  # the ABI type of the result, a tuple type for several values
    where: str
    key: str
    expected: dict[str, Any]  # field → replayed value; the field order follows ``output``

    def calldata(self) -> bytes:
        types = self.signature[self.signature.index("(") + 1 : -1]
        arg_types = [t for t in types.split(",") if t]
        return _selector(self.signature) + abi_encode(arg_types, self.args)


def _label(replay: Replay, token: str) -> str:
    if token == replay.settlement_address:
        return "SettlementToken"
    for merchant in replay.merchants.values():
        if merchant.token == token:
            return f"PointsToken({merchant.symbol})"
    return f"PointsToken({token})"


def planned_reads(replay: Replay, contracts: Contracts) -> list[Read]:
    reads: list[Read] = []
    for address, token in replay.tokens.items():
        label = _label(replay, address)
        reads.append(
            Read(
                address,
                "totalSupply()",
                [],
                "uint256",
                label,
                "totalSupply",
                {"supply": token.supply},
            )
        )
        for holder, balance in token.balances.items():
            reads.append(
                Read(
                    address,
                    "balanceOf(address)",
                    [holder],
                    "uint256",
                    f"{label}.balanceOf",
                    holder,
                    {"balance": balance},
                )
            )
        if token.kind == "points":
            reads.append(
                Read(
                    address,
                    "issuanceCap()",
                    [],
                    "uint256",
                    label,
                    "issuanceCap",
                    {"issuanceCap": token.issuance_cap},
                )
            )
            reads.append(
                Read(
                    address,
                    "issuanceSuspended()",
                    [],
                    "bool",
                    label,
                    "issuanceSuspended",
                    {"issuanceSuspended": token.issuance_suspended},
                )
            )
            for account, (by_merchant, by_governance) in token.freezes.items():
                reads.append(
                    Read(
                        address,
                        "freezeOf(address)",
                        [account],
                        "(bool,bool)",
                        f"{label}.freezeOf",
                        account,
                        {"byMerchant": by_merchant, "byGovernance": by_governance},
                    )
                )
            reads.append(
                Read(
                    address,
                    "issuerEpoch()",
                    [],
                    "uint256",
                    label,
                    "issuerEpoch",
                    {"issuerEpoch": token.issuer_epoch},
                )
            )
            reads.append(
                Read(
                    address,
                    "issuers()",
                    [],
                    "address[]",
                    label,
                    "issuers",
                    {"issuers": sorted(token.issuers)},
                )
            )
    exchange = contracts.exchange
    for market_token, market in replay.markets.items():
        reads.append(
            Read(
                exchange,
                "market(address)",
                [market_token],
                "(uint64,uint40,bool,bool,address,uint128,uint128,uint64,uint40)",
                "PointsExchange.market",
                _label(replay, market_token),
                {
                    "pointValue": market.point_value,
                    "valueChangedAt": market.value_changed_at,
                    "listed": market.listed,
                    "active": market.active,
                    "admin": market.admin,
                    "settlementBalance": market.settlement_balance,
                    "feeCredit": market.fee_credit,
                    "referenceValue": market.reference_value,
                    "referenceAt": market.reference_at,
                },
            )
        )
    payees = set(replay.payee_credits) | {replay.fees.platform_payee}
    for payee in sorted(payees):
        reads.append(
            Read(
                exchange,
                "payeeCredit(address)",
                [payee],
                "uint256",
                "PointsExchange.payeeCredit",
                payee,
                {"credit": replay.payee_credits.get(payee, 0)},
            )
        )
    for (owner, word), bits in replay.nonce_words.items():
        reads.append(
            Read(
                exchange,
                "nonceBitmap(address,uint256)",
                [owner, word],
                "uint256",
                "PointsExchange.nonceBitmap",
                f"{owner} word {word}",
                {"bits": bits},
            )
        )
    for owner in sorted(replay.owners()):
        start, used = replay.windows.get(owner, (0, 0))
        expected: dict[str, Any] = {"counter": replay.counters.get(owner, 0)}
        if replay.user_limit[0]:
            expected |= {"limitUpdatedAt": start, "limitUsed": used}
        else:  # no limit: the contract leaves the usage alone
            expected |= {"limitUpdatedAt": None, "limitUsed": None}
        reads.append(
            Read(
                exchange,
                "userState(address)",
                [owner],
                "(uint32,uint40,uint184)",
                "PointsExchange.userState",
                owner,
                expected,
            )
        )
    fees = replay.fees
    reads.append(
        Read(
            exchange,
            "feeConfig()",
            [],
            "(uint16,uint16,uint16,uint16,uint16,address)",
            "PointsExchange.feeConfig",
            "feeConfig",
            {
                "feeBps": fees.fee_bps,
                "platformBps": fees.platform_bps,
                "sourceMerchantBps": fees.source_bps,
                "targetMerchantBps": fees.target_bps,
                "relayerBps": fees.relayer_bps,
                "platformPayee": fees.platform_payee,
            },
        )
    )
    reads.append(
        Read(
            exchange,
            "riskConfig()",
            [],
            "(uint16,uint32,uint32,uint96,uint16,uint48,uint16)",
            "PointsExchange.riskConfig",
            "riskConfig",
            {
                "maxValueStepBps": replay.value_bounds[0],
                "minValueInterval": replay.value_bounds[1],
                "limitWindow": replay.user_limit[1],
                "maxValuePerWindow": replay.user_limit[0],
                "maxDailyStepBps": replay.value_bounds[2],
                "minOrderValue": replay.min_order_value,
                "coverFloorBps": replay.cover_floor_bps,
            },
        )
    )
    registry = contracts.registry
    reads.append(
        Read(
            registry,
            "merchantCount()",
            [],
            "uint256",
            "MerchantRegistry",
            "merchantCount",
            {"count": len(replay.merchants)},
        )
    )
    for merchant_id, merchant in sorted(replay.merchants.items()):
        reads.append(
            Read(
                registry,
                "merchant(uint256)",
                [merchant_id],
                "(string,address,address,uint8,uint40)",
                "MerchantRegistry.merchant",
                f"{merchant_id} ({merchant.symbol})",
                {
                    "name": merchant.name,
                    "token": merchant.token,
                    "admin": merchant.admin,
                    "status": merchant.status,
                    "admittedAt": merchant.admitted_at,
                },
            )
        )
    reads.append(
        Read(
            contracts.attestations,
            "attestationCount()",
            [],
            "uint256",
            "AttestationRegistry",
            "attestationCount",
            {"count": len(replay.attestations)},
        )
    )
    return reads


def _with_htlc(reads: list[Read], replay: Replay, htlc: str | None) -> list[Read]:
    """The HTLC's locks and balances (audit/htlc.py)."""
    specs = lock_reads(replay.htlc, htlc, lambda token: _label(replay, token))
    return reads + [Read(*spec) for spec in specs]


def _normalise(value: Any) -> Any:
    if isinstance(value, list | tuple):  # a set, such as the issuer keys: order is not state
        return sorted(_normalise(v) for v in value)
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def compare_with_contracts(
    rpc: JsonRpc,
    replay: Replay,
    contracts: Contracts,
    block: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Finding], dict[tuple[str, str], dict[str, Any]], int]:
    """(findings, chain values by (where, key), number of calls)."""
    reads = _with_htlc(planned_reads(replay, contracts), replay, contracts.htlc)
    answers = rpc.eth_calls([(read.to, read.calldata()) for read in reads], block)
    findings: list[Finding] = []
    values: dict[tuple[str, str], dict[str, Any]] = {}
    for read, raw in zip(reads, answers, strict=True):
        (decoded,) = abi_decode([read.output], raw)
        fields = list(read.expected)
        found = [decoded] if not read.output.startswith("(") else list(decoded)
        actual = {name: _normalise(value) for name, value in zip(fields, found, strict=True)}
        values[(read.where, read.key)] = actual
        for name, expected in read.expected.items():
            if expected is None:
                continue
            if _normalise(expected) != actual[name]:
                findings.append(
                    Finding(
                        "invariant-5",
                        read.where,
                        _show(read.key),
                        name,
                        expected,
                        actual[name],
                        "the contract's state differs from the replay",
                    )
                )
    if progress is not None:
        progress(len(reads))
    return findings, values, len(reads)


def _show(key: str) -> str:
    if key.startswith("0x") and len(key) == 42:
        return to_checksum_address(key)
    return key


def invariant_findings(
    replay: Replay, chain: dict[tuple[str, str], dict[str, Any]], contracts: Contracts
) -> tuple[list[Finding], dict[str, int]]:
    """Invariants 1–3 over the whole state, on the replayed and on the contracts' values.
    Returns the findings and how many checks each invariant ran."""
    findings: list[Finding] = []
    checked = {"invariant-1": 0, "invariant-2": 0, "invariant-3": 0}
    found, checked["htlc"], replay.htlc.stray = custody_findings(
        replay.htlc, contracts.htlc, chain, lambda token: _label(replay, token)
    )
    findings += found

    def expect(
        check: str, where: str, key: str, field: str, expected: int, actual: int, message: str
    ) -> None:
        checked[check] += 1
        if expected != actual:
            findings.append(Finding(check, where, key, field, expected, actual, message))

    for address, token in replay.tokens.items():
        label = _label(replay, address)
        held = sum(token.balances.values())
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
            expect(
                "invariant-1",
                label,
                "contract",
                "Σ balanceOf",
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
            token.redeemed + token.swap_burned,
            token.burned,
            "burns other than redemption and swaps",
        )

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
