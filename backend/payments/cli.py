"""``tongdui payment-provider``: the test payment provider as its own process, and how
``tongdui up --demo`` starts it beside the API (``start_demo_provider``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Annotated

import httpx
import typer

from ..chain.anvil import die_with_parent
from ..cli_options import DataDirOption, RpcOption, settings_for
from ..core.config import Settings
from ..core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY
from ..services import Services
from .config import NOTIFY_URL, PROVIDER_URL
from .voucher_book import ADDRESS_NAMES

DEMO_PROVIDER_PORT = 8100
PROVIDER_PORT = "TONGDUI_PAYMENT_PROVIDER_PORT"  # up --demo: the provider's port (else 8100 on)


def payment_provider(
    port: Annotated[int, typer.Option("--port", help="port of the provider")] = DEMO_PROVIDER_PORT,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    chain_id: Annotated[int | None, typer.Option("--chain-id", help="default: the node's")] = None,
    voucher_book: Annotated[
        str | None,
        typer.Option("--voucher-book", help="default: the deployment's"),
    ] = None,
    retry_base: Annotated[
        float, typer.Option("--retry-base", help="seconds before the first notification retry")
    ] = 1.0,
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Run the test payment provider (a stand-in acquirer: pay page, signed notifications,
    refunds). Signs with TONGDUI_PAYMENT_PROVIDER_KEY, else the demo provider key."""
    from .test_provider import serve_provider

    if chain_id is None or voucher_book is None:
        chain_id, voucher_book = _domain_from_deployment(settings_for(rpc, data_dir))
    key = os.environ.get("TONGDUI_PAYMENT_PROVIDER_KEY") or DEMO_PAYMENT_PROVIDER_KEY
    typer.echo(f"Payment provider http://{host}:{port} (test stand-in)")
    serve_provider(host, port, chain_id, voucher_book, key, retry_base=retry_base)


def _domain_from_deployment(settings: Settings) -> tuple[int, str]:
    from ..chain.client import connect
    from ..chain.deployment import load_deployment

    w3 = connect(settings.node_urls())
    deployment = load_deployment(settings.deployments_dir(), w3.eth.chain_id)
    for name in ADDRESS_NAMES:
        if name in deployment.addresses:
            return deployment.chain_id, deployment.addresses[name]
    raise typer.BadParameter("the deployment has no VoucherBook: pass --voucher-book")


# ── tongdui up --demo ─────────────────────────────────────────────────────────────────────────


def start_demo_provider(
    settings: Settings, services: Services, echo: Callable[[str], object]
) -> subprocess.Popen[bytes] | None:
    """Starts the test provider as a child process (``TONGDUI_PAYMENT_PROVIDER_PORT``, else a
    free port from 8100 on), points our side
    at it (``TONGDUI_PAYMENT_PROVIDER_URL`` / ``_NOTIFY_URL`` for the API and the sweeper of this
    process) and prints its URL. None when this chain has no VoucherBook."""
    addresses = services.deployment.addresses
    book = next((addresses[name] for name in ADDRESS_NAMES if name in addresses), None)
    if book is None:
        echo("Payments  off (no VoucherBook in this deployment)")
        return None
    wanted = int(os.environ.get(PROVIDER_PORT) or 0)
    port = wanted or next(p for p in range(DEMO_PROVIDER_PORT, DEMO_PROVIDER_PORT + 50) if _free(p))
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "tongdui.payments.provider_main", "--port", str(port),
        "--chain-id", str(services.chain_id), "--voucher-book", book,
    ]  # fmt: skip
    # dies with ``tongdui up`` however it dies (kill -9 too), as the embedded anvil does: an
    # orphaned provider kept its port and signed notices for a chain long gone
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, preexec_fn=die_with_parent)
    if not wait_until_up(url, process, timeout=90):
        process.terminate()
        echo("Payments  the test payment provider did not start")
        return None
    os.environ[PROVIDER_URL] = url
    os.environ.setdefault(NOTIFY_URL, f"http://127.0.0.1:{settings.api_port}/payments/notify")
    echo(f"Payments  {url}   (test payment provider: pay pages, signed notifications)")
    return process


def stop_demo_provider(process: subprocess.Popen[bytes] | None) -> None:
    """Stops the demo provider (Ctrl-C may have reached it already: its process group)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
