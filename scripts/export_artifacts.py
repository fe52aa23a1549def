"""Copies the ABI and creation bytecode of every deployable contract from brownie's build into
backend/chain/artifacts/, so the backend deploys and talks to the chain without a compiler.

Run after `brownie compile`; tests/contracts/test_artifacts.py fails when the committed copies
differ from a fresh compile.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "contracts"
TARGET = ROOT / "backend" / "chain" / "artifacts"
DEPLOYABLE = (
    "ConsortiumGovernance",
    "SettlementToken",
    "PointsExchange",
    "PointsTokenFactory",
    "MerchantRegistry",
    "AttestationRegistry",
    "PointsToken",
    "HashedTimelock",
    "VoucherBook",
)


def artifact(name: str) -> dict[str, object]:
    """The part of brownie's build artifact the backend needs."""
    build = json.loads((BUILD / f"{name}.json").read_text())
    return {"contractName": name, "abi": build["abi"], "bytecode": "0x" + build["bytecode"]}


def main() -> int:
    if not BUILD.exists():
        print("no build/contracts: run `brownie compile` first", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in DEPLOYABLE:
        text = json.dumps(artifact(name), indent=1, sort_keys=True) + "\n"
        (TARGET / f"{name}.json").write_text(text)
    print(f"wrote {len(DEPLOYABLE)} artifacts to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
