"""Relayed swaps end to end: signed orders POSTed over HTTP by many concurrent clients, settled
on chain by the relayer, and seen settled through the API (``GET /orders?owner=``).

Orders are signed before the clock starts (signing is the user's wallet's work, not the
service's). Submitters post as fast as the service answers (open loop); a tracker polls the
order list of each owner with orders not yet seen final (pending ones in full, finished ones
as many as it waits for, more if one is missing) and stamps when each order is first seen
settled, so latency is submit → seen settled, to within one tracker round (reported). Polling
only what is still open keeps the tracker from taking the service's CPU from the work it
measures (at 10,000 orders, listing every owner's 200 orders each round did). Baseline: the same
service with
``TONGDUI_BATCH_MAX_SIZE=1`` — one ``settle`` transaction per order.
"""

from __future__ import annotations

import http.client
import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .history import BenchChain, bench_chain, signed_order
from .measure import Figure, percentile
from .service import service

TRACKERS = 4  # owners polled at once by the tracker
MIN_ROUND = 0.2  # seconds: the tracker polls no faster (its GETs load the service measured)


@dataclass
class RelayRun:
    orders: int
    seconds: float
    latencies: list[float]
    rejected: dict[str, int]
    submit_seconds: float
    tracker_round: float
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0


def order_bodies(bench: BenchChain, count: int) -> list[dict[str, Any]]:
    domain = bench.domain()
    deadline = int(time.time()) + 3600
    bodies = []
    for i in range(count):
        order, signature, _ = signed_order(bench, domain, i % len(bench.users), deadline)
        body = {k: str(v) if isinstance(v, int) else v for k, v in order.as_message().items()}
        bodies.append({**body, "signature": "0x" + signature.hex()})
    return bodies


class Http:
    """A kept-alive HTTP/1.1 connection: the load generator's client.

    Why not httpx: it cost ~2 ms of CPU per order in this process, on the same two cores as
    the service it measures; ``http.client`` costs a fraction. What is measured is unchanged.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self.connection.request(method, path, body, headers)
        answer = self.connection.getresponse()
        return answer.status, json.loads(answer.read())

    def close(self) -> None:
        self.connection.close()


def drive(url: str, bodies: list[dict[str, Any]], clients: int, timeout: float) -> RelayRun:
    """Posts every body with ``clients`` threads; waits until each is seen final."""
    work: queue.Queue[tuple[str, bytes]] = queue.Queue()
    for body in bodies:  # encoded before the clock starts, as a wallet would have it ready
        work.put((body["owner"], json.dumps(body).encode()))
    submitted: dict[str, float] = {}  # order hash -> submit time
    submitted_by: dict[str, str] = {}  # order hash -> owner
    final: dict[str, tuple[float, str, str]] = {}  # hash -> (seen, state, reason code)
    errors: list[str] = []
    lock = threading.Lock()
    done_submitting = threading.Event()
    rounds: list[float] = []

    def submitter() -> None:
        http = Http(url)
        try:
            while True:
                try:
                    owner, body = work.get_nowait()
                except queue.Empty:
                    return
                sent = time.perf_counter()
                status, answer = http.request("POST", "/orders", body)
                if status >= 400:
                    with lock:
                        errors.append(f"{status} {str(answer)[:200]}")
                    continue
                with lock:
                    submitted[answer["orderHash"]] = sent
                    submitted_by[answer["orderHash"]] = owner
        finally:
            http.close()

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
                if row["state"] in ("settled", "rejected") and row["orderHash"] not in final:
                    code = (row.get("reason") or {}).get("code", "")
                    final[row["orderHash"]] = (now, row["state"], code)

    local = threading.local()

    def poll_owner(owner: str, waiting: set[str]) -> None:
        if not hasattr(local, "http"):
            local.http = Http(url)
            with lock:
                connections.append(local.http)
        poll(local.http, owner, waiting)

    connections: list[Http] = []

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
    threads = [threading.Thread(target=submitter) for _ in range(clients)]
    for thread in threads:
        thread.start()
    track = threading.Thread(target=tracker)
    track.start()
    for thread in threads:
        thread.join()
    submit_seconds = time.perf_counter() - started
    done_submitting.set()
    track.join()
    last = max((seen for seen, _, _ in final.values()), default=started)
    latencies = [final[h][0] - t for h, t in submitted.items() if h in final]
    rejected: dict[str, int] = {}
    for _, state, code in final.values():
        if state == "rejected":
            rejected[code] = rejected.get(code, 0) + 1
    missing = len(submitted) - len(latencies)
    if missing:
        errors.append(f"{missing} accepted orders not final within {timeout:.0f} s")
    return RelayRun(
        len(latencies),
        last - started,
        latencies,
        rejected,
        submit_seconds,
        percentile(rounds, 50),
        errors,
    )


def measure(
    users: int, orders: int, clients: int, batch: int, folder: Path, profile: bool = False
) -> RelayRun:
    with bench_chain(users) as bench, service(bench, folder, batch_max_size=batch) as svc:
        bodies = order_bodies(bench, orders)
        profiler = start_profile(svc.pid, folder / "profile.txt") if profile else None
        try:
            return drive(svc.url, bodies, clients, timeout=120 + orders / 20)
        finally:
            if profiler is not None:
                stop_profile(profiler)


def run(quick: bool, workdir: Path, profile_to: Path | None = None) -> list[Figure]:
    """``profile_to``: py-spy samples the batched run's service into that file (raw format:
    one collapsed stack and its sample count per line)."""
    orders, clients, baseline_orders = (500, 16, 100) if quick else (10_000, 64, 1_000)
    users = 50
    batched_dir = workdir / "relay-batched"
    batched = measure(users, orders, clients, 100, batched_dir, profile=profile_to is not None)
    if profile_to is not None and (batched_dir / "profile.txt").exists():
        shutil.copyfile(batched_dir / "profile.txt", profile_to)
        print(f"  py-spy profile of the batched run: {profile_to}", flush=True)
    single = measure(users, baseline_orders, clients, 1, workdir / "relay-single")
    notes = (
        f"{orders} orders by {clients} concurrent HTTP clients, {users} users, automine anvil, "
        f"batches ≤100; tracker round p50 {batched.tracker_round * 1000:.0f} ms; "
        f"POSTs took {batched.submit_seconds:.1f} s"
    )
    extra = {"rejected": batched.rejected, "errors": batched.errors[:5]}
    for label, res in (("batched", batched), ("baseline", single)):
        print(
            f"  relay {label}: {res.orders} in {res.seconds:.1f} s = {res.rate:,.0f} orders/s, "
            f"p50 {percentile(res.latencies, 50) * 1000:.0f} ms, "
            f"p99 {percentile(res.latencies, 99) * 1000:.0f} ms, rejected {res.rejected}, "
            f"errors {res.errors[:3]}"
        )
    met = batched.rate >= 2_000 and batched.rate >= 10 * single.rate
    return [
        Figure(
            "relay",
            "relayed swaps end to end",
            batched.rate,
            "orders/s",
            baseline=single.rate,
            baseline_name="one tx per order",
            goal="≥2,000/s and ≥10× baseline",
            met=met,
            notes=notes,
            extra=extra,
        ),
        Figure(
            "relay",
            "relayed swap latency p50",
            percentile(batched.latencies, 50) * 1000,
            "ms",
            baseline=percentile(single.latencies, 50) * 1000,
            baseline_name="one tx per order",
        ),
        Figure(
            "relay",
            "relayed swap latency p99",
            percentile(batched.latencies, 99) * 1000,
            "ms",
            baseline=percentile(single.latencies, 99) * 1000,
            baseline_name="one tx per order",
        ),
    ]


def start_profile(pid: int, out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy (a dev dependency) sampling the service while it is under load, if installed."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        return None
    return subprocess.Popen(
        [
            str(spy),
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--output",
            str(out),
            "--rate",
            "50",
            "--subprocesses",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_profile(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
