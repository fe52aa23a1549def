"""A loopback HTTP proxy in front of a JSON-RPC node: a second "node" of the same chain.

The failover tests put one proxy per "node" in front of one anvil and kill a proxy to make
its node stop answering: the listening socket closes and every kept-alive connection is cut,
so a client sees exactly what a stopped node gives (connection refused or reset). With
``swallow_sends`` the proxy answers ``eth_sendRawTransaction`` with the transaction's hash but
never forwards it, as a node that accepted a transaction and died before passing it on.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from eth_utils import keccak


class NodeProxy:
    """``NodeProxy(upstream).start()``; ``kill()``; ``start()`` again on the same port."""

    def __init__(self, upstream: str, port: int = 0) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.port = port
        self.swallow_sends = False
        self.chain_id: int | None = None  # answer eth_chainId with this: a node of another chain
        self.swallowed: list[str] = []  # hashes of transactions it kept from the node
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> NodeProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real node

            def setup(self) -> None:
                super().setup()
                with proxy._lock:
                    proxy._sockets.add(self.connection)

            def finish(self) -> None:
                with proxy._lock:
                    proxy._sockets.discard(self.connection)
                super().finish()

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                answer = proxy._answer(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def kill(self) -> None:
        """Stop answering at once: no new connection, every open one cut."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def _answer(self, body: bytes) -> bytes:
        with self._lock:
            self.requests += 1
        request = json.loads(body)
        method = request.get("method") if isinstance(request, dict) else None
        if self.chain_id is not None and method == "eth_chainId":
            reply = {"jsonrpc": "2.0", "id": request.get("id"), "result": hex(self.chain_id)}
            return json.dumps(reply).encode()
        sending = method == "eth_sendRawTransaction"
        if self.swallow_sends and sending:
            raw = bytes.fromhex(request["params"][0][2:])
            tx_hash = "0x" + keccak(raw).hex()
            with self._lock:
                self.swallowed.append(tx_hash)
            reply = {"jsonrpc": "2.0", "id": request.get("id"), "result": tx_hash}
            return json.dumps(reply).encode()
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            connection.request("POST", "/", body, {"Content-Type": "application/json"})
            return connection.getresponse().read()
        finally:
            connection.close()
