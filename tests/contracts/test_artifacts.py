"""The backend's committed contract artifacts are those of a fresh compile.

The backend deploys and calls contracts from backend/chain/artifacts/ (it has no compiler);
this test fails when a contract changed and `python scripts/export_artifacts.py` was not run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from brownie import project

from scripts.export_artifacts import DEPLOYABLE, TARGET, artifact


@pytest.mark.parametrize("name", DEPLOYABLE)
def test_committed_artifact_matches_the_fresh_compile(name: str) -> None:
    assert project.check_for_project(".")  # brownie compiled contracts/ for this session
    committed = json.loads((TARGET / f"{name}.json").read_text())
    fresh = artifact(name)
    assert committed["abi"] == fresh["abi"], f"run scripts/export_artifacts.py ({name} ABI)"
    assert committed["bytecode"] == fresh["bytecode"], f"run scripts/export_artifacts.py ({name})"


def test_every_deployable_contract_has_an_artifact() -> None:
    assert sorted(p.stem for p in Path(TARGET).glob("*.json")) == sorted(DEPLOYABLE)
