"""``/health`` (is the node reachable, on the right chain; how far behind is the indexer; does
the database answer) and ``/metrics`` (Prometheus text).

``/health`` names the process that answered in an ``X-Tongdui-Process`` header (its pid): with
several API processes on one port (``layout.py``), it tells an operator, and the tests, which
one a connection reached."""

from __future__ import annotations

import os
import time
from typing import Literal

from fastapi import APIRouter, Response
from sqlalchemy import text

from ...query import index
from ..deps import ServicesDep
from ..metrics import render
from ..schemas import Model, errors

router = APIRouter(tags=["operations"])
PROCESS_HEADER = "X-Tongdui-Process"


class NodeHealth(Model):
    ok: bool
    url: str
    chain_id: int | None = None
    expected_chain_id: int
    head_block: int | None = None
    head_age_seconds: float | None = None
    latency_ms: float | None = None
    error: str | None = None


class DatabaseHealth(Model):
    ok: bool
    latency_ms: float | None = None
    error: str | None = None


class IndexerHealth(Model):
    indexed_block: int | None
    lag_blocks: int | None


class Health(Model):
    status: Literal["ok", "degraded", "down"]
    node: NodeHealth
    database: DatabaseHealth
    indexer: IndexerHealth


@router.get(
    "/health",
    response_model=Health,
    responses={
        503: {"model": Health, "description": "The node or the database is down."},
        **errors(),
    },
    summary="Node reachable and on the deployment's chain, head block, indexer lag, DB ok",
    description="200 when everything answers (`degraded` if the indexer lags by more than "
    "10 blocks), 503 when the node or the database does not.",
)
def get_health(services: ServicesDep, response: Response) -> Health:
    response.headers[PROCESS_HEADER] = str(os.getpid())
    expected = services.chain_id
    node = NodeHealth(ok=False, url=services.node_url(), expected_chain_id=expected)
    started = time.perf_counter()
    try:
        block = services.w3.eth.get_block("latest")
        node.chain_id = services.w3.eth.chain_id
        node.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        node.head_block = block["number"]
        node.head_age_seconds = round(max(0.0, time.time() - block["timestamp"]), 1)
        node.ok = node.chain_id == expected
        if not node.ok:
            node.error = f"the node is on chain {node.chain_id}, the deployment on {expected}"
    except Exception as error:
        node.error = f"{type(error).__name__}: {error}"[:300]

    database = DatabaseHealth(ok=False)
    indexed: int | None = None
    started = time.perf_counter()
    try:
        with services.sessions() as session:
            session.execute(text("SELECT 1"))
            database.ok = True
            database.latency_ms = round((time.perf_counter() - started) * 1000, 2)
            try:
                indexed = index.checkpoint(session)
            except Exception:
                indexed = None
    except Exception as error:
        database.error = f"{type(error).__name__}: {error}"[:300]

    lag = None if indexed is None or node.head_block is None else max(0, node.head_block - indexed)
    status: Literal["ok", "degraded", "down"] = "ok"
    if not (node.ok and database.ok):
        status = "down"
        response.status_code = 503
    elif lag is None or lag > 10:
        status = "degraded"
    return Health(
        status=status,
        node=node,
        database=database,
        indexer=IndexerHealth(indexed_block=indexed, lag_blocks=lag),
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "Prometheus text exposition format 0.0.4",
        },
        **errors(),
    },
    summary="Prometheus metrics: requests by route, latency, orders by state, indexer lag",
)
def get_metrics(services: ServicesDep) -> Response:
    return Response(render(services), media_type="text/plain; version=0.0.4; charset=utf-8")
