"""A web3 provider over several nodes of one chain, with the failover policy of ``nodes``.

One plain ``HTTPProvider`` per node does the HTTP; this class only picks the node. web3's
own retry loop (five tries with backoff on a connection error) is switched off per node: the
next node is the retry, and a node that is down should cost milliseconds, not seconds.
"""

from __future__ import annotations

from typing import Any

import requests
from web3 import HTTPProvider
from web3.providers.base import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

from .nodes import NodeDownError, NodeSet

PROBE_TIMEOUT = 3.0  # seconds: asking a preferred node for its head must not stall a call
_TRANSPORT_ERRORS = (requests.RequestException, OSError)


class FailoverProvider(JSONBaseProvider):
    """``make_request`` / ``make_batch_request`` on the current node of ``nodes``."""

    def __init__(self, nodes: NodeSet, timeout: float = 30.0) -> None:
        super().__init__()
        self.nodes = nodes
        self._providers = {url: _plain(url, timeout) for url in nodes.urls}
        self._probes = {url: _plain(url, PROBE_TIMEOUT) for url in nodes.urls}

    @property
    def endpoint_uri(self) -> str:
        """The node answering now (what a single ``HTTPProvider`` calls its endpoint)."""
        return self.nodes.current

    def __str__(self) -> str:
        return f"RPC connection {self.nodes.current} (of {len(self.nodes.urls)} nodes)"

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        def send(url: str) -> RPCResponse:
            try:
                return self._providers[url].make_request(method, params)
            except _TRANSPORT_ERRORS as error:
                raise NodeDownError(f"{url}: {error}", url=url) from error

        return self.nodes.call(send, self._head)

    def make_batch_request(
        self, batch_requests: list[tuple[RPCEndpoint, Any]]
    ) -> list[RPCResponse] | RPCResponse:
        def send(url: str) -> list[RPCResponse] | RPCResponse:
            try:
                return self._providers[url].make_batch_request(batch_requests)
            except _TRANSPORT_ERRORS as error:
                raise NodeDownError(f"{url}: {error}", url=url) from error

        return self.nodes.call(send, self._head)

    def is_connected(self, show_traceback: bool = False) -> bool:
        try:
            self.make_request(RPCEndpoint("web3_clientVersion"), [])
        except Exception:
            if show_traceback:
                raise
            return False
        return True

    def _head(self, url: str) -> int:
        try:
            answer = self._probes[url].make_request(RPCEndpoint("eth_blockNumber"), [])
        except _TRANSPORT_ERRORS as error:
            raise NodeDownError(f"{url}: {error}", url=url) from error
        if "result" not in answer:
            raise NodeDownError(f"{url}: eth_blockNumber: {answer.get('error')}", url=url)
        return int(str(answer["result"]), 16)


def _plain(url: str, timeout: float) -> HTTPProvider:
    return HTTPProvider(
        url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None
    )
