"""A lean JSON-RPC client over HTTP: one kept-alive connection per thread, orjson.

Why not web3's provider for intake's reads: ``requests`` re-reads the proxy environment and
rebuilds its settings on every call; profiled, that was ~2 ms of CPU per order, more than all
of intake's checks. The node is the same (``provider.endpoint_uri``); only the client differs.
A node that cannot be reached raises ``ChainUnavailableError`` (intake then queues unchecked).
With several nodes (``connect`` with a list) the client follows the same ``NodeSet`` as the
web3 provider: one failover policy per process, whichever client asks (see ``chain.nodes``).
"""

from __future__ import annotations

import http.client
import threading
import weakref
from typing import Any
from urllib.parse import urlsplit

import orjson
from web3 import Web3

from ..chain.nodes import NodeDownError, NodeSet, nodes_of
from ..core.errors import ChainUnavailableError

_CLIENTS: weakref.WeakKeyDictionary[Web3, JsonRpc] = weakref.WeakKeyDictionary()
_CLIENTS_LOCK = threading.Lock()


class JsonRpc:
    """Batches of JSON-RPC calls to one HTTP(S) endpoint, or to the current one of a set."""

    def __init__(self, url: str | NodeSet, timeout: float = 30.0) -> None:
        self.nodes = url if isinstance(url, NodeSet) else NodeSet([url])
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self, url: str) -> http.client.HTTPConnection:
        connections: dict[str, http.client.HTTPConnection] | None = getattr(
            self._local, "connections", None
        )
        if connections is None:
            connections = self._local.connections = {}
        connection = connections.get(url)
        if connection is None:
            parts = urlsplit(url)
            https = parts.scheme == "https"
            kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
            port = parts.port or (443 if https else 80)
            connection = kind(parts.hostname or "127.0.0.1", port, timeout=self.timeout)
            connections[url] = connection
        return connection

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
        """The answers of one JSON-RPC batch, in the order of ``calls``."""
        body = orjson.dumps(
            [
                {"jsonrpc": "2.0", "id": i, "method": method, "params": params}
                for i, (method, params) in enumerate(calls)
            ]
        )
        answers = self.nodes.call(lambda url: self._post(url, body), self._head)
        if not isinstance(answers, list):  # a node that refuses batches answers one object
            raise ChainUnavailableError(f"the node refused a JSON-RPC batch: {answers}")
        return sorted(answers, key=lambda a: int(a["id"]))

    def _head(self, url: str) -> int:
        body = orjson.dumps({"jsonrpc": "2.0", "id": 0, "method": "eth_blockNumber"})
        answer = self._post(url, body)
        if not isinstance(answer, dict) or "result" not in answer:
            raise NodeDownError(f"{url}: eth_blockNumber: {answer}", url=url)
        return int(answer["result"], 16)

    def _post(self, url: str, body: bytes) -> Any:
        headers = {"Content-Type": "application/json"}
        path = urlsplit(url).path or "/"
        for attempt in (1, 2):  # a kept-alive connection the node closed: reconnect once
            connection = self._connection(url)
            try:
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                del self._local.connections[url]
                if attempt == 2 or isinstance(error, TimeoutError):
                    raise NodeDownError(
                        f"cannot reach the JSON-RPC node at {connection.host}:{connection.port}: "
                        f"{error}",
                        url=url,
                    ) from error
                continue
            if response.status >= 400 and not payload.startswith((b"[", b"{")):
                raise NodeDownError(f"the node {url} answered HTTP {response.status}", url=url)
            return orjson.loads(payload)
        raise AssertionError("unreachable")


def rpc_for(w3: Web3) -> JsonRpc:
    """The lean client of ``w3``'s HTTP endpoint (one per Web3 object)."""
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(w3)
        if client is None:
            nodes = nodes_of(w3)
            if nodes is None:
                nodes = NodeSet([str(w3.provider.endpoint_uri)])  # type: ignore[attr-defined]
            client = _CLIENTS[w3] = JsonRpc(nodes)
        return client
