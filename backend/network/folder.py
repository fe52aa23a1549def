"""The network's data folder: ``network.json`` (chain id, period, founders, each node's role,
ports, sealer address and enode: no secret) and the node folders it names (``nodes/node-<i>/``).
Reading and writing that file is one job; starting, stopping and watching the nodes is
``manager.py``'s."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.errors import ConfigurationError
from .keys import NodeKeys
from .node import GethNode, NodeSpec
from .records import NetworkInfo, NodeInfo

NETWORK_FILE = "network.json"


class NetworkFolder:
    """The network's data folder: its ``network.json`` read and written, and a ``GethNode`` for
    each node it lists. ``Network`` runs and watches what this describes."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.file = self.data_dir / NETWORK_FILE

    # ── the network file ──────────────────────────────────────────────────────────────

    def exists(self) -> bool:
        return self.file.exists()

    def _read(self) -> dict[str, Any]:
        if not self.exists():
            raise ConfigurationError(
                f"no network in {self.data_dir}: create it with `tongdui network up`"
            )
        data: dict[str, Any] = json.loads(self.file.read_text())
        return data

    def _write(self, data: dict[str, Any]) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        temporary = self.file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2))
        temporary.replace(self.file)

    def _specs(self) -> list[NodeSpec]:
        return [NodeSpec(**n) for n in self._read()["nodes"]]

    def _node(self, spec: NodeSpec) -> GethNode:
        if not hasattr(self, "_nodes"):
            self._nodes: dict[int, GethNode] = {}
        node = self._nodes.get(spec.index)
        if node is None or node.spec != spec:
            folder = self.data_dir / "nodes" / f"node-{spec.index}"
            node = GethNode(folder, spec, self._read()["chain_id"])
            self._nodes[spec.index] = node
        return node

    def node(self, index: int) -> GethNode:
        specs = self._specs()
        if not 0 <= index < len(specs):
            raise ConfigurationError(f"no node {index}: the network has nodes 0–{len(specs) - 1}")
        return self._node(specs[index])

    def info(self) -> NetworkInfo:
        data = self._read()
        nodes = [NodeInfo(s.index, s.role, s.rpc_url, s.enode, s.sealer) for s in self._specs()]
        return NetworkInfo(data["chain_id"], data["period"], nodes)

    def founders(self) -> list[NodeInfo]:
        """The founding members' nodes: the genesis sealers (nodes added later are not)."""
        info = self.info()
        return info.sealers[: int(self._read()["founders"])]

    def node_keys(self, index: int) -> NodeKeys:
        return self.node(index).keys

    def sealer_key(self, index: int) -> str:
        """The private key of node ``index``'s sealer account (its member's governance key)."""
        return self.node_keys(index).sealer_key()
