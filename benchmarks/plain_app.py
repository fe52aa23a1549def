"""The plain HTTP server of the relay benchmark's ceiling (``plain_http``): bare uvicorn +
FastAPI, one route that parses an order's JSON and answers it back with 202; no database, no
signature recovery, no chain. Its own small module so that each server process imports only
this, FastAPI and uvicorn (not the benchmark's chain helpers).

``python -m benchmarks.plain_app --port P`` runs one process of it on a ``SO_REUSEPORT``
socket (``tongdui.process_child.reuse_port_socket``, the one ``tongdui up``'s API processes
bind), with uvicorn configured as ``tongdui``'s runner configures it (its defaults: uvloop and
httptools, no access log); several such processes share the port.
"""

from __future__ import annotations

import argparse
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/orders")
async def post_order(request: Request) -> JSONResponse:
    """Parses the order and answers it back: the JSON both ways that intake also pays."""
    order = await request.json()
    return JSONResponse(order, status_code=202)


@app.get("/health")
async def health() -> JSONResponse:
    """The answering process, to see that every process of the group listens."""
    return JSONResponse({"pid": os.getpid()})


def main() -> None:
    import uvicorn

    from tongdui.process_child import reuse_port_socket

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    sock = reuse_port_socket(args.host, args.port)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])  # SIGTERM: uvicorn's own graceful stop


if __name__ == "__main__":
    main()
