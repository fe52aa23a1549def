"""The ``tongdui`` command (typer). Thin: each subcommand builds Settings and calls a module."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .cli_options import DataDirOption, RpcOption
from .cli_options import fail as _fail
from .cli_options import settings_for as _settings
from .core.config import Settings
from .core.errors import ChainUnavailableError, ConfigurationError, TongduiError

if TYPE_CHECKING:  # the command imports its modules when a subcommand needs them
    from .layout import Layout
    from .services import Services


class _Cli(typer.Typer):
    """The command: an error a person can cause ends in one line, never a traceback."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except TongduiError as error:
            typer.secho(f"error [{error.code}]: {error.message}", fg="red", err=True)
            sys.exit(2)
        except OSError as error:  # the node or the database went away mid-command
            if not _is_connection_error(error):
                raise
            typer.secho(f"error [{ChainUnavailableError.code}]: {error}", fg="red", err=True)
            sys.exit(2)


def _is_connection_error(error: BaseException) -> bool:
    import httpx
    import requests

    return isinstance(error, ConnectionError | requests.ConnectionError | httpx.TransportError)


app = _Cli(
    help="Tongdui (积分通兑): loyalty-points swaps on a consortium EVM chain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@contextmanager
def _holding(settings: Settings, *roles: str) -> Iterator[None]:
    """The data folder's roles for this command's life (see ``core.instance_lock``)."""
    from .core.instance_lock import InstanceLock, command_line

    lock = InstanceLock(settings.data_dir, roles, command_line())
    try:
        lock.acquire()
    except TongduiError as error:
        raise _fail(error) from error
    try:
        yield
    finally:
        lock.release()


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    """Run `tongdui up --demo` to start everything on a local chain with demo data."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )


@app.command()
def version() -> None:
    """Print the installed tongdui version."""
    typer.echo(__version__)


@app.command()
def up(
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
    demo: Annotated[bool, typer.Option("--demo", help="seed demo merchants and users")] = False,
    port: Annotated[int | None, typer.Option("--port", help="API port (default 8000)")] = None,
    block_time: Annotated[
        float | None, typer.Option("--block-time", help="embedded chain: seconds per block")
    ] = None,
    network: Annotated[
        bool, typer.Option("--network", help="on the `tongdui network` of the data folder")
    ] = False,
    member: Annotated[int, typer.Option("--member", help="--network: whose node to use")] = 0,
    cross_chain: Annotated[
        bool,
        typer.Option(
            "--cross-chain",
            help="also a second chain (B) with its own deployment, HTLCs on both and the "
            "bridge member's coordinator (with --demo: an embedded anvil; with --network: "
            "the network named by --chain-b)",
        ),
    ] = False,
    chain_b: Annotated[
        Path | None,
        typer.Option(
            "--chain-b",
            help="--network --cross-chain: data folder of chain B's network "
            "(`tongdui network up --data-dir DIR`)",
        ),
    ] = None,
    api_processes: Annotated[
        int | None,
        typer.Option(
            "--api-processes",
            min=1,
            help="API processes on the one port, the loops in one more (several need "
            "TONGDUI_DB_URL on PostgreSQL); default: TONGDUI_API_PROCESSES, else chosen for "
            "the cores",
        ),
    ] = None,
) -> None:
    """Start the chain (unless --rpc), deploy if needed, then indexer + relayer + API."""
    if network:  # the consortium network (network/cli.py)
        from .network.cli import up_on_network

        if api_processes is not None and api_processes > 1:
            raise _fail(ConfigurationError("--network runs in one process: drop --api-processes"))
        if cross_chain and chain_b is None:
            raise _fail(
                ConfigurationError(
                    "--network --cross-chain runs chain B on a second network: create it with "
                    "`tongdui network up --data-dir DIR` and pass --chain-b DIR"
                )
            )
        signal.signal(signal.SIGTERM, _interrupt)
        up_on_network(data_dir, member, demo, port, chain_b if cross_chain else None)
        return
    settings = _settings(
        rpc, data_dir, api_port=port, anvil_block_time=block_time, api_processes=api_processes
    )
    roles = ("chain", "indexer", "relayer") + (("coordinator",) if cross_chain else ())
    with _holding(settings, *roles):
        _up(settings, demo, cross_chain)


def _up(settings: Settings, demo: bool, cross_chain: bool = False) -> None:
    from .bootstrap import prepare_chain
    from .chain.anvil import port_is_free
    from .layout import available_cores, choose_layout
    from .services import build_services

    try:  # before anything starts: a layout the database cannot take is refused at once
        layout = choose_layout(
            available_cores(),
            settings.database_url(),
            settings.api_processes,
            cross_chain=cross_chain,
        )
    except TongduiError as error:
        raise _fail(error) from error
    if not port_is_free(settings.api_port, settings.api_host):
        typer.secho(
            f"error: API port {settings.api_port} is in use; choose one with --port",
            fg="red",
            err=True,
        )
        raise typer.Exit(code=1)
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop = Ctrl-C
    try:
        chain = prepare_chain(settings, demo=demo, echo=typer.echo)
    except TongduiError as error:
        raise _fail(error) from error
    chain_b = None
    payment_provider_process = None
    try:
        services = build_services(settings)
        if demo:
            payment_provider_process = _start_payment_provider(settings, services)
            from .onboarding.demo import seed_demo_application

            if seed_demo_application(services.sessions) is not None:
                typer.echo("Filed a demo onboarding application (consortium page: review)")
            from .vouchers.demo_terms import seed_demo_voucher_terms

            seed_demo_voucher_terms(services.sessions, services.platform)
        extra: dict[str, object] = {}
        loops: list[tuple[str, object]] = []
        if cross_chain:
            from .crosschain.start import start_cross_chain

            chain_b, crosschain, coordinator = start_cross_chain(
                settings, chain, services, typer.echo
            )
            extra["crosschain"] = crosschain
            loops.append(("coordinator", coordinator))
        base = f"http://{settings.api_host}:{settings.api_port}"
        typer.echo(f"Chain     {settings.node_url()} (chain id {chain.deployment.chain_id})")
        typer.echo(f"API       {base}   docs: {base}/docs")
        typer.echo(f"Web app   {base}/")
        typer.echo(f"Database  {_redact(settings.database_url())}")
        typer.echo(f"Layout    {layout.describe(settings.api_port)}")
        typer.echo("Indexer and relayer running. Press Ctrl-C to stop.")
        if layout.one_process:
            _run_one_process(services, loops, extra)
        elif not _run_processes(settings, layout, services):
            raise typer.Exit(code=1)
    except TongduiError as error:
        raise _fail(error) from error
    finally:
        _stop_payment_provider(payment_provider_process)
        if chain_b is not None:
            chain_b.stop()
        chain.stop()
        typer.echo("Stopped.")


def _run_one_process(
    services: Services, loops: list[tuple[str, object]], extra: dict[str, object]
) -> None:
    """Everything in this process: uvicorn here, the loops as threads (``runner``)."""
    from .runner import run_components

    run_components(
        services,
        api=True,
        indexer=True,
        relayer=True,
        extra_loops=loops,  # type: ignore[arg-type]  # Coordinator is a Loop
        app_state=extra,
    )


def _run_processes(settings: Settings, layout: Layout, services: Services) -> bool:
    """The layout's API, relayer and indexer processes (``processes``); False if one died."""
    from .processes import supervise

    services.engine.dispose()  # the children open their own connections; this one needs none

    def report(message: str) -> None:
        typer.secho(f"error: {message}", fg="red", err=True)

    return supervise(settings, layout, report)


# ── issue 16, points + cash: the demo's test payment provider (payments/cli.py) ───────────
def _start_payment_provider(settings: Settings, services: Any) -> Any:
    """``up --demo`` starts the test payment provider as a child process and prints its URL."""
    from .payments.cli import start_demo_provider

    return start_demo_provider(settings, services, typer.echo)


def _stop_payment_provider(process: Any) -> None:
    from .payments.cli import stop_demo_provider

    stop_demo_provider(process)


def _run_alone(component: str, rpc: str | None, data_dir: Path | None, port: int | None) -> None:
    from .runner import run_components
    from .services import build_services

    settings = _settings(rpc, data_dir, api_port=port)
    roles = {"api": (), "indexer": ("indexer",), "relayer": ("relayer",)}[component]
    with _holding(settings, *roles):
        try:
            services = build_services(settings)
        except TongduiError as error:
            raise _fail(error) from error
        run_components(
            services,
            api=component == "api",
            indexer=component == "indexer",
            relayer=component == "relayer",
        )


@app.command()
def serve(
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
    port: Annotated[int | None, typer.Option("--port")] = None,
) -> None:
    """Run the API alone (the chain must be running and deployed)."""
    _run_alone("api", rpc, data_dir, port)


@app.command()
def index(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Run the indexer alone."""
    _run_alone("indexer", rpc, data_dir, None)


@app.command()
def relay(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Run the relayer alone."""
    _run_alone("relayer", rpc, data_dir, None)


@app.command()
def coordinate(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Run the cross-chain coordinator alone (chain B and both HTLCs from crosschain.json)."""
    from .crosschain.wiring import DEMO_CHAIN_ID, CrossChainConfig, bridge_key, build
    from .runner import run_components
    from .services import build_services

    settings = _settings(rpc, data_dir)
    with _holding(settings, "coordinator"):
        try:
            services = build_services(settings)
            config = CrossChainConfig.load(settings.data_dir)
            _, coordinator = build(
                config,
                services.w3,
                services.platform,
                services.sessions,
                bridge_key(services.chain_id == DEMO_CHAIN_ID),
                poll_interval=settings.poll_interval,
            )
        except TongduiError as error:
            raise _fail(error) from error
        signal.signal(signal.SIGTERM, _interrupt)
        run_components(
            services,
            api=False,
            indexer=False,
            relayer=False,
            extra_loops=[("coordinator", coordinator)],
        )


@app.command()
def deploy(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Deploy the platform to the node (genesis roles from TONGDUI_* settings)."""
    from .bootstrap import ensure_deployed, start_embedded
    from .chain.client import connect

    settings = _settings(rpc, data_dir)
    with _holding(settings, "chain"):
        anvil = None
        try:
            anvil = start_embedded(settings) if settings.embedded else None
            deployment = ensure_deployed(settings, connect(settings.node_urls()), typer.echo)
            for name, address in deployment.addresses.items():
                typer.echo(f"  {name:<22}{address}")
        except TongduiError as error:
            raise _fail(error) from error
        finally:
            if anvil is not None:
                anvil.stop()


@app.command()
def status(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Show the node, the deployment, the merchants and the index (never any secret)."""
    from .status import NodeUnreachable, collect_status

    settings = _settings(rpc, data_dir)
    try:
        for line in collect_status(settings):
            typer.echo(line)
    except TongduiError as error:
        raise _fail(error) from error
    except NodeUnreachable as unreachable:
        typer.secho(str(unreachable), fg="red", err=True)
        raise typer.Exit(code=1) from None


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _redact(url: str) -> str:
    """A database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url


from .audit.cli import audit_app, statement  # noqa: E402 - registered last, owned by audit/

app.add_typer(audit_app, name="audit")
app.command("statement")(statement)


from .merchant.cli import merchant_key_app  # noqa: E402 - registered last, owned by merchant/

app.add_typer(merchant_key_app, name="merchant-key")

from .operations.cli import oplog_app  # noqa: E402 - registered last, owned by operations/

app.add_typer(oplog_app, name="oplog")

from .webhooks.cli import webhooks_app  # noqa: E402 - registered last, owned by webhooks/

app.add_typer(webhooks_app, name="webhooks")

from .onboarding.cli import consortium_key_app  # noqa: E402 - registered last, owned by onboarding/

app.add_typer(consortium_key_app, name="consortium-key")

from .risk.cli import risk_app  # noqa: E402 - registered last, owned by risk/

app.add_typer(risk_app, name="risk-rule")


# ── the consortium network (network/cli.py) ──────────────────────────────────────────────
from .network.cli import network_app  # noqa: E402 - registered last, owned by network/

app.add_typer(network_app, name="network")


# ── issue 16, points + cash: the test payment provider (payments/cli.py) ──────────────────
from .payments.cli import payment_provider  # noqa: E402 - registered last, owned by payments/

app.command("payment-provider")(payment_provider)
