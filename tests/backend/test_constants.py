"""Every Python constant that mirrors the contracts equals its Solidity value.

The values are read from the Solidity source itself (``Constants.sol``, the
``IMerchantRegistry.Status`` enum), so changing a constant on one side alone fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from eth_utils import keccak

from tongdui.chain import constants

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
UNITS = {"": 1, "seconds": 1, "minutes": 60, "hours": 3600, "days": 86_400, "weeks": 604_800}


def solidity_constants() -> dict[str, int]:
    """``NAME → value`` of every ``uint256 internal constant`` in Constants.sol."""
    source = (CONTRACTS / "libraries" / "Constants.sol").read_text(encoding="utf-8")
    found = re.findall(r"uint256\s+internal\s+constant\s+(\w+)\s*=\s*([\d_]+)\s*(\w*)\s*;", source)
    return {name: int(number.replace("_", "")) * UNITS[unit] for name, number, unit in found}


def test_constants_sol_is_read_whole() -> None:
    declared = (CONTRACTS / "libraries" / "Constants.sol").read_text().count("constant ")
    assert len(solidity_constants()) == declared > 0


def test_every_constant_of_constants_sol_has_its_python_mirror_with_the_same_value() -> None:
    mirrored = {name: getattr(constants, name, None) for name in solidity_constants()}
    assert mirrored == solidity_constants()


def test_the_constants_of_single_contracts_match_their_solidity_declarations() -> None:
    governance = (CONTRACTS / "ConsortiumGovernance.sol").read_text(encoding="utf-8")
    period = re.search(r"DEFAULT_VOTING_PERIOD\s*=\s*([\d_]+)\s*(\w*)\s*;", governance)
    assert period is not None
    assert int(period.group(1)) * UNITS[period.group(2)] == constants.DEFAULT_VOTING_PERIOD
    token = (CONTRACTS / "PointsToken.sol").read_text(encoding="utf-8")
    role = re.search(r"ISSUER_ROLE\s*=\s*keccak256\(\"(\w+)\"\)", token)
    assert role is not None
    assert "0x" + keccak(text=role.group(1)).hex() == constants.ISSUER_ROLE


def test_the_merchant_status_names_follow_the_registry_enum_in_order() -> None:
    source = (CONTRACTS / "interfaces" / "IMerchantRegistry.sol").read_text(encoding="utf-8")
    body = re.search(r"enum\s+Status\s*\{([^}]*)\}", source)
    assert body is not None
    members = [member.strip().lower() for member in body.group(1).split(",") if member.strip()]
    assert dict(enumerate(members)) == constants.MERCHANT_STATUS
