"""``tongdui network …`` and ``tongdui up --network``: the local consortium network.

The network lives in ``<data dir>/network`` (``.tongdui/network`` by default); the platform
deployed on it keeps its deployment file and database in ``<data dir>`` as on anvil, so
``tongdui audit --rpc <auditor node>`` and ``tongdui status`` work unchanged against it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError
from .manager import Network

if TYPE_CHECKING:
    from ..core.config import Settings
    from ..services import Services
    from .platform import NetworkPlatform

network_app = typer.Typer(
    help="The consortium network: geth Clique sealers (one per member) and auditors' nodes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="default: ./.tongdui")]


def network_of(data_dir: Path | None) -> Network:
    return Network((data_dir or Path(".tongdui")) / "network")


def _fail(error: TongduiError) -> typer.Exit:
    typer.secho(f"error [{error.code}]: {error.message}", fg="red", err=True)
    return typer.Exit(code=1)


def _print_nodes(network: Network) -> None:
    info = network.info()
    typer.echo(f"Chain id {info.chain_id}, Clique, {info.period} s blocks")
    for node in info.nodes:
        who = f"sealer {node.sealer}" if node.sealer else "auditor"
        typer.echo(f"  node {node.index}  {node.rpc_url}  {node.role:<8} {who}")


@network_app.command("up")
def up(
    members: Annotated[int, typer.Option(help="founding members (one sealing node each)")] = 4,
    auditors: Annotated[int, typer.Option(help="auditors' non-sealing nodes")] = 1,
    period: Annotated[int, typer.Option(help="seconds per block")] = 1,
    data_dir: DataDir = None,
) -> None:
    """Create the network (keys, genesis, nodes) if there is none, start it, wait until every
    node is peered and blocks advance; print each node's RPC URL and role."""
    network = network_of(data_dir)
    try:
        if network.exists():
            typer.echo(f"Starting the network in {network.data_dir} (it exists already)")
        network.up(members=members, auditors=auditors, period=period)
    except TongduiError as error:
        raise _fail(error) from error
    _print_nodes(network)
    typer.echo("Every node peered, blocks advancing. `tongdui network status` to watch it.")


@network_app.command("status")
def status(data_dir: DataDir = None) -> None:
    """Per node: head block, peers, whether it seals, how far it lags."""
    network = network_of(data_dir)
    try:
        rows = network.status()
    except TongduiError as error:
        raise _fail(error) from error
    typer.echo(f"{'node':<5}{'role':<9}{'rpc':<24}{'head':>8}{'peers':>7}{'lag':>5}  sealing")
    for row in rows:
        if not row.running:
            typer.echo(f"{row.index:<5}{row.role:<9}{row.rpc_url:<24}  stopped")
            continue
        head = "?" if row.head is None else str(row.head)
        sealing = "yes" if row.sealing else ("no" if row.sealer else "-")
        typer.echo(
            f"{row.index:<5}{row.role:<9}{row.rpc_url:<24}{head:>8}{row.peers or 0:>7}"
            f"{row.lag if row.lag is not None else '?':>5}  {sealing}"
        )
    signers = next((r.signers for r in rows if r.signers), [])
    typer.echo(f"Clique signers ({len(signers)}): {', '.join(signers)}")


@network_app.command("stop")
def stop(data_dir: DataDir = None) -> None:
    """Stop every node (and sealer agent); the chain's state stays for `network start`."""
    try:
        network_of(data_dir).stop()
    except TongduiError as error:
        raise _fail(error) from error
    typer.echo("Stopped every node.")


@network_app.command("start")
def start(data_dir: DataDir = None) -> None:
    """Start the stopped network again; it continues its chain."""
    network = network_of(data_dir)
    try:
        network.start()
    except TongduiError as error:
        raise _fail(error) from error
    _print_nodes(network)


@network_app.command("down")
def down(
    purge: Annotated[bool, typer.Option("--purge", help="also delete keys and chain data")] = False,
    data_dir: DataDir = None,
) -> None:
    """Stop every node; with --purge delete the network's folder (keys, chain) for good."""
    network = network_of(data_dir)
    try:
        network.down(purge=purge)
    except TongduiError as error:
        raise _fail(error) from error
    typer.echo("Deleted the network." if purge else "Stopped every node.")


def up_on_network(
    data_dir: Path | None,
    member: int,
    demo: bool,
    api_port: int | None,
    chain_b: Path | None = None,
) -> None:
    """``tongdui up --network``: starts the network if it is stopped, deploys the platform with
    the founding members as governance, seeds the demo once, runs indexer + relayer + API
    against member ``member``'s node. ``chain_b``: the data folder of a second network, chain
    B of the cross-chain demo (its platform, the bridge member and the coordinator)."""
    from ..chain.anvil import port_is_free
    from ..runner import run_components
    from ..services import build_services
    from .platform import deploy_platform_on, network_settings

    folder = data_dir or Path(".tongdui")
    network = network_of(folder)
    try:
        if not network.exists():
            raise TongduiError(
                f"no network in {network.data_dir}: run `tongdui network up` first",
                code=ErrorCode.NETWORK_NOT_FOUND,
            )
        network.start()
        overrides = {} if api_port is None else {"api_port": api_port}
        settings = network_settings(network, folder, node=member, **overrides)
        if not port_is_free(settings.api_port, settings.api_host):
            raise TongduiError(
                f"API port {settings.api_port} is in use; choose one with --port",
                code=ErrorCode.PORT_IN_USE,
            )
        deployed = deploy_platform_on(network, settings, demo=demo, echo=typer.echo)
        services = build_services(settings)
        loops, state = _cross_chain(network, settings, deployed, services, chain_b, demo)
    except TongduiError as error:
        raise _fail(error) from error
    base = f"http://{settings.api_host}:{settings.api_port}"
    typer.echo(
        f"Chain     {settings.node_url()} (member {member}'s node; chain id "
        f"{deployed.deployment.chain_id}, {network.info().period} s Clique blocks)"
    )
    typer.echo(f"API       {base}   docs: {base}/docs")
    typer.echo(f"Web app   {base}/")
    typer.echo("Indexer and relayer running; sealer agents follow governance. Ctrl-C stops them")
    typer.echo("(the network keeps running: `tongdui network stop`).")
    run_components(
        services,
        api=True,
        indexer=True,
        relayer=True,
        extra_loops=loops,  # type: ignore[arg-type]  # Coordinator is a Loop
        app_state=state,
    )
    typer.echo("Stopped the backend; the network still runs (`tongdui network stop`).")


def _cross_chain(
    network: Network,
    settings: Settings,
    deployed: NetworkPlatform,
    services: Services,
    chain_b: Path | None,
    demo: bool,
) -> tuple[list[tuple[str, object]], dict[str, object]]:
    """The coordinator loop and the API's bridge handle when there is a chain B, else none."""
    if chain_b is None:
        return [], {}
    from ..crosschain.networks import prepare_on_networks
    from ..crosschain.wiring import bridge_key, build, relayer_keys

    _, config = prepare_on_networks(
        settings, network, deployed.w3, deployed.deployment, chain_b, typer.echo
    )
    crosschain, coordinator = build(
        config,
        services.w3,
        services.platform,
        services.sessions,
        bridge_key(demo),
        poll_interval=settings.poll_interval,
        relayers=relayer_keys(demo),  # on --demo the derived demo key set_up_bridge funded
    )
    typer.echo(
        f"Chain B   {config.chain_b.rpc[0]} (chain id {config.chain_b.chain_id}); bridge "
        f"{crosschain.bridge.leg_a.address}; timelock margin {crosschain.bridge.policy.margin()} s"
    )
    return [("coordinator", coordinator)], {"crosschain": crosschain}
