"""One geth node of the network: its folder, its command line, its process.

A node is a detached process (``process.py``: it outlives the ``tongdui network up`` that
started it; its pid is kept in ``geth.pid``). Output goes to ``geth.log``.

The command line says everything a consortium's operator would say: no discovery (peers come
from the static list in ``config.toml``), only loopback (``--netrestrict``), the HTTP JSON-RPC
with the APIs that the backend, the sealer agent and the network manager use, an archive node
(the auditor reads state at any past block), and for a sealer its unlocked account as Clique
signer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from ..core.errors import ChainUnavailableError, ConfigurationError
from .keys import NodeKeys
from .process import Detached

ROOT = Path(__file__).resolve().parents[2]
BUILT_GETH = ROOT / "tools" / "bin" / "geth"
HTTP_APIS = "eth,net,web3,clique,admin,txpool,miner"

Role = Literal["sealer", "auditor"]


def geth_binary() -> str:
    """geth from ``TONGDUI_GETH``, else the one ``scripts/setup.sh`` built, else PATH."""
    configured = os.environ.get("TONGDUI_GETH")
    if configured:
        return configured
    if BUILT_GETH.exists():
        return str(BUILT_GETH)
    found = shutil.which("geth")
    if found is None:
        raise ConfigurationError(
            "geth not found: run ./scripts/setup.sh (it builds geth v1.13.15 into tools/bin)"
        )
    return found


@dataclass
class NodeSpec:
    """What the network file records about a node (no secret)."""

    index: int
    role: Role
    http_port: int
    p2p_port: int
    authrpc_port: int
    sealer: str | None  # the sealer account's address (members' nodes only)
    node_id: str  # enode id (public key hex)
    host: str = "127.0.0.1"

    @property
    def rpc_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def enode(self) -> str:
        return f"enode://{self.node_id}@{self.host}:{self.p2p_port}"

    def as_json(self) -> dict[str, object]:
        return asdict(self)


class GethNode:
    """A node's folder and process."""

    def __init__(self, folder: Path, spec: NodeSpec, chain_id: int) -> None:
        self.folder = folder
        self.spec = spec
        self.chain_id = chain_id
        self.keys = NodeKeys(folder)
        self.datadir = folder / "data"
        self.log_file = folder / "geth.log"
        self.config_file = folder / "config.toml"
        self.process = Detached(folder / "geth.pid", str(self.datadir))

    def init(self, genesis: dict[str, object]) -> None:
        """``geth init``: writes the genesis block into the node's database (once)."""
        genesis_file = self.folder / "genesis.json"
        genesis_file.write_text(json.dumps(genesis, indent=2))
        with self.log_file.open("ab") as log:
            result = subprocess.run(
                [geth_binary(), "--datadir", str(self.datadir), "init", str(genesis_file)],
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=120,
            )
        if result.returncode != 0:
            raise ChainUnavailableError(
                f"geth init failed for node {self.spec.index}: see {self.log_file}"
            )

    def write_peers(self, peers: list[NodeSpec]) -> None:
        """The static peer list (every other node), read by geth at start."""
        enodes = ", ".join(json.dumps(p.enode) for p in peers if p.index != self.spec.index)
        self.config_file.write_text(
            "[Node.P2P]\n"
            f'ListenAddr = "{self.spec.host}:{self.spec.p2p_port}"\n'
            f"StaticNodes = [{enodes}]\nTrustedNodes = [{enodes}]\n"
        )

    def command(self) -> list[str]:
        spec = self.spec
        command = [
            geth_binary(),
            "--config", str(self.config_file),
            "--datadir", str(self.datadir),
            "--networkid", str(self.chain_id),
            "--nodekey", str(self.keys.nodekey_file),
            "--nodiscover",
            "--nat", f"extip:{spec.host}",
            "--netrestrict", "127.0.0.0/8",
            "--http",
            "--http.addr", spec.host,
            "--http.port", str(spec.http_port),
            "--http.api", HTTP_APIS,
            "--authrpc.addr", spec.host,
            "--authrpc.port", str(spec.authrpc_port),
            "--ipcdisable",
            "--syncmode", "full",
            "--gcmode", "archive",
            "--cache", "128",
            "--miner.gaslimit", "30000000",
            # Tips of at least 1 gwei (geth's default, also what eth_gasPrice suggests): far
            # above any base fee this chain reaches, so a relayer's price read once stays good.
            "--miner.gasprice", "1000000000",
            "--rpc.txfeecap", "0",
            "--verbosity", "3",
        ]  # fmt: skip
        if spec.role == "sealer":
            assert spec.sealer is not None
            # No --mine: the network starts sealing (miner_start) once the node is peered and
            # caught up, so it never seals a fork of its own from a stale head (two forks of
            # equal difficulty can stall Clique for good: each sealer keeps its own block).
            command += [
                "--miner.etherbase", spec.sealer,
                "--unlock", spec.sealer,
                "--password", str(self.keys.password_file),
                "--allow-insecure-unlock",  # HTTP is on loopback only
                "--keystore", str(self.keys.keystore_dir),
            ]  # fmt: skip
        return command

    def running(self) -> bool:
        return self.process.running()

    def exited(self) -> int | None:
        """geth's exit code if it was started here and has exited (it failed to start)."""
        return self.process.exit_code()

    def start(self) -> None:
        self.process.start(self.command(), self.log_file)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM (geth flushes its database), SIGKILL after ``timeout``."""
        self.process.stop(timeout)
