"""One child of a several-process ``tongdui up`` (``layout.py``): an API process, the relayer
process or the indexer process. ``processes.py`` starts it as ``python -m tongdui.process_child
ROLE``: the role on the command line is only for ``ps`` and ``py-spy`` to tell the children
apart; what the child runs is its job's.

Its job (the role and the parent's ``Settings``) comes pickled on stdin, so the child runs on
exactly the settings the parent resolved from its environment and flags (keys included), and
no secret appears on a command line. The child builds its own ``Services`` without migrating
(the parent migrated before starting it) and never deploys or seeds (only the parent does,
once); then it runs ``runner.run_components``. SIGTERM is its Ctrl-C: uvicorn finishes the
requests it holds, the loops their writes.
"""

from __future__ import annotations

import logging
import pickle
import signal
import socket
import sys
from dataclasses import dataclass
from types import FrameType
from typing import Literal

from .core.config import Settings
from .core.errors import TongduiError
from .layout import LoopRole

Role = Literal["api", LoopRole]


@dataclass(frozen=True)
class ChildJob:
    """What a child runs: ``api`` (the API alone, on a ``SO_REUSEPORT`` socket), ``relayer``
    (the relayer, payments and the bulk worker: the loops that sign) or ``indexer`` (the
    indexer and the webhook outbox and deliveries)."""

    role: Role
    settings: Settings
    log_level: int = logging.WARNING


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` with ``SO_REUSEPORT``, for uvicorn to listen on.

    Why each API process binds its own rather than all sharing one the parent binds: the
    kernel spreads new connections evenly over the group's listening sockets (by a hash of
    each connection's addresses), where processes sharing one accept queue take what their
    event loop wakes first for, which under a light load is mostly one of them; and nothing
    has to be handed across ``exec``. A second instance cannot join the group by mistake:
    ``tongdui up`` refuses a port something already listens on before it starts any child.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def run(job: ChildJob) -> None:
    from .runner import run_components
    from .services import build_services

    services = build_services(job.settings, run_migrations=False)
    if job.role == "api":
        sock = reuse_port_socket(job.settings.api_host, job.settings.api_port)
        run_components(services, api=True, indexer=False, relayer=False, bulk=False, sockets=[sock])
    elif job.role == "relayer":
        run_components(services, api=False, indexer=False, relayer=True, webhooks=False, bulk=True)
    else:
        run_components(services, api=False, indexer=True, relayer=False, webhooks=True, bulk=False)


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    job: ChildJob = pickle.load(sys.stdin.buffer)
    sys.stdin.close()
    logging.basicConfig(
        level=job.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    try:
        run(job)
    except KeyboardInterrupt:
        pass  # stopped before run_components took over the signal
    except TongduiError as error:  # one line, as the command prints it; the parent reports us
        print(f"error [{error.code}]: {error.message}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
