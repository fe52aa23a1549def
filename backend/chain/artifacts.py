"""ABIs and creation bytecode of the platform's contracts, read from the committed artifacts
(exported from the compiler's build by ``scripts/export_artifacts.py``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

PLATFORM_CONTRACTS = (
    "ConsortiumGovernance",
    "SettlementToken",
    "PointsExchange",
    "PointsTokenFactory",
    "MerchantRegistry",
    "AttestationRegistry",
    "HashedTimelock",
    "VoucherBook",
)


@cache
def artifact(name: str) -> dict[str, Any]:
    """The artifact ``{contractName, abi, bytecode}`` of contract ``name``."""
    path = ARTIFACTS / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"no artifact {path}: run scripts/export_artifacts.py")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def abi(name: str) -> list[dict[str, Any]]:
    """The ABI of contract ``name``."""
    entries: list[dict[str, Any]] = artifact(name)["abi"]
    return entries


def all_abis() -> dict[str, list[dict[str, Any]]]:
    """Every contract's ABI, including PointsToken's."""
    return {name: abi(name) for name in (*PLATFORM_CONTRACTS, "PointsToken")}
