"""Building the bridge and the coordinator from ``<data dir>/crosschain.json``.

The file names chain B (its nodes, its deployment folder), both ``HashedTimelock``s, the
pair of points the bridge member quotes, its FX rate and spread, and the timing the margin
rule is computed from. It holds no key: the bridge member's key comes from
``TONGDUI_BRIDGE_KEY``, the cross-chain relayer's keys (which send the user's lock on A and
claim on B) from ``TONGDUI_CROSSCHAIN_RELAYER_KEYS`` (on the embedded demo chains, derived
demo keys for both).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from ..chain.client import Platform, connect
from ..chain.deployment import load_deployment
from ..core.errors import ConfigurationError
from .coordinator import Coordinator
from .legs import Leg
from .margin import ChainTiming, TimelockPolicy
from .service import Bridge, CrossChain

CONFIG_FILE = "crosschain.json"
DEMO_CHAIN_ID = 31_337  # chain A of the demo: anvil's default chain id


def demo_bridge_key() -> str:
    """The demo bridge member's key: derived, the same on every run, not secret."""
    return "0x" + keccak(text="tongdui demo bridge member").hex()


def demo_relayer_key() -> str:
    """The demo cross-chain relayer's key: derived, the same on every run, not secret."""
    return "0x" + keccak(text="tongdui demo cross-chain relayer").hex()


@dataclass
class LegConfig:
    chain_id: int
    htlc: str
    from_block: int
    confirmations: int
    block_period: float
    rpc: list[str] = field(default_factory=list)  # chain B only: A is the instance's own node
    deployments_dir: str = ""


@dataclass
class CrossChainConfig:
    chain_a: LegConfig
    chain_b: LegConfig
    token_a: str
    token_b: str
    fx_num: int = 20
    fx_den: int = 1
    spread_bps: int = 50
    worst_delay: int = 30
    clock_skew: int = 15
    lock_b_duration: int = 600

    def policy(self) -> TimelockPolicy:
        return TimelockPolicy(
            ChainTiming(self.chain_a.block_period, self.chain_a.confirmations),
            ChainTiming(self.chain_b.block_period, self.chain_b.confirmations),
            self.worst_delay,
            self.clock_skew,
            self.lock_b_duration,
        )

    def save(self, data_dir: Path) -> Path:
        path = data_dir / CONFIG_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2) + "\n")
        temporary.replace(path)
        return path

    @classmethod
    def load(cls, data_dir: Path) -> CrossChainConfig:
        path = data_dir / CONFIG_FILE
        if not path.exists():
            raise ConfigurationError(
                f"no {path}: `tongdui up --demo --cross-chain` writes it when it sets up the "
                "second chain"
            )
        data: dict[str, Any] = json.loads(path.read_text())
        return cls(
            chain_a=LegConfig(**data.pop("chain_a")),
            chain_b=LegConfig(**data.pop("chain_b")),
            **data,
        )


def bridge_key(demo: bool) -> str:
    """TONGDUI_BRIDGE_KEY, else (on the demo's anvil chain A only) the derived demo key."""
    key = os.environ.get("TONGDUI_BRIDGE_KEY")
    if key:
        return key
    if demo:
        return demo_bridge_key()
    raise ConfigurationError(
        "the coordinator has no bridge member key: set TONGDUI_BRIDGE_KEY to the private key "
        "of the bridge member's account (the same account on both chains)"
    )


def relayer_keys(demo: bool) -> list[str]:
    """TONGDUI_CROSSCHAIN_RELAYER_KEYS, else (demo chains only) the derived demo relayer key.

    They must not be the relayer's TONGDUI_RELAYER_KEYS: that pool counts its nonces in its
    own log, and two logs signing with one key would send one nonce twice."""
    raw = os.environ.get("TONGDUI_CROSSCHAIN_RELAYER_KEYS", "")
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        if demo:
            return [demo_relayer_key()]
        raise ConfigurationError(
            "the coordinator has no cross-chain relayer key: set "
            "TONGDUI_CROSSCHAIN_RELAYER_KEYS to one or more comma-separated private keys "
            "(accounts of the platform's, not the bridge member's nor TONGDUI_RELAYER_KEYS)"
        )
    pool = {k.strip().lower() for k in os.environ.get("TONGDUI_RELAYER_KEYS", "").split(",")}
    if any(key.lower() in pool for key in keys):
        raise ConfigurationError(
            "a key is in both TONGDUI_CROSSCHAIN_RELAYER_KEYS and TONGDUI_RELAYER_KEYS: give "
            "the cross-chain relayer keys of its own (one key, one nonce counter)"
        )
    return keys


def build(
    config: CrossChainConfig,
    w3_a: Web3,
    platform_a: Platform,
    sessions: sessionmaker[Session],
    key: str,
    poll_interval: float = 0.5,
    relayers: list[str] | None = None,
) -> tuple[CrossChain, Coordinator]:
    """The API's handle and the coordinator loop over one database. ``relayers``: the
    cross-chain relayer's keys (default ``relayer_keys``, demo keys on the demo chain A)."""
    if relayers is None:
        relayers = relayer_keys(config.chain_a.chain_id == DEMO_CHAIN_ID)
    from ..chain.artifacts import abi

    w3_b = connect(config.chain_b.rpc)
    if int(w3_b.eth.chain_id) != config.chain_b.chain_id:
        raise ConfigurationError(
            f"chain B's node serves chain {w3_b.eth.chain_id}, not {config.chain_b.chain_id}"
        )
    platform_b = Platform(
        w3_b, load_deployment(Path(config.chain_b.deployments_dir), config.chain_b.chain_id)
    )
    htlc_abi = abi("HashedTimelock")
    htlc_a = w3_a.eth.contract(address=to_checksum_address(config.chain_a.htlc), abi=htlc_abi)
    htlc_b = w3_b.eth.contract(address=to_checksum_address(config.chain_b.htlc), abi=htlc_abi)
    policy = config.policy()
    margins, minimums = [], []
    for contract in (htlc_a, htlc_b):
        margins.append(int(contract.functions.safetyMargin().call()))
        minimums.append(int(contract.functions.minLockDuration().call()))
        policy.check_contract_margin(margins[-1])
    policy = replace(policy, contract_margin=max(margins), contract_min_lock=max(minimums))
    leg_a = Leg(
        "A", w3_a, htlc_a, key, config.chain_a.confirmations, config.chain_a.from_block, relayers
    )
    leg_b = Leg(
        "B", w3_b, htlc_b, key, config.chain_b.confirmations, config.chain_b.from_block, relayers
    )
    bridge = Bridge(
        leg_a,
        leg_b,
        platform_a,
        platform_b,
        config.token_a,
        config.token_b,
        config.fx_num,
        config.fx_den,
        config.spread_bps,
        policy,
        key,
    )
    return CrossChain(bridge, sessions), Coordinator(sessions, leg_a, leg_b, policy, poll_interval)
