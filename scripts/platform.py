"""The brownie side of deploying and governing the platform: a thin adapter over the backend.

Why an adapter: the deploy sequence (``tongdui.chain.deploy``), the vote
(``tongdui.chain.governance``) and the demo seed (``tongdui.demo``, via ``scripts/seed.py``)
exist once, in the backend, so the contract tests and the brownie scripts build the very
platform ``tongdui deploy`` and ``tongdui up`` build. This module runs them with web3 against
brownie's chain (brownie's anvil, at brownie's RPC URL) and wraps the addresses as brownie
contracts, so the tests keep brownie's API: events, decoded reverts, return values.

The bytecode deployed is the backend's committed artifacts (``backend/chain/artifacts/``), the
bytecode production deploys. ``deploy_platform`` first checks that brownie's compile of
contracts/ gives the same, so a test never runs other code than the source it reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from brownie import (
    AttestationRegistry,
    ConsortiumGovernance,
    HashedTimelock,
    MerchantRegistry,
    PointsExchange,
    PointsToken,
    PointsTokenFactory,
    SettlementToken,
    VoucherBook,
    accounts,
    web3,
)
from hexbytes import HexBytes
from web3 import Web3

from scripts.export_artifacts import DEPLOYABLE, TARGET
from scripts.export_artifacts import artifact as compiled_artifact
from tongdui.chain import client
from tongdui.chain.deploy import GenesisRoles
from tongdui.chain.deploy import deploy_platform as deploy_with_web3
from tongdui.chain.deployment import Deployment, save_deployment
from tongdui.chain.governance import propose_and_approve

CONTAINERS = {
    "ConsortiumGovernance": ConsortiumGovernance,
    "SettlementToken": SettlementToken,
    "PointsExchange": PointsExchange,
    "PointsTokenFactory": PointsTokenFactory,
    "MerchantRegistry": MerchantRegistry,
    "AttestationRegistry": AttestationRegistry,
    "HashedTimelock": HashedTimelock,
    "VoucherBook": VoucherBook,
}


class StaleArtifactsError(RuntimeError):
    """brownie compiled other bytecode than the backend's committed artifacts."""


@dataclass
class Platform:
    """The deployed contracts (brownie objects) and the accounts that act on them."""

    deployment: Deployment  # the backend's record of this deployment
    backend: client.Platform  # the same contracts as the backend's web3 handles
    member_keys: list[str]  # the keys votes sign with; empty where this side holds none
    governance: Any
    settlement: Any
    exchange: Any
    registry: Any
    attestations: Any
    htlc: Any  # HashedTimelock (issue 17)
    factory: Any  # PointsTokenFactory: deploys the merchants' tokens for the registry alone
    voucher_book: Any  # VoucherBook (issue 16)
    members: list[Any]
    threshold: int
    merchants: dict[str, Any] = field(default_factory=dict)  # symbol -> PointsToken

    @property
    def deployment_block(self) -> int:
        return self.deployment.deployment_block

    def contracts(self) -> dict[str, Any]:
        return {
            "ConsortiumGovernance": self.governance,
            "SettlementToken": self.settlement,
            "PointsExchange": self.exchange,
            "PointsTokenFactory": self.factory,
            "MerchantRegistry": self.registry,
            "AttestationRegistry": self.attestations,
            "HashedTimelock": self.htlc,
            "VoucherBook": self.voucher_book,
        }


@cache
def _connect(url: str) -> Web3:
    return client.connect(url)


def backend_web3() -> Web3:
    """The backend's own web3 connection (``tongdui.chain.client.connect``) to brownie's node."""
    return _connect(web3.provider.endpoint_uri)


@cache
def check_artifacts() -> None:
    """Refuses to deploy when brownie's compile differs from the committed artifacts (once a
    process): the tests would test other code than production deploys."""
    stale = []
    for name in DEPLOYABLE:
        committed = json.loads((TARGET / f"{name}.json").read_text())
        compiled = compiled_artifact(name)
        if (committed["abi"], committed["bytecode"]) != (compiled["abi"], compiled["bytecode"]):
            stale.append(name)
    if stale:
        raise StaleArtifactsError(
            f"backend/chain/artifacts/ differ from brownie's compile for {', '.join(stale)}: run "
            "`$TONGDUI_BROWNIE_VENV/bin/python scripts/export_artifacts.py` (the tests deploy "
            "the committed artifacts, as production does)"
        )


def _account(address: str) -> Any:
    """brownie's account for ``address`` when brownie holds it, else the address itself."""
    return next((a for a in accounts if a.address.lower() == address.lower()), address)


def deploy_platform(
    deployer_key: str, roles: GenesisRoles, member_keys: tuple[str, ...] | list[str] = ()
) -> Platform:
    """Runs the backend's deployment (``tongdui.chain.deploy.deploy_platform``) on brownie's
    chain and wraps it; ``member_keys`` (the members' keys, in ``roles.members`` order) let
    ``govern`` vote."""
    check_artifacts()
    w3 = backend_web3()
    deployment = deploy_with_web3(w3, deployer_key, roles)
    deployed = {name: CONTAINERS[name].at(deployment.address(name)) for name in CONTAINERS}
    return Platform(
        deployment=deployment,
        backend=client.Platform(w3, deployment),
        member_keys=list(member_keys),
        governance=deployed["ConsortiumGovernance"],
        settlement=deployed["SettlementToken"],
        exchange=deployed["PointsExchange"],
        registry=deployed["MerchantRegistry"],
        attestations=deployed["AttestationRegistry"],
        htlc=deployed["HashedTimelock"],
        factory=deployed["PointsTokenFactory"],
        voucher_book=deployed["VoucherBook"],
        members=[_account(member) for member in roles.members],
        threshold=roles.threshold,
    )


def govern(platform: Platform, calls: list[tuple[Any, str, tuple[Any, ...]]], text: str) -> Any:
    """Runs one consortium vote on ``calls`` (contract, function name, arguments) with the
    backend's vote; the proposer's ``execute`` goes through brownie, so a test reads brownie's
    receipt (events, return value) and a failed call reverts as brownie reports it."""
    encoded = [
        (contract.address, 0, HexBytes(getattr(contract, name).encode_input(*args)))
        for contract, name, args in calls
    ]
    governance = platform.backend.governance
    proposal_id, _ = propose_and_approve(
        backend_web3(), governance, platform.member_keys, encoded, text
    )
    return platform.governance.execute(proposal_id, {"from": platform.members[0]})


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
    token = PointsToken.at(tx.events["MerchantAdmitted"]["token"])
    platform.merchants[symbol] = token
    return token


def write_deployment(platform: Platform, folder: Path) -> Path:
    """Writes deployments/<chain id>.json (the backend's format, with the merchants)."""
    merchants = {symbol: token.address for symbol, token in platform.merchants.items()}
    return save_deployment(folder, replace(platform.deployment, merchants=merchants))
