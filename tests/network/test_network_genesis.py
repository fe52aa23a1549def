"""The genesis of the network, checked without starting geth: Clique with every founding
member a sealer, London and nothing later (paris bytecode), a block gas limit that holds
batches of 100 cold orders (measured figures of snapshots/gas.json)."""

from __future__ import annotations

import json
from pathlib import Path

from eth_account import Account

from tongdui.network.genesis import BLOCK_GAS_LIMIT, clique_genesis
from tongdui.network.keys import create_node_keys

ROOT = Path(__file__).resolve().parents[2]


def test_every_founding_member_is_a_sealer_in_the_extra_data_sorted() -> None:
    sealers = [Account.create().address for _ in range(4)]
    genesis = clique_genesis(880_001, 1, sealers, [])
    extra = bytes.fromhex(genesis["extraData"][2:])
    assert len(extra) == 32 + 20 * 4 + 65
    listed = [extra[32 + 20 * i : 52 + 20 * i].hex() for i in range(4)]
    assert listed == sorted(s.lower()[2:] for s in sealers)
    assert {a.lower()[2:] for a in sealers} <= set(genesis["alloc"])


def test_the_rules_stop_at_london_and_no_later_fork_is_named() -> None:
    config = clique_genesis(880_002, 1, [Account.create().address], [])["config"]
    assert config["londonBlock"] == 0 and config["clique"] == {"period": 1, "epoch": 30_000}
    later = {"shanghaiTime", "cancunTime", "pragueTime", "terminalTotalDifficulty"}
    assert not later & set(config)


def test_the_block_gas_limit_holds_two_cold_settle_batches_of_100_orders() -> None:
    """Two first-swap batches of 100 (10.3 M each with the per-user limit on) fit a block."""
    cold = json.loads((ROOT / "snapshots" / "gas.json").read_text())["cold"]
    assert 2 * cold["settle_100_total"] < BLOCK_GAS_LIMIT


def test_node_keys_are_files_only_the_owner_reads(tmp_path: Path) -> None:
    keys = create_node_keys(tmp_path / "node")
    for path in (keys.nodekey_file, keys.password_file, keys.keystore_file()):
        assert path.stat().st_mode & 0o077 == 0
    assert Account.from_key(keys.sealer_key()).address == keys.sealer_address()
    assert keys.sealer_key()[2:] not in keys.keystore_file().read_text()
