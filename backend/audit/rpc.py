"""A lean JSON-RPC client for the auditor: raw HTTP, orjson, batch requests.

Why not web3.py here: the audit replays every log of the platform, and web3's per-call
middleware and formatters cost more than the decoding itself. The auditor needs five standard
methods (``eth_chainId``, ``eth_blockNumber``, ``eth_getLogs``, ``eth_getBlockByNumber``,
``eth_getTransactionByHash``, ``eth_call``), sent in JSON-RPC batches; a node that refuses
batches is served by a small bounded thread pool instead.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import orjson

from ..core.error_codes import ErrorCode
from ..core.errors import ChainUnavailableError, TongduiError


class RpcError(TongduiError, RuntimeError):
    """The node answered a request with a JSON-RPC error."""

    code = ErrorCode.RPC_ERROR


class JsonRpc:
    """One HTTP connection pool to one node; ``batch`` keeps request order."""

    def __init__(self, url: str, timeout: float = 60.0, batch_size: int = 500) -> None:
        self.url = url
        self.batch_size = batch_size
        self._client = httpx.Client(timeout=timeout, headers={"content-type": "application/json"})
        self._ids = itertools.count(1)
        self._batches_supported = True

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> JsonRpc:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _post(self, payload: Any) -> Any:
        try:
            response = self._client.post(self.url, content=orjson.dumps(payload))
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise ChainUnavailableError(
                f"the JSON-RPC node at {self.url} did not answer: {error}", url=self.url
            ) from error
        return orjson.loads(response.content)

    def call(self, method: str, params: list[Any]) -> Any:
        answer = self._post(
            {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        )
        if "error" in answer:
            raise RpcError(f"{method} failed: {answer['error']}", method=method)
        return answer["result"]

    def batch(self, requests: list[tuple[str, list[Any]]]) -> list[Any]:
        """Results in request order; an error in any request raises ``RpcError``."""
        results: list[Any] = []
        for start in range(0, len(requests), self.batch_size):
            part = requests[start : start + self.batch_size]
            results.extend(self._batch_part(part) if self._batches_supported else self._pool(part))
        return results

    def _batch_part(self, part: list[tuple[str, list[Any]]]) -> list[Any]:
        first = next(self._ids)
        payload = [
            {"jsonrpc": "2.0", "id": first + i, "method": m, "params": p}
            for i, (m, p) in enumerate(part)
        ]
        self._ids = itertools.count(first + len(part))
        answer = self._post(payload)
        if not isinstance(answer, list):  # the node does not do batches: fall back for good
            self._batches_supported = False
            return self._pool(part)
        by_id = {item.get("id"): item for item in answer}
        results = []
        for i, (method, _) in enumerate(part):
            item = by_id.get(first + i)
            if item is None or "error" in item:
                error = None if item is None else item["error"]
                raise RpcError(f"{method} failed in a batch: {error}", method=method)
            results.append(item["result"])
        return results

    def _pool(self, part: list[tuple[str, list[Any]]]) -> list[Any]:
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(pool.map(lambda request: self.call(*request), part))

    # ─── the few methods the audit uses ──────────────────────────────────────────────────

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
