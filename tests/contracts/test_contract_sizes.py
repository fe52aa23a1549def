"""Every deployable contract fits under EIP-170's 24,576 bytes of runtime code.

A contract over the limit compiles fine and fails only when deployed, so the limit is checked
here on brownie's build (scripts/contract_sizes.py measures; `pytest -s` prints the table).
The merchant registry was 55 bytes under it while it embedded PointsToken's creation code;
PointsTokenFactory now holds that code (test_points_token_factory.py checks the registry has
none of it).
"""

from __future__ import annotations

import pytest
from brownie import project

from scripts.contract_sizes import EIP170_LIMIT, sizes, table
from scripts.export_artifacts import DEPLOYABLE

@pytest.fixture(scope="module")
def measured() -> dict[str, int]:
    assert project.check_for_project(".")  # brownie compiled contracts/ for this session
    found = sizes(DEPLOYABLE)
    print("\n" + table(found))
    return found


@pytest.mark.parametrize("name", DEPLOYABLE)
def test_the_contract_fits_under_the_eip170_limit(measured: dict[str, int], name: str) -> None:
    assert 0 < measured[name] <= EIP170_LIMIT, f"{name}: {measured[name]:,} bytes"

