"""The network as a whole: made once, then started, stopped and inspected by index.

Everything about it is in its data folder: ``network.json`` (chain id, period, each node's
role, ports, sealer address and enode: no secret), ``genesis.json``, and one folder per node
(``nodes/node-<i>/``: keys, geth database, ``config.toml`` with the static peers,
``geth.log``, ``geth.pid``). Nodes are numbered from 0; members' sealing nodes come first,
then the auditors' nodes, then members added later (``add_member_node``).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import sys
import time
from typing import Any

import requests
from web3 import HTTPProvider, Web3

from ..chain.deploy import address_of
from ..core.dev_keys import ANVIL_KEYS
from ..core.errors import ChainUnavailableError, ConfigurationError
from .folder import NetworkFolder
from .genesis import clique_genesis
from .keys import create_node_keys
from .node import GethNode, NodeSpec, Role
from .ports import free_port, port_is_free
from .process import Detached
from .records import NetworkInfo, NodeInfo, NodeStatus


def operator_accounts() -> list[str]:
    """Accounts funded in genesis besides the sealers: the embedded chain's development roles
    (deployer 0, merchants' admins 4–6, settler 7, relayers 8–9), so that ``tongdui up
    --network`` and the test suites run unchanged on this local network. A real consortium
    funds its own operators (see README: How a consortium runs it)."""
    return [address_of(key) for index, key in enumerate(ANVIL_KEYS) if index not in (1, 2, 3)]


FRESH_START_ATTEMPTS = 3
"""How often ``up`` makes a new network again when a fresh one stalls in its first blocks."""

FRESH_READY_SECONDS = 30.0
"""How long a fresh network gets to advance (healthy 4-sealer starts took 2.5–12 s here)."""


class Network(NetworkFolder):
    """A local Clique network in ``data_dir``: see the package docstring for the API."""

    # ── making and running ────────────────────────────────────────────────────────────

    def create(self, members: int = 4, auditors: int = 1, period: int = 1) -> NetworkInfo:
        """Makes keys, genesis and node folders (nothing runs yet)."""
        if self.exists():
            raise ConfigurationError(
                f"a network already exists in {self.data_dir}: `tongdui network start`, or "
                "`tongdui network down --purge` first"
            )
        if members < 1 or auditors < 0 or period < 1:
            raise ConfigurationError("a network needs ≥ 1 member, ≥ 0 auditors, period ≥ 1 s")
        chain_id = 880_000 + secrets.randbelow(100_000)
        specs = [
            self._new_spec(i, "sealer" if i < members else "auditor")
            for i in range(members + auditors)
        ]
        sealers = [s.sealer for s in specs if s.sealer is not None]
        genesis = clique_genesis(chain_id, period, sealers, operator_accounts())
        (self.data_dir).mkdir(parents=True, exist_ok=True)
        (self.data_dir / "genesis.json").write_text(json.dumps(genesis, indent=2))
        self._write(
            {
                "chain_id": chain_id,
                "period": period,
                "founders": members,
                "nodes": [s.as_json() for s in specs],
            }
        )
        for spec in specs:
            self._node(spec).init(genesis)
        return self.info()

    def _new_spec(self, index: int, role: Role) -> NodeSpec:
        folder = self.data_dir / "nodes" / f"node-{index}"
        keys = create_node_keys(folder)
        if not hasattr(self, "_used_ports"):
            self._used_ports: set[int] = set()
        http, p2p, authrpc = (free_port(self._used_ports) for _ in range(3))
        sealer = keys.sealer_address() if role == "sealer" else None
        return NodeSpec(index, role, http, p2p, authrpc, sealer, keys.node_id())

    def up(
        self, members: int = 4, auditors: int = 1, period: int = 1, timeout: float = 90.0
    ) -> NetworkInfo:
        """Creates the network if the folder has none, starts every node, and returns once all
        are peered and the chain advances on each.

        A freshly made network can deadlock in its first blocks: two sealers seal competing
        block 1s, and Clique's recently-signed rule then leaves too few sealers on either
        fork (seen once in six 4-sealer starts). Such a network holds nothing yet, so it is
        thrown away and made again (new keys, new genesis), up to ``FRESH_START_ATTEMPTS``
        times, each given ``FRESH_READY_SECONDS`` to advance; a network that already existed
        is only started.
        """
        if self.exists():
            self.start(timeout=timeout)
            return self.info()
        for attempt in range(1, FRESH_START_ATTEMPTS + 1):
            self.create(members, auditors, period)
            try:
                self.start(timeout=min(timeout, FRESH_READY_SECONDS))
                return self.info()
            except ChainUnavailableError:
                if attempt == FRESH_START_ATTEMPTS:
                    raise
                self.down(purge=True)
        raise AssertionError("unreachable")

    def start(self, timeout: float = 90.0) -> None:
        """Starts every node that is not running, waits until all are peered, lets the
        sealers seal, and waits until blocks advance everywhere; the sealer agents too once
        ``start_agents`` has named the governance contract."""
        specs = self._specs()
        for spec in specs:
            node = self._node(spec)
            node.write_peers(specs)
            self._check_ports_free(node)
            node.start()
        self._wait_peered(timeout)
        for spec in specs:
            self._start_sealing(spec)
        self.wait_ready(timeout)
        for spec in specs:
            self._start_agent(spec)

    def _start_sealing(self, spec: NodeSpec) -> None:
        """Tells a sealer to seal. A node that stopped answering since it peered (seen once in
        CI: the second of two fresh networks refused ``miner_start``) is a chain that did not
        come up: ChainUnavailableError, with the node's log tail if it exited, so that ``up``
        throws a fresh network away and makes it again rather than failing on a socket error."""
        if spec.role != "sealer":
            return
        try:
            answer = _rpc(spec.rpc_url).provider.make_request("miner_start", [])  # type: ignore[arg-type]
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
            self._raise_if_exited(self._specs())
            raise ChainUnavailableError(
                f"node {spec.index} stopped answering before it could seal ({error})"
            ) from error
        if "error" in answer:
            raise ChainUnavailableError(
                f"node {spec.index} would not start sealing: {answer['error']}"
            )

    def _wait_peered(self, timeout: float) -> None:
        """Until every running node answers and is peered with every other one."""
        specs = self._specs()
        deadline = time.monotonic() + timeout
        connected_at = 0.0
        while True:
            if time.monotonic() - connected_at > 5:
                self._connect(specs)
                connected_at = time.monotonic()
            rows = [r for r in self.status() if r.running]
            if all(r.head is not None and (r.peers or 0) >= len(rows) - 1 for r in rows):
                return
            if time.monotonic() > deadline:
                self._fail_not_ready(self.status(), timeout)
            self._raise_if_exited(specs)
            time.sleep(0.3)

    def _raise_if_exited(self, specs: list[NodeSpec]) -> None:
        for node in (self._node(s) for s in specs):
            if node.exited() is not None:
                tail = node.log_file.read_text(errors="replace").strip().splitlines()[-3:]
                raise ChainUnavailableError(
                    f"geth of node {node.spec.index} exited (code {node.exited()}): "
                    f"{' | '.join(tail)} (see {node.log_file})"
                )

    # ── sealer agents (agent.py) ──────────────────────────────────────────────────────

    def start_agents(self, governance: str) -> None:
        """Records the governance contract and starts one sealer agent per sealing node (a
        process beside the node, ``agent.log`` in its folder). ``start`` restarts them."""
        data = self._read()
        data["governance"] = governance
        self._write(data)
        for spec in self._specs():
            self._start_agent(spec)

    def _agent(self, spec: NodeSpec) -> Detached:
        folder = self._node(spec).folder
        if not hasattr(self, "_agents"):
            self._agents: dict[int, Detached] = {}
        if spec.index not in self._agents:
            self._agents[spec.index] = Detached(folder / "agent.pid", str(folder / "agent.log"))
        return self._agents[spec.index]

    def _start_agent(self, spec: NodeSpec) -> None:
        governance = self._read().get("governance")
        if spec.role != "sealer" or governance is None or not self._node(spec).running():
            return
        folder = self._node(spec).folder
        command = [
            sys.executable, "-m", "tongdui.network.agent",
            "--rpc", spec.rpc_url,
            "--governance", governance,
            "--log", str(folder / "agent.log"),
        ]  # fmt: skip
        self._agent(spec).start(command, folder / "agent.out")

    def agent_running(self, index: int) -> bool:
        return self._agent(self._specs()[index]).running()

    def _check_ports_free(self, node: GethNode) -> None:
        if node.running():
            return
        for port in (node.spec.http_port, node.spec.p2p_port, node.spec.authrpc_port):
            if not port_is_free(port):
                raise ChainUnavailableError(
                    f"port {port} of node {node.spec.index} is in use: stop what holds it "
                    f"(see {self.file})"
                )

    def stop(self) -> None:
        """Stops every node; their databases stay (``start`` continues the chain)."""
        specs = self._specs()
        processes = [self._agent(s) for s in specs] + [self._node(s).process for s in specs]
        stopping = [(process, process.terminate()) for process in processes]
        for process, pid in stopping:  # all at once, then wait: each takes a moment
            if pid is not None:
                process.stop(pid=pid)

    def down(self, purge: bool = False) -> None:
        """Stops every node; with ``purge`` also deletes the network's folder."""
        if self.exists():
            self.stop()
        if purge and self.data_dir.exists():
            shutil.rmtree(self.data_dir)

    def stop_node(self, index: int) -> None:
        """Stops one node and its agent (its peers keep dialling it: ``start_node`` rejoins
        it)."""
        self._agent(self._specs()[index]).stop()
        self.node(index).stop()

    def start_node(self, index: int, timeout: float = 60.0) -> None:
        """Starts one stopped node and waits until it is peered and has caught up."""
        specs = self._specs()
        node = self.node(index)
        node.write_peers(specs)
        self._check_ports_free(node)
        node.start()
        self._connect(specs)
        self.wait_caught_up(index, timeout)
        self._start_sealing(specs[index])
        self._start_agent(specs[index])

    def add_member_node(self, timeout: float = 60.0) -> NodeInfo:
        """A new member's node: fresh keys, the same genesis, peered with every node. It runs
        as a sealer but seals only once Clique's signers vote it in (the sealer agents do that
        when governance admits its address: see ``agent.py``)."""
        data = self._read()
        spec = self._new_spec(len(data["nodes"]), "sealer")
        data["nodes"].append(spec.as_json())
        self._write(data)
        genesis = json.loads((self.data_dir / "genesis.json").read_text())
        node = self._node(spec)
        node.init(genesis)
        specs = self._specs()
        for other in specs:
            self._node(other).write_peers(specs)
        self._check_ports_free(node)
        node.start()
        self._connect(specs)
        self.wait_caught_up(spec.index, timeout)
        self._start_sealing(spec)
        self._start_agent(spec)
        return self.info().nodes[spec.index]

    # ── watching ──────────────────────────────────────────────────────────────────────

    def _connect(self, specs: list[NodeSpec]) -> None:
        """``admin_addPeer`` between running nodes: static peers at once, not at the next
        redial (geth redials static peers every 30 s or so)."""
        running = [s for s in specs if self._node(s).running()]
        for spec in running:
            w3 = _rpc(spec.rpc_url)
            for other in running:
                if other.index != spec.index:
                    with contextlib.suppress(Exception):  # the node may still be starting
                        w3.provider.make_request("admin_addPeer", [other.enode])  # type: ignore[arg-type]

    def status(self) -> list[NodeStatus]:
        """Per node: running, head, peers, lag behind the network's highest head, sealing."""
        rows: list[dict[str, Any]] = []
        for spec in self._specs():
            row: dict[str, Any] = {
                "index": spec.index,
                "role": spec.role,
                "rpc_url": spec.rpc_url,
                "running": self._node(spec).running(),
                "sealer": spec.sealer,
            }
            if row["running"]:
                try:
                    w3 = _rpc(spec.rpc_url)
                    row["head"] = int(w3.eth.block_number)
                    row["peers"] = int(w3.net.peer_count)
                    signers = w3.provider.make_request("clique_getSigners", ["latest"])  # type: ignore[arg-type]
                    row["signers"] = [str(s).lower() for s in signers.get("result", [])]
                except Exception:  # starting or stopping: shown without a head
                    pass
            rows.append(row)
        heads = [r["head"] for r in rows if r.get("head") is not None]
        top = max(heads, default=None)
        result = []
        for row in rows:
            if top is not None and row.get("head") is not None:
                row["lag"] = top - row["head"]
            sealer = row.get("sealer")
            row["sealing"] = sealer is not None and sealer.lower() in row.get("signers", [])
            result.append(NodeStatus(**row))
        return result

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Until every node is peered with every other running node and the chain advances
        (each node's head passes the highest head seen at the start and lags ≤ 2)."""
        specs = self._specs()
        deadline = time.monotonic() + timeout
        start_top: int | None = None
        connected_at = 0.0
        while True:
            if time.monotonic() - connected_at > 5:
                self._connect(specs)
                connected_at = time.monotonic()
            rows = self.status()
            running = [r for r in rows if r.running]
            heads = [r.head for r in running if r.head is not None]
            if len(heads) == len(running) and heads:
                if start_top is None:
                    start_top = max(heads)
                peered = all((r.peers or 0) >= len(running) - 1 for r in running)
                # Past a few blocks and on one chain: a head of 1 or 2 on each node can be
                # competing forks that Clique never reconciles (the start-up stall).
                advanced = min(heads) >= start_top + 3 and all((r.lag or 0) <= 2 for r in running)
                if peered and advanced and self._same_block(running, min(heads)):
                    return
            if time.monotonic() > deadline:
                self._fail_not_ready(rows, timeout)
            self._raise_if_exited(specs)
            time.sleep(0.5)

    def _same_block(self, running: list[NodeStatus], number: int) -> bool:
        """Whether every running node has the same block ``number`` (no fork among them)."""
        hashes = set()
        for row in running:
            with contextlib.suppress(Exception):
                answer = _rpc(row.rpc_url).provider.make_request(
                    "eth_getBlockByNumber",  # type: ignore[arg-type]
                    [hex(number), False],
                )
                hashes.add((answer.get("result") or {}).get("hash"))
                continue
            return False
        return len(hashes) == 1 and None not in hashes

    def wait_caught_up(self, index: int, timeout: float = 60.0) -> None:
        """Until node ``index`` is peered with all running nodes and within 2 blocks of them."""
        deadline = time.monotonic() + timeout
        while True:
            rows = self.status()
            running = [r for r in rows if r.running]
            me = rows[index]
            top = max((r.head for r in running if r.head is not None), default=None)
            if (
                me.head is not None
                and top is not None
                and top - me.head <= 2
                and (me.peers or 0) >= len(running) - 1
            ):
                return
            if time.monotonic() > deadline:
                self._fail_not_ready(rows, timeout)
            time.sleep(0.5)

    def _fail_not_ready(self, rows: list[NodeStatus], timeout: float) -> None:
        summary = "; ".join(
            f"node {r.index}: {'head ' + str(r.head) if r.head is not None else 'no answer'}"
            f", {r.peers} peers"
            for r in rows
        )
        raise ChainUnavailableError(
            f"the network was not ready within {timeout:.0f} s ({summary}); see the geth.log "
            f"files under {self.data_dir / 'nodes'}"
        )


def _rpc(url: str) -> Web3:
    return Web3(HTTPProvider(url, request_kwargs={"timeout": 3}))
