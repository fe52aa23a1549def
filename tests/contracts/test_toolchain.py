"""The toolchain is the one docs/design.md pins: solc-js 0.8.28, EVM paris, anvil as configured.

These read the real wrapper, brownie-config.yaml, the compiled artifacts and the running node,
so a drift in any of them (a new solc, a Shanghai default, another port) fails here first.
"""

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import solcx
import yaml
from brownie import config as brownie_settings
from brownie import project, web3
from eth_account import Account

from tongdui.core.dev_keys import ANVIL_KEYS

ROOT = Path(__file__).resolve().parents[2]
PUSH0, MCOPY, TLOAD, TSTORE = 0x5F, 0x5E, 0x5C, 0x5D


def opcodes(code: str) -> list[int]:
    """The opcodes of runtime bytecode, stepping over PUSH data (0x60..0x7f carry 1..32 bytes).

    Unlinked library placeholders become zero addresses; the CBOR metadata trailer (its length
    is the last two bytes) is data, not code, so it is cut off.
    """
    data = bytes.fromhex(re.sub(r"__.{36}__", "0" * 40, code.removeprefix("0x")))
    data = data[: -(int.from_bytes(data[-2:], "big") + 2)]
    ops, i = [], 0
    while i < len(data):
        ops.append(data[i])
        i += 1 + (data[i] - 0x5F if 0x60 <= data[i] <= 0x7F else 0)
    return ops


def post_paris(code: str) -> set[int]:
    return set(opcodes(code)) & {PUSH0, MCOPY, TLOAD, TSTORE}


def config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())
    return loaded


def test_solc_wrapper_reports_0_8_28() -> None:
    out = subprocess.run(
        [ROOT / "tools/solc-bin/solc-v0.8.28", "--version"], capture_output=True, text=True
    )
    assert "Version: 0.8.28+commit.7893614a" in out.stdout


def test_brownie_config_pins_solc_0_8_28_for_paris() -> None:
    assert config()["compiler"]["evm_version"] == "paris"
    assert str(config()["compiler"]["solc"]["version"]) == "0.8.28"
    # ...and brownie really loaded that file, not its defaults.
    assert brownie_settings["compiler"]["evm_version"] == "paris"


def test_solc_compiles_for_paris_without_push0() -> None:
    source = "pragma solidity 0.8.28; contract C { uint[] a; function f() external { a.push(); } }"
    out = solcx.compile_standard(
        {
            "language": "Solidity",
            "sources": {"C.sol": {"content": source}},
            "settings": {
                "evmVersion": config()["compiler"]["evm_version"],
                "optimizer": config()["compiler"]["solc"]["optimizer"],
                "outputSelection": {"*": {"*": ["metadata", "evm.deployedBytecode.object"]}},
            },
        },
        solc_version="0.8.28",
    )
    contract = out["contracts"]["C.sol"]["C"]
    assert json.loads(contract["metadata"])["settings"]["evmVersion"] == "paris"
    assert post_paris(contract["evm"]["deployedBytecode"]["object"]) == set()


def test_project_artifacts_are_paris_bytecode() -> None:
    (tongdui,) = project.get_loaded_projects()
    builds = [build for _, build in tongdui._build.items() if build.get("deployedBytecode")]
    creation_codes = [build["bytecode"] for build in builds if build.get("bytecode")]
    for build in builds:
        assert build["compiler"]["evm_version"] == "paris", build["contractName"]
        runtime = build["deployedBytecode"]
        # A factory (PointsTokenFactory's `new PointsToken`) carries another contract's creation
        # code as data; that code is checked on its own, and its bytes are not opcodes here.
        for embedded in creation_codes:
            if embedded != build["bytecode"] and embedded in runtime:
                runtime = runtime.replace(embedded, "")
        assert post_paris(runtime) == set(), build["contractName"]


def test_anvil_runs_paris_on_a_free_port_with_room_for_batches() -> None:
    block = web3.eth.get_block("latest")
    from brownie._config import CONFIG  # compiled: not a top-level import (see conftest.py)

    expected = f"http://127.0.0.1:{CONFIG.active_network['cmd_settings']['port']}"
    assert web3.provider.endpoint_uri == expected  # type: ignore[attr-defined]
    assert block["gasLimit"] == 30_000_000
    assert block["baseFeePerGas"] == 0
    assert "withdrawalsRoot" not in block  # Shanghai added withdrawals; paris has none
    # anvil's ten funded dev accounts, first (tests that impersonate one with
    # `accounts.at(..., force=True)` append it to eth_accounts for the rest of the session)
    dev = [Account.from_key(key).address for key in ANVIL_KEYS[:10]]
    assert web3.eth.accounts[:10] == dev
