"""Gas does not creep up: every figure of snapshots/gas.json is re-measured and may not grow.

The measuring code is scripts/gas_snapshot.py's own, on the same seeded platform, so the
figures are the same to the unit unless the contracts changed. A figure more than 1 % over the
committed snapshot fails; a figure that dropped by more than 1 % is only reported (commit a new
snapshot to lock the gain in). The printed table (`pytest -s`) shows today's figures.
"""

from __future__ import annotations

import json
from typing import Any

from scripts.gas_snapshot import SNAPSHOT, measure, table

TOLERANCE = 0.01
CASES = ("warm", "cold", "never")  # never: the rules off (issue 16)


def test_gas_stays_within_one_percent_of_the_snapshot(
    platform: Any, users: list[Any], admins: dict[str, Any], relayer: Any
) -> None:
    committed = json.loads(SNAPSHOT.read_text())
    measured = measure(platform, admins, relayer)
    print("\n" + table(measured))

    for case in CASES:
        assert measured[case].keys() == committed[case].keys(), (
            f"the {case} figures changed: re-run scripts/gas_snapshot.py and commit the snapshot"
        )
    grown = [
        f"{case} {key}: {committed[case][key]:,} -> {value:,}"
        for case in CASES
        for key, value in measured[case].items()
        if value > committed[case][key] * (1 + TOLERANCE)
    ]
    shrunk = [
        f"{case} {key}: {committed[case][key]:,} -> {value:,}"
        for case in CASES
        for key, value in measured[case].items()
        if value < committed[case][key] * (1 - TOLERANCE)
    ]
    if shrunk:
        print("gas dropped (commit a new snapshot to keep it):\n  " + "\n  ".join(shrunk))
    assert not grown, (
        "gas grew more than 1 % over snapshots/gas.json:\n  "
        + "\n  ".join(grown)
        + "\nIf the increase is intended, run `brownie run scripts/gas_snapshot.py --network "
        "anvil` and commit snapshots/gas.json with the change that caused it."
    )
