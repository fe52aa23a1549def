"""Prometheus metrics: one registry for the whole process, and a place for others to add theirs.

Components define their metrics against ``REGISTRY`` (``Counter("tongdui_x_total", "…",
registry=REGISTRY)``) or, for figures best read at scrape time (orders by state, the
indexer's lag), register a refresher with ``on_scrape``: it runs before each ``/metrics``
answer with the process's ``Services``. Route labels are route templates
(``/balances/{address}``), never raw paths, so the series count stays bounded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import inspect, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..services import Services

log = logging.getLogger("tongdui.metrics")

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "tongdui_http_requests",
    "HTTP requests answered",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "tongdui_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
CHAIN_HEAD = Gauge("tongdui_chain_head_block", "Latest block of the node", registry=REGISTRY)
INDEXER_BLOCK = Gauge("tongdui_indexer_block", "Last block fully indexed", registry=REGISTRY)
INDEXER_LAG = Gauge(
    "tongdui_indexer_lag_blocks", "Chain head minus indexed block", registry=REGISTRY
)
ORDERS = Gauge("tongdui_orders", "Relayer orders by state", ["state"], registry=REGISTRY)

Refresher = Callable[[Services], None]
_refreshers: list[Refresher] = []


def on_scrape(refresher: Refresher) -> Refresher:
    """Registers ``refresher(services)`` to update gauges before each scrape (a decorator)."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)
    return refresher


@on_scrape
def _chain_and_index(services: Services) -> None:
    head = services.w3.eth.block_number
    CHAIN_HEAD.set(head)
    with services.sessions() as session:
        if inspect(session.connection()).has_table("index_checkpoint"):
            indexed = session.execute(
                text("SELECT block_number FROM index_checkpoint WHERE id = 1")
            ).scalar()
            if indexed is not None:
                INDEXER_BLOCK.set(indexed)
                INDEXER_LAG.set(max(0, head - indexed))


ORDERS_TABLE = "relayer_orders"
_order_states_seen: set[str] = set()


@on_scrape
def _orders_by_state(services: Services) -> None:
    """Counts the relayer's orders by ``state``, read generically (the relayer's models stay
    theirs); a state that empties goes back to 0 rather than keeping its last count."""
    with services.sessions() as session:
        if not inspect(session.connection()).has_table(ORDERS_TABLE):
            return
        counts = dict(
            session.execute(text(f"SELECT state, COUNT(*) FROM {ORDERS_TABLE} GROUP BY state"))
            .tuples()
            .all()
        )
    for state in _order_states_seen | set(counts):
        ORDERS.labels(state=str(state)).set(counts.get(state, 0))
    _order_states_seen.update(str(state) for state in counts)


def render(services: Services) -> bytes:
    """The Prometheus text exposition, after running every refresher (a failing one is logged
    and skipped: a scrape must not fail because the node is briefly away)."""
    for refresher in list(_refreshers):
        try:
            refresher(services)
        except Exception as error:
            log.warning("metrics refresher %s failed: %s", refresher.__name__, error)
    return generate_latest(REGISTRY)


def install(app: FastAPI) -> None:
    """Counts and times every request by route template."""
    app.add_middleware(_Measure)


class _Measure:
    """Plain ASGI middleware. Why not ``@app.middleware("http")``: Starlette's
    ``BaseHTTPMiddleware`` wraps each request in a task group and memory streams, which the
    relay benchmark measured as a large share of the event loop's time per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route: Any = scope.get("route")
            template = getattr(route, "path_format", None) or "unmatched"
            HTTP_REQUESTS.labels(scope["method"], template, str(status)).inc()
            HTTP_LATENCY.labels(scope["method"], template).observe(time.perf_counter() - started)
