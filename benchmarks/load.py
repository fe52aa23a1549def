"""An open-loop HTTP/1.1 load generator on asyncio: cheap enough per request (~0.1 ms) that on a
2-core machine it leaves the service the CPU it is being measured on.

Request i is due at ``t0 + i / rate``; latency counts from that moment (not from when a
connection came free), so a server that falls behind shows its queue instead of hiding it
(no coordinated omission). Requests go over ``connections`` keep-alive connections; a request
whose connection is busy waits, and that wait is part of its latency.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .measure import percentile


@dataclass
class LoadResult:
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    scheduled: int = 0
    # one per answered request (seconds after the start it was due, path, latency ms): the
    # latencies, and which reads make the tail and when
    samples: list[tuple[float, str, float]] = field(default_factory=list)

    @property
    def achieved_rate(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        latencies = [latency for _, _, latency in self.samples]
        return {
            "requests": len(latencies),
            "achieved_rate": self.achieved_rate,
            "p50": percentile(latencies, 50),
            "p90": percentile(latencies, 90),
            "p99": percentile(latencies, 99),
            "max": max(latencies, default=0.0),
            "statuses": dict(self.statuses),
            "dropped": self.scheduled - len(latencies),
            "tail": self.tail(),
        }

    def tail(self, share: float = 0.01) -> dict[str, Any]:
        """The slowest ``share`` of requests: how many of each kind of read, and in how many
        distinct 100 ms windows they were due (few windows: stalls that hit every read)."""
        if not self.samples:
            return {}
        slow = sorted(self.samples, key=lambda s: s[2])[-max(1, int(len(self.samples) * share)) :]
        kinds: dict[str, int] = {}
        for _, path, _ in slow:
            kind = "/" + path.split("?")[0].strip("/").split("/")[0]
            kinds[kind] = kinds.get(kind, 0) + 1
        return {"by_path": kinds, "windows": len({int(due * 10) for due, _, _ in slow})}


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> int:
        self.writer.write(request)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return status


async def _run(
    url: str, paths: list[str], rate: float, seconds: float, connections: int, timeout: float
) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [
        f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode()
        for p in paths
    ]
    pool: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(_Connection(*await asyncio.open_connection(host, port)))
    result = LoadResult(scheduled=int(rate * seconds))
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1
    # Latency on perf_counter: uvloop's loop.time() moves in whole milliseconds, which made
    # every latency an integer and a p50 under 1 ms read as 0.
    offset = time.perf_counter() - loop.time()

    async def one(i: int, due: float) -> None:
        connection = await pool.get()
        try:
            status = await asyncio.wait_for(connection.get(requests[i % len(requests)]), timeout)
        except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError):
            status = 0
            connection.writer.close()
            connection = _Connection(*await asyncio.open_connection(host, port))
        finally:
            pool.put_nowait(connection)
        latency = (time.perf_counter() - offset - due) * 1000
        result.samples.append((due - start, paths[i % len(paths)], latency))
        result.statuses[status] = result.statuses.get(status, 0) + 1

    tasks = []
    for i in range(result.scheduled):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.wait(tasks, timeout=timeout + 5)
    result.seconds = loop.time() - start
    while not pool.empty():
        pool.get_nowait().writer.close()
    return result


def open_loop(
    url: str,
    paths: list[str],
    rate: float,
    seconds: float,
    *,
    connections: int = 64,
    timeout: float = 10.0,
) -> LoadResult:
    """Sends ``rate × seconds`` GETs cycling through ``paths`` on schedule; see the module."""
    try:
        import uvloop

        runner: Any = uvloop.run
    except ImportError:  # pragma: no cover - uvloop is a dependency of uvicorn[standard]
        runner = asyncio.run
    # The generator's own garbage collector would stop it for ~100 ms now and then (this
    # process holds a whole benchmark chain's objects), adding that to every request in flight.
    gc.collect()
    gc.disable()
    try:
        result: LoadResult = runner(_run(url, paths, rate, seconds, connections, timeout))
    finally:
        gc.enable()
    return result
