"""Prints the runtime code size of every deployable contract and its headroom under EIP-170.

EIP-170 (Spurious Dragon, so on every chain we run) refuses to create a contract whose
runtime code exceeds 24,576 bytes. The runtime code is what a creation returns, brownie's
``deployedBytecode``; a contract that says ``new X`` carries X's whole creation code in it,
which is why the merchant registry creates tokens through PointsTokenFactory. Run after
`brownie compile`:

    python scripts/contract_sizes.py

tests/contracts/test_contract_sizes.py fails when a contract no longer fits.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "contracts"
EIP170_LIMIT = 24_576  # bytes of runtime code


def runtime_size(name: str) -> int:
    """Bytes of contract ``name``'s runtime code in brownie's build (library link
    placeholders count as the 20 bytes they become)."""
    build = json.loads((BUILD / f"{name}.json").read_text())
    return len(build["deployedBytecode"].removeprefix("0x")) // 2


def sizes(names: Sequence[str]) -> dict[str, int]:
    return {name: runtime_size(name) for name in names}


def table(measured: dict[str, int]) -> str:
    lines = [f"{'contract':<22} {'runtime bytes':>13} {'headroom':>9}"]
    for name, size in measured.items():
        lines.append(f"{name:<22} {size:>13,} {EIP170_LIMIT - size:>9,}")
    return "\n".join(lines)


def main() -> int:
    if not BUILD.exists():
        print("no build/contracts: run `brownie compile` first", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT))  # run as a file: the repository's `scripts` package
    from scripts.export_artifacts import DEPLOYABLE

    print(table(sizes(DEPLOYABLE)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
