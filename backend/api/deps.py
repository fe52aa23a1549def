"""FastAPI dependencies as type aliases (``SessionDep``, ``ServicesDep``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from ..services import Services


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_services(request: Request) -> Services:
    """Async although it does no I/O: FastAPI runs a plain ``def`` dependency on a worker
    thread, a hop that cost more than the attribute read."""
    return services_of(request)


def get_session(request: Request) -> Iterator[Session]:
    with services_of(request).sessions() as session:
        yield session


async def min_block(
    block: Annotated[
        int | None,
        Query(
            alias="minBlock",
            ge=0,
            le=2**63 - 1,
            description="read your own write: no kept answer older than this block is served "
            "(pass the block your transaction settled in). The index may not have reached it "
            "yet: compare asOfBlock and ask again.",
        ),
    ] = None,
) -> int | None:
    """Declares ``minBlock`` on the index reads. The read cache (``read_cache.py``) acts on it;
    the route answers as of the index's checkpoint either way. The chain reads (``/merchants``,
    ``/quote``) take it as ``MinBlockDep`` and pass it to ``BlockReads``."""
    return block


ReadAtLeast = Depends(min_block)
MinBlockDep = Annotated[int | None, Depends(min_block)]
ServicesDep = Annotated[Services, Depends(get_services)]
SessionDep = Annotated[Session, Depends(get_session)]
