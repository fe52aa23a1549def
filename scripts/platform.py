"""Deploying and governing the Tongdui platform with brownie (shared by scripts and tests).

Why one module: the deploy script, the demo seed and the contract tests must build the very
same platform, and every consortium decision goes through the same M-of-N vote.

The exchange's risk settings start at their defaults from its constructor (``Constants.sol``):
the per-user limit is on from genesis (¥100 000 a day, decaying), the minimum order is 100 fen,
point values move at most 20 % a step, 1 h apart, ±50 % a day; governance votes to change them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brownie import (
    AttestationRegistry,
    ConsortiumGovernance,
    MerchantRegistry,
    PointsExchange,
    PointsToken,
    SettlementToken,
    web3,
)

DEFAULT_ADMIN_ROLE = "0x" + "00" * 32
CONTRACT_NAMES = (
    "ConsortiumGovernance",
    "SettlementToken",
    "PointsExchange",
    "MerchantRegistry",
    "AttestationRegistry",
)


@dataclass
class Platform:
    """The deployed contracts and the accounts that act on them."""

    governance: Any
    settlement: Any
    exchange: Any
    registry: Any
    attestations: Any
    members: list[Any]
    threshold: int
    deployment_block: int
    merchants: dict[str, Any] = field(default_factory=dict)  # symbol -> PointsToken

    def contracts(self) -> dict[str, Any]:
        return {
            "ConsortiumGovernance": self.governance,
            "SettlementToken": self.settlement,
            "PointsExchange": self.exchange,
            "MerchantRegistry": self.registry,
            "AttestationRegistry": self.attestations,
        }


def deploy_platform(
    deployer: Any,
    members: list[Any],
    threshold: int,
    platform_payee: Any,
    settlers: list[Any],
    relayers: list[Any],
    auditors: tuple[Any, ...] | list[Any] = (),
) -> Platform:
    """Deploys every contract, wires them, grants the genesis roles, then hands every admin
    right to the governance: afterwards the deployer holds no role anywhere. ``auditors``
    hold AUDITOR_ROLE from the start (the registry grants it in its constructor)."""
    tx = {"from": deployer}
    first_block = web3.eth.block_number + 1
    governance = ConsortiumGovernance.deploy(members, threshold, tx)
    settlement = SettlementToken.deploy("Tongdui Settlement CNY", "sCNY", deployer, tx)
    exchange = PointsExchange.deploy(deployer, settlement, platform_payee, tx)
    registry = MerchantRegistry.deploy(governance, exchange, tx)
    attestations = AttestationRegistry.deploy(governance, list(auditors), tx)

    exchange.grantRole(exchange.LISTER_ROLE(), registry, tx)
    for relayer in relayers:
        exchange.grantRole(exchange.RELAYER_ROLE(), relayer, tx)
    for settler in settlers:
        settlement.grantRole(settlement.SETTLER_ROLE(), settler, tx)
    for contract in (exchange, settlement):
        contract.grantRole(DEFAULT_ADMIN_ROLE, governance, tx)
        contract.renounceRole(DEFAULT_ADMIN_ROLE, deployer, tx)
    return Platform(
        governance,
        settlement,
        exchange,
        registry,
        attestations,
        list(members),
        threshold,
        first_block,
    )


def govern(platform: Platform, calls: list[tuple[Any, str, tuple[Any, ...]]], text: str) -> Any:
    """Runs one consortium vote: the first member proposes `calls` (contract, function name,
    arguments), as many members as the threshold needs approve, and the proposer executes.
    The threshold is read from the chain: an earlier vote may have changed it."""
    encoded = [
        (contract.address, 0, getattr(contract, name).encode_input(*args))
        for contract, name, args in calls
    ]
    proposer = platform.members[0]
    tx = platform.governance.propose(encoded, text, {"from": proposer})
    proposal_id = tx.return_value
    for member in platform.members[1 : platform.governance.threshold()]:
        platform.governance.approve(proposal_id, {"from": member})
    return platform.governance.execute(proposal_id, {"from": proposer})


def admit_merchant(
    platform: Platform,
    name: str,
    symbol: str,
    admin: Any,
    issuance_cap: int,
    point_value: int,
) -> Any:
    """Admits a merchant by vote and returns its PointsToken."""
    tx = govern(
        platform,
        [(platform.registry, "admitMerchant", (name, symbol, admin, issuance_cap, point_value))],
        f"Admit {name}",
    )
    token_address = tx.events["MerchantAdmitted"]["token"]
    token = PointsToken.at(token_address)
    platform.merchants[symbol] = token
    return token


def write_deployment(platform: Platform, chain_id: int, folder: Path) -> Path:
    """Writes deployments/<chain id>.json: addresses, deployment block, ABI locations."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{chain_id}.json"
    document = {
        "chainId": chain_id,
        "deploymentBlock": platform.deployment_block,
        "contracts": {
            name: {"address": contract.address, "abi": f"build/contracts/{name}.json"}
            for name, contract in platform.contracts().items()
        },
        "pointsTokenAbi": "build/contracts/PointsToken.json",
        "merchants": {symbol: token.address for symbol, token in platform.merchants.items()},
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
