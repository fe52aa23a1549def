"""Several JSON-RPC nodes of one chain: the member's own node first, the others as fallback.

The policy (README, "Several nodes"):
- Every call goes to the *current* node. A node that does not answer (connection refused or
  reset, a timeout, an HTTP error) is benched for ``retry_after`` seconds and the same call
  is made on the next node in list order that is not benched; the first that answers becomes
  current. Only when no node answers does the call fail with ``ChainUnavailableError``, and the
  relayer and indexer back off exactly as they do with one node.
- A JSON-RPC *error* is an answer, not an outage: it is never retried elsewhere.
- Back: while the current node is not the first, at most once per ``retry_after`` seconds a
  call first asks each more preferred node for its head; the first that answers with a head at
  least the current node's becomes current again. A node that just restarted is still catching
  up, so it is taken back only once it has.

Why retrying a call on another node is safe: every call is a read, except
``eth_sendRawTransaction`` of a transaction already signed and logged, whose bytes and hash
are the same on any node. Which transactions exist and which nonces they use is decided by
the relayer's write-ahead log and its local nonce counters, never by the node that answers.
``generation`` counts switches, so the relayer knows when to hand its in-flight
transactions to a node that may never have heard of them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..core.errors import ChainUnavailableError, ConfigurationError

log = logging.getLogger("tongdui.nodes")
T = TypeVar("T")
RETRY_AFTER = 5.0  # seconds a node that did not answer is passed over


class NodeDownError(ChainUnavailableError):
    """One node did not answer (the caller's transport error, wrapped)."""


class NodeSet:
    """The nodes in order of preference and which one answers now (thread-safe)."""

    def __init__(
        self,
        urls: Sequence[str],
        retry_after: float = RETRY_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not urls:
            raise ConfigurationError("no JSON-RPC node: set TONGDUI_RPC_URL or --rpc")
        self.urls = list(urls)
        self.retry_after = retry_after
        self.clock = clock
        self.generation = 0  # switches so far
        self._current = 0
        self._benched: dict[int, float] = {}  # node index -> when it stops being benched
        self._next_probe = 0.0
        self._lock = threading.Lock()

    @property
    def current(self) -> str:
        return self.urls[self._current]

    def call(self, send: Callable[[str], T], head: Callable[[str], int] | None = None) -> T:
        """``send(url)`` on the current node, or on the next that answers (see the module
        docstring). ``send`` raises ``NodeDownError`` when its node does not answer; ``head``
        (a node's block number, or ``NodeDownError``) enables the way back to a preferred node.
        """
        if head is not None:
            self._maybe_return(head)
        last: NodeDownError | None = None
        for index in self._order():
            try:
                result = send(self.urls[index])
            except NodeDownError as error:
                self._bench(index, error)
                last = error
                continue
            self._use(index)
            return result
        assert last is not None
        if len(self.urls) == 1:
            raise last
        raise ChainUnavailableError(
            f"none of the {len(self.urls)} JSON-RPC nodes answered ({', '.join(self.urls)}); "
            f"the last said: {last}",
            url=self.urls[0],
        ) from last

    def _order(self) -> list[int]:
        now = self.clock()
        with self._lock:
            current = self._current
            free = [i for i in range(len(self.urls)) if self._benched.get(i, 0.0) <= now]
        order = ([current] if current in free else []) + [i for i in free if i != current]
        return order or list(range(len(self.urls)))  # all benched: try them all anyway

    def _bench(self, index: int, error: Exception, *, probing: bool = False) -> None:
        with self._lock:
            self._benched[index] = self.clock() + self.retry_after
            was_current = index == self._current
        if probing:
            log.debug("node %s still does not answer (%s)", self.urls[index], error)
        elif len(self.urls) > 1 and was_current:
            log.warning("node %s did not answer (%s); trying the next", self.urls[index], error)

    def _use(self, index: int) -> None:
        with self._lock:
            self._benched.pop(index, None)
            if index == self._current:
                return
            previous, self._current = self._current, index
            self.generation += 1
            self._next_probe = self.clock() + self.retry_after
        log.warning("JSON-RPC node: now %s (was %s)", self.urls[index], self.urls[previous])

    def _maybe_return(self, head: Callable[[str], int]) -> None:
        with self._lock:
            if self._current == 0 or self.clock() < self._next_probe:
                return
            self._next_probe = self.clock() + self.retry_after  # one probe at a time
            current = self._current
        try:
            current_head = head(self.urls[current])
        except NodeDownError:
            return  # the call itself will move on
        for index in range(current):
            try:
                preferred_head = head(self.urls[index])
            except NodeDownError as error:
                self._bench(index, error, probing=True)
                continue
            if preferred_head >= current_head:
                self._use(index)
                return
            log.info(
                "node %s answers but is behind (%d < %d); staying on %s",
                self.urls[index],
                preferred_head,
                current_head,
                self.urls[current],
            )


def nodes_of(w3: Any) -> NodeSet | None:
    """The ``NodeSet`` behind a Web3 made by ``connect`` with several URLs, else None."""
    nodes = getattr(w3.provider, "nodes", None)
    return nodes if isinstance(nodes, NodeSet) else None
