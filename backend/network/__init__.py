"""The consortium network: a local multi-node Clique proof-of-authority chain of geth v1.13.15
nodes (built by ``scripts/setup.sh`` into ``tools/bin/geth``), one sealing node per member and
non-sealing nodes for auditors, on loopback ports with static peers.

The Python API (what ``tongdui network …`` and the tests use; stable)::

    from tongdui.network import Network

    network = Network(data_dir)                    # everything lives in data_dir
    info = network.up(members=4, auditors=1, period=1)   # create if absent, start, wait ready
    info.chain_id, info.period
    info.nodes[i].rpc_url, .role ("sealer" | "auditor"), .sealer (address or None), .enode
    info.sealers, info.auditors                    # NodeInfo lists
    info.rpc_urls(first=i)                         # "own node first, other members after"
    network.status() -> list[NodeStatus]           # running, head, peers, lag, sealing, signers
    network.stop_node(i); network.start_node(i)    # one node (start waits until caught up)
    network.stop(); network.start()                # all nodes; the chain's state survives
    network.down(purge=True)                       # stop all, delete the folder
    network.founders() -> list[NodeInfo]           # the genesis sealers (founding members)
    network.sealer_key(i)                          # member i's key (never print it)
    network.start_agents(governance_address)       # one sealer agent per sealing node
    network.add_member_node() -> NodeInfo          # a new member's node, not yet a sealer

    from tongdui.network.platform import deploy_platform_on, network_settings
    settings = network_settings(network, data_dir, node=0)   # Settings for the backend
    platform = deploy_platform_on(network, settings, demo=True)  # deploy (+ demo), agents on

Who is who: a member's governance address is its node's sealer account (``keys.py``); the
founding members are the genesis sealers (``genesis.py``); a governance vote that admits or
removes a member is followed by the sealer agents' Clique votes (``agent.py``). Operator
accounts (deployer, relayers, settler, demo merchants) are the embedded chain's development
accounts, funded in genesis: this network is for development and tests; a real consortium
runs the same commands with its own keys (README: How a consortium runs it).
"""

from .manager import Network
from .records import NetworkInfo, NodeInfo, NodeStatus

__all__ = ["Network", "NetworkInfo", "NodeInfo", "NodeStatus"]
