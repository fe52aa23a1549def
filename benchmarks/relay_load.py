"""The relay benchmark's load generator: kept-alive HTTP clients posting signed orders (one per
``POST /orders``, or in chunks through ``POST /orders/bulk``) and a tracker that stamps when
each accepted order is first seen settled through ``GET /orders?owner=``.

Shared by ``relay`` (``tongdui up`` on automine anvil), ``network`` (1 s blocks) and
``plain_http`` (the bare server's ceiling), so that every figure beside another in a run was
driven by the same clients over the same ``Http`` class.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .measure import percentile

TRACKERS = 4  # owners polled at once by the tracker
MIN_ROUND = 0.2  # seconds: the tracker polls no faster (its GETs load the service measured)
FINAL = ("settled", "rejected")


@dataclass
class RelayRun:
    """What one drive saw: ``orders`` seen final (settled or rejected) of ``valid`` posted."""

    orders: int
    seconds: float
    latencies: list[float]
    rejected: dict[str, int]
    submit_seconds: float
    tracker_round: float
    errors: list[str] = field(default_factory=list)
    valid: int = 0  # signed, valid orders posted (each should settle)
    settled: int = 0  # of them, seen settled through the API
    requests: int = 0  # HTTP requests the submitters made (bulk: chunks)
    offered_rate: float | None = None  # orders/s at a fixed rate (None: as fast as answered)
    late: float = 0.0  # seconds the latest request went out behind its schedule

    @property
    def rate(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    @property
    def settled_fraction(self) -> float:
        """Seen settled over valid orders posted: one refused at the door, rejected on chain
        or never seen final counts against it (issue 19's goal: ≥ 99.9 %)."""
        return self.settled / self.valid if self.valid else 0.0


class Http:
    """A kept-alive HTTP/1.1 connection: the load generator's client.

    Why not httpx: it cost ~2 ms of CPU per order in this process, on the same two cores as
    the service it measures; ``http.client`` costs a fraction. What is measured is unchanged.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or "127.0.0.1"
        self.connection = http.client.HTTPConnection(host, parts.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.connection.request(method, path, body, headers)
        answer = self.connection.getresponse()
        return answer.status, json.loads(answer.read())

    def close(self) -> None:
        self.connection.close()


Answered = Callable[[int, float, int, Any], None]  # (request index, sent at, status, answer)


def post_all(
    url: str,
    requests: Sequence[tuple[str, bytes]],
    clients: int,
    answered: Answered,
    interval: float | None = None,
) -> tuple[float, float]:
    """POSTs each (path, body) once, ``clients`` threads each on its own kept-alive
    connection; calls ``answered`` for each. Returns the seconds it took and how late the
    latest request went out behind its schedule (0 without one).

    Without ``interval``, each client takes the next request as soon as its last one was
    answered: as fast as the server answers, so the whole load arrives at once and latency is
    mostly queueing behind the orders before. With ``interval`` (seconds between requests)
    request i is due at ``start + i × interval``, a fixed arrival rate as users would make it:
    a client waits until its request is due, and ``sent`` is the due time, not the moment a
    free client got to it, so a server that falls behind is charged for the wait it caused
    (no coordinated omission)."""
    work: queue.Queue[int] = queue.Queue()
    for index in range(len(requests)):
        work.put(index)
    lateness = [0.0]

    def client() -> None:
        connection = Http(url)
        try:
            while True:
                try:
                    index = work.get_nowait()
                except queue.Empty:
                    return
                path, body = requests[index]
                sent = time.perf_counter()
                if interval is not None:
                    due = started + index * interval
                    if due > sent:
                        time.sleep(due - sent)
                    else:
                        lateness[0] = max(lateness[0], sent - due)
                    sent = due
                status, answer = connection.request("POST", path, body)
                answered(index, sent, status, answer)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, lateness[0]


def order_requests(
    bodies: list[dict[str, Any]], bulk_size: int
) -> tuple[list[tuple[str, bytes]], list[list[str]]]:
    """The requests that post ``bodies`` (encoded before the clock starts, as a wallet or an
    integrator would have them ready) and each request's owners, in order: one
    ``POST /orders`` per order, or with ``bulk_size`` ``POST /orders/bulk`` of that many."""
    if bulk_size <= 0:
        return [("/orders", json.dumps(b).encode()) for b in bodies], [[b["owner"]] for b in bodies]
    chunks = [bodies[i : i + bulk_size] for i in range(0, len(bodies), bulk_size)]
    requests = [("/orders/bulk", json.dumps({"orders": chunk}).encode()) for chunk in chunks]
    return requests, [[b["owner"] for b in chunk] for chunk in chunks]


def accepted_hashes(path: str, status: int, answer: Any) -> list[tuple[int, str] | str]:
    """Per order of one answer: (its position in the request, its hash) when stored, else a
    line saying why not (``errors`` of the run)."""
    if path != "/orders/bulk":
        if status >= 400:
            return [f"{status} {str(answer)[:200]}"]
        return [(0, answer["orderHash"])]
    if status != 200:
        return [f"bulk {status} {str(answer)[:200]}"]
    out: list[tuple[int, str] | str] = []
    for result in answer["results"]:
        if result["status"] >= 400:
            out.append(f"{result['status']} {str(result.get('error'))[:200]}")
        else:
            out.append((result["index"], result["orderHash"]))
    return out


def drive(
    url: str,
    bodies: list[dict[str, Any]],
    clients: int,
    timeout: float,
    bulk_size: int = 0,
    rate: float | None = None,
) -> RelayRun:
    """Posts every body with ``clients`` threads (``bulk_size``: in ``POST /orders/bulk``
    chunks of that many); waits until each accepted order is seen final. An order's latency
    counts from when the request carrying it was sent, or was due (``rate``: orders per
    second offered at a fixed rate, see ``post_all``)."""
    requests, owners = order_requests(bodies, bulk_size)
    interval = None if rate is None else max(1, bulk_size) / rate
    submitted: dict[str, float] = {}  # order hash -> submit time
    submitted_by: dict[str, str] = {}  # order hash -> owner
    final: dict[str, tuple[float, str, str]] = {}  # hash -> (seen, state, reason code)
    errors: list[str] = []
    lock = threading.Lock()
    done_submitting = threading.Event()
    rounds: list[float] = []

    def answered(index: int, sent: float, status: int, answer: Any) -> None:
        outcomes = accepted_hashes(requests[index][0], status, answer)
        with lock:
            for outcome in outcomes:
                if isinstance(outcome, str):
                    errors.append(outcome)
                else:
                    position, order_hash = outcome
                    submitted[order_hash] = sent
                    submitted_by[order_hash] = owners[index][position]

    def poll(http: Http, owner: str, waiting: set[str]) -> None:
        """One owner's list: every pending order, and as many recently finished ones as we
        wait for; if one we wait for is in neither part, it finished beyond that limit: ask
        again for the longest list. So nothing is missed, and a round stays small."""
        limit = min(500, len(waiting) + 10)
        while True:
            _, answer = http.request("GET", f"/orders?owner={owner}&limit={limit}")
            rows = answer["orders"]
            now = time.perf_counter()
            listed = {row["orderHash"] for row in rows}
            if waiting <= listed or limit == 500:
                break
            limit = 500
        with lock:
            for row in rows:
                if row["state"] in FINAL and row["orderHash"] not in final:
                    code = (row.get("reason") or {}).get("code", "")
                    final[row["orderHash"]] = (now, row["state"], code)

    local = threading.local()
    connections: list[Http] = []

    def poll_owner(owner: str, waiting: set[str]) -> None:
        if not hasattr(local, "http"):
            local.http = Http(url)
            with lock:
                connections.append(local.http)
        poll(local.http, owner, waiting)

    def tracker() -> None:
        """Polls only owners with accepted orders not yet seen final (``GET /orders?owner=``),
        ``TRACKERS`` owners at a time: under load each GET waits its turn behind the
        submitters, and one owner at a time made a round last ~9 s, the resolution of every
        latency measured. Rounds start at most every ``MIN_ROUND``."""
        with ThreadPoolExecutor(TRACKERS) as pool:
            while True:
                began = time.perf_counter()
                with lock:
                    waiting: dict[str, set[str]] = {}
                    for order_hash in submitted:
                        if order_hash not in final:
                            waiting.setdefault(submitted_by[order_hash], set()).add(order_hash)
                list(pool.map(poll_owner, waiting, waiting.values()))
                if waiting:
                    rounds.append(time.perf_counter() - began)
                with lock:
                    finished = done_submitting.is_set() and all(h in final for h in submitted)
                if finished or time.perf_counter() - started > timeout:
                    break
                time.sleep(max(0.0, began + MIN_ROUND - time.perf_counter()))
        for connection in connections:
            connection.close()

    started = time.perf_counter()
    track = threading.Thread(target=tracker)
    track.start()
    submit_seconds, late = post_all(url, requests, clients, answered, interval)
    done_submitting.set()
    track.join()
    run = summarise(started, submitted, final, errors, timeout)
    run.submit_seconds, run.tracker_round = submit_seconds, percentile(rounds, 50)
    run.valid, run.requests = len(bodies), len(requests)
    run.offered_rate, run.late = rate, late
    return run


def summarise(
    started: float,
    submitted: dict[str, float],
    final: dict[str, tuple[float, str, str]],
    errors: list[str],
    timeout: float,
) -> RelayRun:
    """The run's figures from the submit and first-seen-final times (rate: orders seen final
    over the time from the start until the last was seen)."""
    last = max((seen for seen, _, _ in final.values()), default=started)
    latencies = [final[h][0] - t for h, t in submitted.items() if h in final]
    rejected: dict[str, int] = {}
    for _, state, code in final.values():
        if state == "rejected":
            rejected[code] = rejected.get(code, 0) + 1
    missing = len(submitted) - len(latencies)
    if missing:
        errors.append(f"{missing} accepted orders not final within {timeout:.0f} s")
    settled = sum(1 for h in submitted if h in final and final[h][1] == "settled")
    return RelayRun(
        len(latencies),
        last - started,
        latencies,
        rejected,
        0.0,
        0.0,
        errors,
        settled=settled,
    )
