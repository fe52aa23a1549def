"""Static analysis of contracts/ with slither; fails on any untriaged High or Medium finding.

Why a standard-JSON input: our only solc is solc-js behind tools/solc-bin/solc-v0.8.28, which
answers --standard-json alone, so slither compiles through crytic-compile's "solc-json"
framework with brownie's EVM version and OpenZeppelin remap. The optimizer and brownie's viaIR
are left out: slither reads the AST, which they do not change, and the IR pipeline is slow.

Why slither.triage.json (not slither's --triage-database or inline disable comments): a High
or Medium finding is accepted only by an entry {"check", "where", "reason"} in that committed
file, so every accepted risk has a written reason that review sees. "where" is
"Contract.function" (or "Contract") of the finding's first element, stable when lines move.
Entries that match nothing are reported so they get cleaned up.

Usage: python scripts/slither.py [--root DIR]   (scripts/env.sh sourced; DIR defaults to repo)
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SOLC = REPO / "tools" / "solc-bin" / "solc-v0.8.28"
BLOCKING = {"High", "Medium"}


def standard_json_input(root: Path) -> dict[str, Any]:
    sources = {
        path.relative_to(root).as_posix(): {"content": path.read_text()}
        for path in sorted((root / "contracts").rglob("*.sol"))
    }
    output = ["abi", "metadata", "devdoc", "userdoc", "evm.bytecode", "evm.deployedBytecode"]
    return {
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "evmVersion": "paris",
            "optimizer": {"enabled": True, "runs": 200},
            "remappings": ["@openzeppelin/contracts=node_modules/@openzeppelin/contracts"],
            "outputSelection": {"*": {"*": output, "": ["ast"]}},
        },
    }


def where(element: dict[str, Any]) -> str:
    """'Contract.function' for the element (a node reports its enclosing function)."""
    names = [] if element["type"] == "node" else [element["name"]]
    parent = element.get("type_specific_fields", {}).get("parent")
    while parent:
        names.insert(0, parent["name"])
        parent = parent.get("type_specific_fields", {}).get("parent")
    return ".".join(names)


def load_triage(root: Path) -> list[dict[str, str]]:
    path = root / "slither.triage.json"
    entries: list[dict[str, str]] = []
    if path.exists():
        entries = json.loads(path.read_text())["accepted"]
    for entry in entries:
        written = len(entry.get("reason", "").strip()) >= 10
        if not (written and entry.get("check") and "where" in entry):
            sys.exit(f"slither: triage entry {entry} needs check, where and a written reason")
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO)
    root = parser.parse_args().root.resolve()

    solc_input = standard_json_input(root)
    if not solc_input["sources"]:
        print("slither: no .sol files under contracts/, nothing to analyse")
        return 0
    build = root / "build"
    build.mkdir(exist_ok=True)
    (build / "slither-input.json").write_text(json.dumps(solc_input, indent=1))
    report = build / "slither.json"
    report.unlink(missing_ok=True)
    cmd = [
        "slither", "build/slither-input.json",
        "--compile-force-framework", "solc-json", "--solc", str(SOLC),
        "--exclude-dependencies", "--filter-paths", "node_modules",
        "--json", str(report), "--fail-none",
    ]  # fmt: skip
    subprocess.run(cmd, cwd=root, check=False)
    result: dict[str, Any] = {"success": False}
    if report.exists():
        result = json.loads(report.read_text())
    if not result["success"]:
        print(f"slither: analysis failed: {result.get('error')}", file=sys.stderr)
        return 2

    triage = load_triage(root)
    used: set[int] = set()
    untriaged = []
    for finding in result.get("results", {}).get("detectors", []):
        if finding["impact"] not in BLOCKING:
            continue
        place = where(finding["elements"][0]) if finding["elements"] else ""
        key = (finding["check"], place)
        match = [i for i, t in enumerate(triage) if (t["check"], t["where"]) == key]
        used.update(match)
        if not match:
            untriaged.append(f"  {finding['impact']} {finding['check']} at {place}: "
                             f"{finding['first_markdown_element']}")  # fmt: skip
    for i, entry in enumerate(triage):
        if i not in used:
            print(f"slither: stale triage entry: {entry['check']} {entry['where']}")
    if untriaged:
        print("slither: High/Medium findings not in slither.triage.json:", file=sys.stderr)
        print("\n".join(untriaged), file=sys.stderr)
        return 1
    print(f"slither: ok ({len(used)} triaged High/Medium finding(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
