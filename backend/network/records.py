"""What the network tells its clients: its nodes (``NodeInfo``, ``NetworkInfo``) and how each
is doing (``NodeStatus``). Plain frozen records, so that the CLI, the tests and the benchmarks
can hold them without touching a node."""

from __future__ import annotations

from dataclasses import dataclass, field

from .node import Role


@dataclass(frozen=True)
class NodeInfo:
    """What a client needs to know about one node."""

    index: int
    role: Role
    rpc_url: str
    enode: str
    sealer: str | None  # the member's sealer account (= its governance address); None: auditor


@dataclass(frozen=True)
class NetworkInfo:
    chain_id: int
    period: int
    nodes: list[NodeInfo]

    @property
    def sealers(self) -> list[NodeInfo]:
        return [n for n in self.nodes if n.role == "sealer"]

    @property
    def auditors(self) -> list[NodeInfo]:
        return [n for n in self.nodes if n.role == "auditor"]

    def rpc_urls(self, first: int = 0) -> str:
        """Comma-separated member node URLs, node ``first`` first (the backend's own member's
        node, then the others as fallback)."""
        members = [n.rpc_url for n in self.sealers]
        own = self.nodes[first].rpc_url
        return ",".join([own, *[u for u in members if u != own]])


@dataclass(frozen=True)
class NodeStatus:
    index: int
    role: Role
    rpc_url: str
    running: bool
    head: int | None = None
    peers: int | None = None
    lag: int | None = None  # blocks behind the highest head of the network
    sealer: str | None = None
    sealing: bool = False  # the sealer account is in Clique's current signer set
    signers: list[str] = field(default_factory=list)
