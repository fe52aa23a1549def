"""Comparing the rebuilt state with the contracts' own state.

Every read is an ``eth_call`` at the audited block (``block_identifier``), sent in JSON-RPC
batches: one balanceOf per holder ever seen, totalSupply, the exchange's market of every
token, every payee's credit, every touched nonce word, every user's state, every merchant's
record. A read names its contract and function; the signature and result types come from the
committed ABIs (``abi_calls``). A mismatch is an invariant-5 finding (the chain holds a value
its events do not explain). The whole-state invariants 1–3 are ``invariants``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_utils import to_checksum_address

from ..chain.rpc import JsonRpc
from .abi_calls import AbiFunction, function
from .expiry_checks import bucket_reads, spendable
from .fetch import Contracts
from .findings import Finding
from .htlc import lock_reads
from .replay import Replay
from .vouchers import chain_findings


@dataclass
class Read:
    """One eth_call, what it should return, and where a difference is reported."""

    to: str
    contract: str  # the ABI it is read with: ``PointsExchange``
    name: str  # the function: ``market``
    args: list[Any]
    where: str
    key: str
    expected: dict[str, Any]  # field → replayed value, in the order the function returns them
    ordered: bool = False  # lists compared in order (bucketsOf), not as sets (issuers)
    function: AbiFunction = field(init=False)

    def __post_init__(self) -> None:
        self.function = function(self.contract, self.name, len(self.args))

    def calldata(self) -> bytes:
        return self.function.calldata(self.args)


def token_label(replay: Replay, token: str) -> str:
    if token == replay.settlement_address:
        return "SettlementToken"
    for merchant in replay.merchants.values():
        if merchant.token == token:
            return f"PointsToken({merchant.symbol})"
    return f"PointsToken({token})"


def _token_reads(replay: Replay) -> list[Read]:
    reads: list[Read] = []
    for address, token in replay.tokens.items():
        label = token_label(replay, address)
        kind = "SettlementToken" if token.kind == "settlement" else "PointsToken"
        reads.append(
            Read(address, kind, "totalSupply", [], label, "totalSupply", {"supply": token.supply})
        )
        for holder, balance in token.balances.items():
            if token.kind == "points":  # issue 16: balanceOf counts unexpired points only
                balance = spendable(replay.expiry, address, holder, balance)
            reads.append(
                Read(
                    address,
                    kind,
                    "balanceOf",
                    [holder],
                    f"{label}.balanceOf",
                    holder,
                    {"balance": balance},
                )
            )
        if token.kind != "points":
            continue

        def own(name: str, value: Any, *, to: str = address, at: str = label) -> Read:
            """A points token's own setting, reported under its name."""
            return Read(to, "PointsToken", name, [], at, name, {name: value})

        reads.append(own("issuanceCap", token.issuance_cap))
        reads.append(own("issuanceSuspended", token.issuance_suspended))
        for account, (by_merchant, by_governance) in token.freezes.items():
            reads.append(
                Read(
                    address,
                    "PointsToken",
                    "freezeOf",
                    [account],
                    f"{label}.freezeOf",
                    account,
                    {"byMerchant": by_merchant, "byGovernance": by_governance},
                )
            )
        reads.append(own("issuerEpoch", token.issuer_epoch))
        reads.append(own("issuers", sorted(token.issuers)))
    return reads


def _exchange_reads(replay: Replay, exchange: str) -> list[Read]:
    def read(name: str, args: list[Any], key: str, expected: dict[str, Any]) -> Read:
        return Read(exchange, "PointsExchange", name, args, f"PointsExchange.{name}", key, expected)

    reads: list[Read] = []
    for market_token, market in replay.markets.items():
        reads.append(
            read(
                "market",
                [market_token],
                token_label(replay, market_token),
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
            read("payeeCredit", [payee], payee, {"credit": replay.payee_credits.get(payee, 0)})
        )
    for (owner, word), bits in replay.nonce_words.items():
        reads.append(read("nonceBitmap", [owner, word], f"{owner} word {word}", {"bits": bits}))
    for owner in sorted(replay.owners()):
        start, used = replay.windows.get(owner, (0, 0))
        expected: dict[str, Any] = {"counter": replay.counters.get(owner, 0)}
        if replay.user_limit[0]:
            expected |= {"limitUpdatedAt": start, "limitUsed": used}
        else:  # no limit: the contract leaves the usage alone
            expected |= {"limitUpdatedAt": None, "limitUsed": None}
        reads.append(read("userState", [owner], owner, expected))
    fees = replay.fees
    reads.append(
        read(
            "feeConfig",
            [],
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
        read(
            "riskConfig",
            [],
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
    return reads


def _registry_reads(replay: Replay, registry: str) -> list[Read]:
    reads = [
        Read(
            registry,
            "MerchantRegistry",
            "merchantCount",
            [],
            "MerchantRegistry",
            "merchantCount",
            {"count": len(replay.merchants)},
        )
    ]
    for merchant_id, merchant in sorted(replay.merchants.items()):
        reads.append(
            Read(
                registry,
                "MerchantRegistry",
                "merchant",
                [merchant_id],
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
    return reads


def _factory_reads(replay: Replay, contracts: Contracts) -> list[Read]:
    """The points token factory's wiring: the registry and the factory name each other, and
    every merchant's token names the registry (the factory passes it), so a registry wired to
    another factory, or a token the registry cannot manage, is a finding. None for a
    deployment made before the factory (its registry embedded the token's code)."""
    factory = contracts.factory
    if factory is None:
        return []
    reads = [
        Read(
            contracts.registry,
            "MerchantRegistry",
            "factory",
            [],
            "MerchantRegistry",
            "factory",
            {"factory": factory},
        ),
        Read(
            factory,
            "PointsTokenFactory",
            "registry",
            [],
            "PointsTokenFactory",
            "registry",
            {"registry": contracts.registry},
        ),
    ]
    for merchant in sorted(replay.merchants.values(), key=lambda m: m.token):
        label = token_label(replay, merchant.token)
        reads.append(
            Read(
                merchant.token,
                "PointsToken",
                "registry",
                [],
                label,
                "registry",
                {"registry": contracts.registry},
            )
        )
    return reads


def planned_reads(replay: Replay, contracts: Contracts) -> list[Read]:
    """Every state read of one audit, contract by contract."""
    attestations = Read(
        contracts.attestations,
        "AttestationRegistry",
        "attestationCount",
        [],
        "AttestationRegistry",
        "attestationCount",
        {"count": len(replay.attestations)},
    )
    return [
        *_token_reads(replay),
        *_exchange_reads(replay, contracts.exchange),
        *_registry_reads(replay, contracts.registry),
        *_factory_reads(replay, contracts),
        attestations,
    ]


def _normalise(value: Any, ordered: bool = False) -> Any:
    if isinstance(value, list | tuple):  # a set, such as the issuer keys: order is not state
        items = [_normalise(v) for v in value]
        return items if ordered else sorted(items)
    if isinstance(value, str) and value.startswith("0x"):
        return value.lower()
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def _htlc_reads(replay: Replay, htlc: str | None) -> list[Read]:
    """The HTLC's locks and balances (audit/htlc.py)."""
    specs = lock_reads(replay.htlc, htlc, lambda token: token_label(replay, token))
    return [Read(*spec) for spec in specs]


def compare_with_contracts(
    rpc: JsonRpc,
    replay: Replay,
    contracts: Contracts,
    block: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Finding], dict[tuple[str, str], dict[str, Any]], int]:
    """(findings, chain values by (where, key), number of calls)."""
    reads = planned_reads(replay, contracts) + _htlc_reads(replay, contracts.htlc)
    label = lambda token: token_label(replay, token)  # noqa: E731
    reads += [Read(*spec) for spec in bucket_reads(replay.expiry, replay.tokens, label)]
    answers = rpc.eth_calls([(read.to, read.calldata()) for read in reads], block)
    findings: list[Finding] = []
    values: dict[tuple[str, str], dict[str, Any]] = {}
    for read, raw in zip(reads, answers, strict=True):
        fields = list(read.expected)
        found = read.function.results(raw)
        actual = {
            name: _normalise(value, read.ordered) for name, value in zip(fields, found, strict=True)
        }
        values[(read.where, read.key)] = actual
        for name, expected in read.expected.items():
            if expected is None:
                continue
            if _normalise(expected, read.ordered) != actual[name]:
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
    voucher_found, voucher_calls = chain_findings(
        rpc, replay.vouchers, contracts.voucher_book, block
    )
    findings += voucher_found
    if progress is not None:
        progress(len(reads) + voucher_calls)
    return findings, values, len(reads) + voucher_calls


def _show(key: str) -> str:
    if key.startswith("0x") and len(key) == 42:
        return to_checksum_address(key)
    return key
