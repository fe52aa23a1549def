"""A lean JSON-RPC client over HTTP: one kept-alive connection per thread, orjson.

Why not web3's provider for intake's reads: ``requests`` re-reads the proxy environment and
rebuilds its settings on every call; profiled, that was ~2 ms of CPU per order, more than all
of intake's checks. The node is the same (``provider.endpoint_uri``); only the client differs.
A node that cannot be reached raises ``ChainUnavailableError`` (intake then queues unchecked).
"""

from __future__ import annotations

import http.client
import threading
import weakref
from typing import Any
from urllib.parse import urlsplit

import orjson
from web3 import Web3

from ..core.errors import ChainUnavailableError

_CLIENTS: weakref.WeakKeyDictionary[Web3, JsonRpc] = weakref.WeakKeyDictionary()
_CLIENTS_LOCK = threading.Lock()


class JsonRpc:
    """Batches of JSON-RPC calls to one HTTP(S) endpoint."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.https else 80)
        self.path = parts.path or "/"
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            connection = kind(self.host, self.port, timeout=self.timeout)
            self._local.connection = connection
        return connection

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
        """The answers of one JSON-RPC batch, in the order of ``calls``."""
        body = orjson.dumps(
            [
                {"jsonrpc": "2.0", "id": i, "method": method, "params": params}
                for i, (method, params) in enumerate(calls)
            ]
        )
        answers = self._post(body)
        if not isinstance(answers, list):  # a node that refuses batches answers one object
            raise ChainUnavailableError(f"the node refused a JSON-RPC batch: {answers}")
        return sorted(answers, key=lambda a: int(a["id"]))

    def _post(self, body: bytes) -> Any:
        headers = {"Content-Type": "application/json"}
        for attempt in (1, 2):  # a kept-alive connection the node closed: reconnect once
            connection = self._connection()
            try:
                connection.request("POST", self.path, body, headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                self._local.connection = None
                if attempt == 2 or isinstance(error, TimeoutError):
                    raise ChainUnavailableError(
                        f"cannot reach the JSON-RPC node at {self.host}:{self.port}: {error}"
                    ) from error
                continue
            if response.status >= 400 and not payload.startswith((b"[", b"{")):
                raise ChainUnavailableError(f"the node answered HTTP {response.status}")
            return orjson.loads(payload)
        raise AssertionError("unreachable")


def rpc_for(w3: Web3) -> JsonRpc:
    """The lean client of ``w3``'s HTTP endpoint (one per Web3 object)."""
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(w3)
        if client is None:
            url = str(w3.provider.endpoint_uri)  # type: ignore[attr-defined]
            client = _CLIENTS[w3] = JsonRpc(url)
        return client
