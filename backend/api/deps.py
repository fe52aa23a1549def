"""FastAPI dependencies as type aliases (``SessionDep``, ``ServicesDep``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
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


ServicesDep = Annotated[Services, Depends(get_services)]
SessionDep = Annotated[Session, Depends(get_session)]
