"""Deploys the Tongdui platform and writes deployments/<chain id>.json for the backend.

On a development network (anvil started by brownie) the roles are brownie's unlocked
accounts: deployer 0, members 1-3 (2 of 3), merchant admins 4-6, settler 7, relayer 8,
platform payee 9. On any other network set TONGDUI_DEPLOYER_KEY, TONGDUI_MEMBERS
(comma-separated addresses), TONGDUI_THRESHOLD (at least 2 with several members),
TONGDUI_PLATFORM_PAYEE, TONGDUI_SETTLERS, TONGDUI_RELAYERS and, optionally, TONGDUI_AUDITORS
(AUDITOR_ROLE from deployment; the development layout grants it by vote when a test needs it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from brownie import accounts, chain, network

from scripts.platform import Platform, deploy_platform, write_deployment

DEPLOYMENTS = Path(__file__).resolve().parent.parent / "deployments"


def _addresses(variable: str) -> list[str]:
    value = os.environ.get(variable, "")
    return [item.strip() for item in value.split(",") if item.strip()]


def _required(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise SystemExit(f"{variable} is not set: see the docstring of scripts/deploy.py")
    return value


def deploy_development() -> Platform:
    """The development layout of roles (see the module docstring)."""
    return deploy_platform(
        deployer=accounts[0],
        members=list(accounts[1:4]),
        threshold=2,
        platform_payee=accounts[9],
        settlers=[accounts[7]],
        relayers=[accounts[8]],
    )


def deploy_configured() -> Platform:
    """Roles from TONGDUI_* environment variables, for a consortium's own chain."""
    deployer: Any = accounts.add(_required("TONGDUI_DEPLOYER_KEY"))
    members = _addresses("TONGDUI_MEMBERS")
    if not members:
        raise SystemExit("TONGDUI_MEMBERS is empty: list the founding members' addresses")
    return deploy_platform(
        deployer=deployer,
        members=members,
        threshold=int(_required("TONGDUI_THRESHOLD")),
        platform_payee=_required("TONGDUI_PLATFORM_PAYEE"),
        settlers=_addresses("TONGDUI_SETTLERS"),
        relayers=_addresses("TONGDUI_RELAYERS"),
        auditors=_addresses("TONGDUI_AUDITORS"),
    )


def main() -> Platform:
    is_development = network.show_active() in ("development", "anvil")
    platform = deploy_development() if is_development else deploy_configured()
    path = write_deployment(platform, chain.id, DEPLOYMENTS)
    print(f"Deployed Tongdui to chain {chain.id}; wrote {path}")
    return platform
