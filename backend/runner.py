"""Running the indexer, the relayer and the API together (``tongdui up``) or alone.

The indexer and the relayer are loops in background threads (their work is I/O on the node
and the database); the API is uvicorn in the main thread. Ctrl-C (SIGINT) or SIGTERM stops
uvicorn, then the loops are told to stop and are joined, so every in-flight write finishes.
A several-process ``tongdui up`` (``layout.py``) runs this in each of its children, each with
its part of the components (``process_child``).
"""

from __future__ import annotations

import gc
import logging
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import uvicorn

from .api.app import create_app
from .merchant.operators import MerchantOperators
from .services import Services

log = logging.getLogger("tongdui")

SWITCH_INTERVAL = 0.001  # seconds; see run_components


class Loop(Protocol):
    def run(self, stop: threading.Event) -> None: ...


def make_indexer(services: Services) -> Loop:
    from .indexer.follower import Indexer

    return Indexer(services)


def make_relayer(services: Services) -> Loop:
    from .relayer.relayer import Relayer

    return Relayer(services)


def make_webhooks(services: Services) -> Loop:
    """The webhook outbox and its deliveries: beside the indexer, whose final events it reads."""
    from .webhooks.delivery import Deliverer

    settings = services.settings
    return Deliverer(
        services.sessions,
        services.chain_id,
        reorg_window=settings.reorg_window,
        workers=settings.webhook_workers,
        retention_days=settings.webhook_retention_days,
    )


def make_payments(services: Services) -> Loop:
    """Points + cash (issue 16): payment orders, deadlines and refunds, beside the relayer
    that sends what it queues (``payments/sweeper.py``)."""
    from .payments.sweeper import make_payments_loop

    return make_payments_loop(services)


class BulkLoop:
    """The bulk issuance worker as a runner loop (issue 18)."""

    def __init__(self, services: Services, operators: MerchantOperators) -> None:
        from .bulk.worker import BulkWorker

        self.worker = BulkWorker(services.platform, operators, services.sessions)

    def run(self, stop: threading.Event) -> None:
        self.worker.loop(stop)


def _guarded(name: str, loop: Loop, stop: threading.Event) -> Callable[[], None]:
    def target() -> None:
        try:
            loop.run(stop)
        except Exception:
            log.exception("%s stopped with an error", name)
            stop.set()

    return target


def run_components(
    services: Services,
    *,
    api: bool,
    indexer: bool,
    relayer: bool,
    extra_loops: Sequence[tuple[str, Loop]] = (),
    app_state: Mapping[str, Any] | None = None,
    webhooks: bool | None = None,
    bulk: bool | None = None,
    sockets: Sequence[socket.socket] | None = None,
) -> None:
    """Runs the chosen components until Ctrl-C, then stops them cleanly.

    ``extra_loops`` run beside them (the cross-chain coordinator); ``app_state`` is set on the
    API app (its handle on the bridge, ``app.state.crosschain``). ``webhooks`` (by default
    wherever the indexer runs) adds the webhook delivery loop; ``bulk`` (by default wherever
    the API runs) the bulk issuance worker, which must run once per database: it takes jobs
    without a lease. ``sockets``: the API serves on these (bound, ``SO_REUSEPORT``: see
    ``process_child``) instead of binding ``api_host:api_port`` itself."""
    # A thread back from the database or the node waits for the GIL up to one switch
    # interval; intake's group commit makes several such trips while it holds the write
    # lock, so the default 5 ms capped it under load (relay benchmark: +12% orders/s at 1 ms).
    sys.setswitchinterval(SWITCH_INTERVAL)
    stop = threading.Event()
    threads = []
    loops: list[tuple[str, Loop]] = []
    if indexer:
        loops.append(("indexer", make_indexer(services)))
    if indexer if webhooks is None else webhooks:
        loops.append(("webhooks", make_webhooks(services)))
    if relayer:
        loops.append(("relayer", make_relayer(services)))
        loops.append(("payments", make_payments(services)))
    loops.extend(extra_loops)
    operators: MerchantOperators | None = None
    if api or bulk:
        # one set of operator keys for the API and the bulk worker: one lock per key, so
        # their transactions never race for a nonce (and a file lock per key against the
        # other processes of a several-process layout)
        operators = MerchantOperators(
            services.w3,
            services.settings.merchant_private_keys(),
            lock_dir=services.settings.data_dir / "locks",
        )
    if operators is not None and (api if bulk is None else bulk):
        loops.append(("bulk", BulkLoop(services, operators)))
    for name, loop in loops:
        thread = threading.Thread(target=_guarded(name, loop, stop), name=name, daemon=True)
        thread.start()
        threads.append(thread)
    try:
        if api:
            settings = services.settings
            app = create_app(services)
            app.state.merchant_operators = operators
            for name, value in (app_state or {}).items():
                setattr(app.state, name, value)
            config = uvicorn.Config(
                app,
                host=settings.api_host,
                port=settings.api_port,
                log_level="warning",
                access_log=False,
            )
            server = uvicorn.Server(config)
            # What is alive now (code, ABIs, contract objects) lives as long as the process:
            # frozen, the collector stops walking it, which showed as pauses of 100-300 ms in
            # answers under load (benchmarks/reads.py).
            gc.collect()
            gc.freeze()
            watcher = threading.Thread(target=_stop_server_when, args=(stop, server), daemon=True)
            watcher.start()
            server.run(sockets=list(sockets) if sockets is not None else None)
        else:
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


def _stop_server_when(stop: threading.Event, server: uvicorn.Server) -> None:
    """A component that dies stops the whole service rather than leaving half of it up."""
    stop.wait()
    server.should_exit = True
