"""Deploys the Tongdui platform and writes deployments/<chain id>.json for the backend.

The deployment is the backend's (``tongdui.chain.deploy``, through ``scripts/platform.py``).
On a development network (anvil started by brownie) the roles are anvil's development
accounts, which are brownie's: deployer 0, members 1-3 (2 of 3), merchant admins 4-6,
settler 7, relayer 8, platform payee 9, and the demo payment provider's key
(PROVIDER_ROLE on the VoucherBook). On any other network set TONGDUI_DEPLOYER_KEY,
TONGDUI_MEMBERS (comma-separated addresses), TONGDUI_THRESHOLD (at least 2 with several
members), TONGDUI_PLATFORM_PAYEE, TONGDUI_SETTLERS, TONGDUI_RELAYERS and, optionally,
TONGDUI_AUDITORS (AUDITOR_ROLE from deployment; the development layout grants it by vote when a
test needs it) and TONGDUI_PROVIDERS (payment providers: PROVIDER_ROLE on the VoucherBook).
"""

from __future__ import annotations

import os
from pathlib import Path

from brownie import accounts, network

from scripts.platform import Platform, deploy_platform, write_deployment
from tongdui.chain.deploy import GenesisRoles, address_of
from tongdui.core.dev_keys import ANVIL_KEYS, DEMO_PAYMENT_PROVIDER_KEY

DEPLOYMENTS = Path(__file__).resolve().parent.parent / "deployments"
MEMBER_KEYS = ANVIL_KEYS[1:4]


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
    if accounts[0].address != address_of(ANVIL_KEYS[0]):
        raise SystemExit(
            "brownie's accounts are not anvil's development accounts (another mnemonic?): the "
            "deployment signs with anvil's keys (tongdui.chain.dev_keys)"
        )
    roles = GenesisRoles(
        members=[address_of(key) for key in MEMBER_KEYS],
        threshold=2,
        platform_payee=address_of(ANVIL_KEYS[9]),
        settlers=[address_of(ANVIL_KEYS[7])],
        relayers=[address_of(ANVIL_KEYS[8])],
        providers=[address_of(DEMO_PAYMENT_PROVIDER_KEY)],
    )
    return deploy_platform(ANVIL_KEYS[0], roles, member_keys=MEMBER_KEYS)


def deploy_configured() -> Platform:
    """Roles from TONGDUI_* environment variables, for a consortium's own chain."""
    members = _addresses("TONGDUI_MEMBERS")
    if not members:
        raise SystemExit("TONGDUI_MEMBERS is empty: list the founding members' addresses")
    roles = GenesisRoles(
        members=members,
        threshold=int(_required("TONGDUI_THRESHOLD")),
        platform_payee=_required("TONGDUI_PLATFORM_PAYEE"),
        settlers=_addresses("TONGDUI_SETTLERS"),
        relayers=_addresses("TONGDUI_RELAYERS"),
        auditors=_addresses("TONGDUI_AUDITORS"),
        providers=_addresses("TONGDUI_PROVIDERS"),
    )
    return deploy_platform(_required("TONGDUI_DEPLOYER_KEY"), roles)


def main() -> Platform:
    is_development = network.show_active() in ("development", "anvil")
    platform = deploy_development() if is_development else deploy_configured()
    path = write_deployment(platform, DEPLOYMENTS)
    print(f"Deployed Tongdui to chain {platform.deployment.chain_id}; wrote {path}")
    return platform
