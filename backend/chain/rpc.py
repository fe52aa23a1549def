"""The backend's one raw JSON-RPC client: HTTP kept alive per thread, orjson, batches, failover.

Why not web3's provider for the hot reads: ``requests`` re-reads the proxy environment and
rebuilds its settings on every call (profiled, ~2 ms of CPU per order, more than all of
intake's checks), and web3's middleware and result formatters cost more than the decoding of
an audit's or a backfill's logs. So intake's and the relayer's reads, receipts, the indexer's
logs and headers, and the audit's replay all go through this client; web3 stays for what it
is good at (contract handles, signing, sending transactions).

One client serves one node or the nodes of a ``NodeSet``: with several (``connect`` with a
list) it follows the same ``NodeSet`` as the web3 provider, so a process has one failover
policy whichever client asks (see ``chain.nodes``). Two kinds of failure, one exception tree:
- the node does not answer (refused, reset, timed out, an HTTP error without a JSON body):
  ``NodeDownError``, a ``ChainUnavailableError``; with several nodes the call moves on;
- the node answers with a JSON-RPC error: ``RpcError``, also a ``ChainUnavailableError``
  (the API answers 503 for both: the node cannot serve the read now), but an answer, never
  retried on another node.
"""

from __future__ import annotations

import http.client
import threading
import weakref
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import orjson
from web3 import Web3

from ..core.error_codes import ErrorCode
from ..core.errors import ChainUnavailableError
from .nodes import NodeDownError, NodeSet, nodes_of

Call = tuple[str, list[Any]]
BATCH_SIZE = 500  # requests per JSON-RPC batch of ``batch``
POOL_WORKERS = 8  # parallel single calls for a node that refuses batches

_CLIENTS: weakref.WeakKeyDictionary[Web3, JsonRpc] = weakref.WeakKeyDictionary()
_CLIENTS_LOCK = threading.Lock()
_HEADERS = {"Content-Type": "application/json"}


class RpcError(ChainUnavailableError):
    """The node answered a JSON-RPC call with an error (no state at that block, a result
    limit, a method it does not serve): an answer, so it is not retried on another node."""

    code = ErrorCode.RPC_ERROR


class JsonRpc:
    """JSON-RPC calls and batches to one HTTP(S) endpoint, or to the current node of a set.

    ``answers`` is the hot path (one round trip, the node's answers as they are, an error
    answer among them for the caller to read: a reverted ``eth_call`` is one); ``call`` and
    ``batch`` return results and raise ``RpcError`` on an error answer. Thread-safe: each
    thread keeps its own connection to each node.
    """

    def __init__(
        self,
        url: str | Sequence[str] | NodeSet,
        timeout: float = 60.0,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        if isinstance(url, NodeSet):
            self.nodes = url
        else:
            self.nodes = NodeSet([url] if isinstance(url, str) else list(url))
        self.timeout = timeout
        self.batch_size = batch_size
        self._local = threading.local()
        self._opened: weakref.WeakSet[http.client.HTTPConnection] = weakref.WeakSet()
        self._batches_refused = False

    @property
    def url(self) -> str:
        """The node answering now."""
        return self.nodes.current

    def close(self) -> None:
        """Closes every connection this client opened, in every thread."""
        for connection in list(self._opened):
            connection.close()

    def __enter__(self) -> JsonRpc:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ─── requests ───────────────────────────────────────────────────────────────────────────

    def answers(self, calls: list[Call]) -> list[dict[str, Any]]:
        """The answers of one JSON-RPC batch, in the order of ``calls``."""
        answers = self._send_batch(calls)
        if answers is None:
            raise ChainUnavailableError(f"the node {self.url} refused a JSON-RPC batch")
        return answers

    def call(self, method: str, params: list[Any]) -> Any:
        """The result of one call; ``RpcError`` if the node answers with an error."""
        body = orjson.dumps({"jsonrpc": "2.0", "id": 0, "method": method, "params": params})
        answer = self.nodes.call(lambda url: self._post(url, body), self._head)
        if not isinstance(answer, dict) or "result" not in answer:
            error = answer.get("error") if isinstance(answer, dict) else answer
            raise RpcError(f"{method} failed: {error}", method=method, rpc_error=error)
        return answer["result"]

    def batch(self, calls: list[Call]) -> list[Any]:
        """Each call's result in order, in batches of ``batch_size``; ``RpcError`` on any error
        answer. A node that refuses batches is asked call by call (a few at a time) for good."""
        results: list[Any] = []
        for start in range(0, len(calls), self.batch_size):
            part = calls[start : start + self.batch_size]
            answers = None if self._batches_refused else self._send_batch(part)
            if answers is None:
                self._batches_refused = True
                results += self._one_by_one(part)
                continue
            for (method, _), answer in zip(part, answers, strict=True):
                if "result" not in answer:
                    error = answer.get("error")
                    raise RpcError(
                        f"{method} failed in a batch: {error}", method=method, rpc_error=error
                    )
                results.append(answer["result"])
        return results

    def _send_batch(self, calls: list[Call]) -> list[dict[str, Any]] | None:
        """The answers in order, or None when the node answers a batch with one object."""
        if not calls:
            return []
        body = orjson.dumps(
            [
                {"jsonrpc": "2.0", "id": i, "method": method, "params": params}
                for i, (method, params) in enumerate(calls)
            ]
        )
        answers = self.nodes.call(lambda url: self._post(url, body), self._head)
        if not isinstance(answers, list):
            return None
        by_id = {answer.get("id"): answer for answer in answers}
        missing = {"error": "no answer to this request in the batch"}
        return [by_id.get(i, missing) for i in range(len(calls))]

    def _one_by_one(self, calls: list[Call]) -> list[Any]:
        with ThreadPoolExecutor(max_workers=POOL_WORKERS) as pool:
            return list(pool.map(lambda request: self.call(*request), calls))

    # ─── the methods the audit reads with ──────────────────────────────────────────────────

    def chain_id(self) -> int:
        return int(self.call("eth_chainId", []), 16)

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber", []), 16)

    def block(self, number: int) -> dict[str, Any]:
        block: dict[str, Any] | None = self.call("eth_getBlockByNumber", [hex(number), False])
        if block is None:
            raise RpcError(f"the node has no block {number}", block=number)
        return block

    def logs(self, addresses: list[str], from_block: int, to_block: int) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call(
            "eth_getLogs",
            [{"address": addresses, "fromBlock": hex(from_block), "toBlock": hex(to_block)}],
        )
        return result

    def eth_calls(self, calls: list[tuple[str, bytes]], block: int) -> list[bytes]:
        """``eth_call`` of each (to, calldata) at ``block``, batched; returns raw results."""
        tag = hex(block)
        answers = self.batch(
            [("eth_call", [{"to": to, "data": "0x" + data.hex()}, tag]) for to, data in calls]
        )
        return [bytes.fromhex(answer[2:]) for answer in answers]

    # ─── transport ──────────────────────────────────────────────────────────────────────────

    def _head(self, url: str) -> int:
        body = orjson.dumps({"jsonrpc": "2.0", "id": 0, "method": "eth_blockNumber"})
        answer = self._post(url, body)
        if not isinstance(answer, dict) or "result" not in answer:
            raise NodeDownError(f"{url}: eth_blockNumber: {answer}", url=url)
        return int(answer["result"], 16)

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
            self._opened.add(connection)
        return connection

    def _post(self, url: str, body: bytes) -> Any:
        path = urlsplit(url).path or "/"
        for attempt in (1, 2):  # a kept-alive connection the node closed: reconnect once
            connection = self._connection(url)
            try:
                connection.request("POST", path, body, _HEADERS)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                del self._local.connections[url]
                if attempt == 2 or isinstance(error, TimeoutError):
                    raise NodeDownError(
                        f"cannot reach the JSON-RPC node at {url}: {error}. Start it, or check "
                        "TONGDUI_RPC_URL / --rpc.",
                        url=url,
                    ) from error
                continue
            if response.status >= 400 and not payload.startswith((b"[", b"{")):
                raise NodeDownError(f"the node {url} answered HTTP {response.status}", url=url)
            try:
                return orjson.loads(payload)
            except orjson.JSONDecodeError as error:
                raise NodeDownError(f"the node {url} answered no JSON: {error}", url=url) from error
        raise AssertionError("unreachable")


def rpc_for(w3: Web3, timeout: float = 30.0) -> JsonRpc:
    """The lean client of ``w3``'s node or nodes (one per Web3 object, on the same
    ``NodeSet`` as its provider)."""
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(w3)
        if client is None:
            nodes = nodes_of(w3)
            if nodes is None:
                nodes = NodeSet([str(w3.provider.endpoint_uri)])  # type: ignore[attr-defined]
            client = _CLIENTS[w3] = JsonRpc(nodes, timeout)
        return client
