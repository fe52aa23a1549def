"""Relayed swaps end to end: signed orders POSTed over HTTP by many concurrent clients, settled
on chain by the relayer, and seen settled through the API (``GET /orders?owner=``).

Orders are signed before the clock starts (signing is the user's wallet's work, not the
service's). Submitters post as fast as the service answers (open loop); a tracker polls the
order list of each owner with orders not yet seen final (pending ones in full, finished ones
as many as it waits for, more if one is missing) and stamps when each order is first seen
settled, so latency is submit → seen settled, to within one tracker round (reported). Polling
only what is still open keeps the tracker from taking the service's CPU from the work it
measures (at 10,000 orders, listing every owner's 200 orders each round did). The load
generator is ``relay_load``.

Each measurement runs the service in one **layout** (``sqlite``: ``tongdui up`` in one process
on SQLite, as shipped; ``postgres-N``: ``--api-processes N`` on a fresh PostgreSQL database of a
server the run starts, ``benchmarks.postgres``) with one **submit** mode (``single``: one
``POST /orders`` per order; ``bulk``: ``POST /orders/bulk`` chunks, the integrator's path).
Beside them in the same run: the baseline, the same service on SQLite with
``TONGDUI_BATCH_MAX_SIZE=1`` (one ``settle`` transaction per order); and the plain HTTP
ceiling (``plain_http``) with as many processes as each layout has API processes. Issue 19's
goal: ≥ 1,000 orders/s with p99 < 2 s and ≥ 99.9 % of valid orders settled, then 2,000/s.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .history import BenchChain, bench_chain, signed_order
from .measure import Figure, percentile
from .plain_http import Ceiling, measure_ceiling
from .postgres import fresh_database, postgres_server
from .relay_load import RelayRun, drive
from .service import service

USERS = 50
BATCH = 100  # TONGDUI_BATCH_MAX_SIZE of the measured runs
GOAL_RATE, GOAL_P99, GOAL_SETTLED = 1_000, 2.0, 0.999
SUBMITS = ("single", "bulk")


@dataclass(frozen=True)
class RelayLayout:
    """How ``tongdui up`` runs: ``sqlite`` (one process) or ``postgres-N`` (N API processes,
    and a relayer process and an indexer process beside them when N > 1)."""

    name: str
    postgres: bool
    api_processes: int

    @classmethod
    def parse(cls, name: str) -> RelayLayout:
        if name == "sqlite":
            return cls(name, False, 1)
        found = re.fullmatch(r"postgres-([1-9][0-9]*)", name)
        if found is None:
            raise ValueError(f"relay layout {name!r}: choose sqlite or postgres-N (N ≥ 1)")
        return cls(name, True, int(found.group(1)))


@dataclass
class RelayOptions:
    """What ``python -m benchmarks --only relay`` measures (``--relay-*``; defaults by mode)."""

    layouts: list[RelayLayout]
    submits: list[str]
    orders: int
    clients: int
    bulk_size: int = 100
    baseline_orders: int = 100
    ceiling: bool = True
    rate: float | None = None  # orders/s offered at a fixed rate; None: as fast as answered

    @classmethod
    def defaults(cls, quick: bool) -> RelayOptions:
        """Quick (CI): today's one run on SQLite and the one-process ceiling. Full: SQLite and
        two API processes on PostgreSQL, each posting single orders and bulks."""
        if quick:
            return cls([RelayLayout.parse("sqlite")], ["single"], 500, 16, baseline_orders=100)
        layouts = [RelayLayout.parse("sqlite"), RelayLayout.parse("postgres-2")]
        return cls(layouts, list(SUBMITS), 10_000, 64, baseline_orders=1_000)

    @classmethod
    def chosen(
        cls,
        quick: bool,
        layouts: str = "",
        submits: str = "",
        orders: int | None = None,
        clients: int | None = None,
        bulk_size: int | None = None,
        baseline_orders: int | None = None,
        rate: float | None = None,
    ) -> RelayOptions:
        """The defaults with what the command line set (comma-separated lists)."""
        options = cls.defaults(quick)
        if layouts:
            names = [name.strip() for name in layouts.split(",") if name.strip()]
            options.layouts = [RelayLayout.parse(name) for name in names]
        if submits:
            options.submits = [s.strip() for s in submits.split(",") if s.strip()]
            wrong = [s for s in options.submits if s not in SUBMITS]
            if wrong:
                raise ValueError(f"relay submit {wrong}: choose from {', '.join(SUBMITS)}")
        for name, value in (
            ("orders", orders),
            ("clients", clients),
            ("bulk_size", bulk_size),
            ("baseline_orders", baseline_orders),
            ("rate", rate),
        ):
            if value is not None:
                setattr(options, name, value)
        if options.rate is not None and options.rate <= 0:
            raise ValueError(f"--relay-rate {options.rate}: orders per second, above 0")
        if not 1 <= options.bulk_size <= 500:
            size = options.bulk_size
            raise ValueError(f"--relay-bulk-size {size}: POST /orders/bulk takes 1 to 500")
        return options


@dataclass
class Measured:
    layout: RelayLayout
    submit: str
    run: RelayRun

    def label(self, bulk_size: int) -> str:
        how = "POST /orders" if self.submit == "single" else f"bulks of {bulk_size}"
        offered = self.run.offered_rate
        at = "" if offered is None else f", offered {offered:,.0f}/s"
        return f"{self.layout.name}, {how}{at}"


def order_bodies(bench: BenchChain, count: int) -> list[dict[str, Any]]:
    domain = bench.domain()
    deadline = int(time.time()) + 3600
    bodies = []
    for i in range(count):
        order, signature, _ = signed_order(bench, domain, i % len(bench.users), deadline)
        body = {k: str(v) if isinstance(v, int) else v for k, v in order.as_message().items()}
        bodies.append({**body, "signature": "0x" + signature.hex()})
    return bodies


def measure(
    users: int,
    orders: int,
    clients: int,
    batch: int,
    folder: Path,
    profile: bool = False,
    *,
    db_url: str | None = None,
    api_processes: int | None = None,
    bulk_size: int = 0,
    rate: float | None = None,
) -> RelayRun:
    """One run on a fresh chain and service (``bulk_size`` > 0: through POST /orders/bulk;
    ``rate``: orders offered at that fixed rate, ``relay_load.post_all``)."""
    with (
        bench_chain(users) as bench,
        service(
            bench, folder, batch_max_size=batch, db_url=db_url, api_processes=api_processes
        ) as svc,
    ):
        bodies = order_bodies(bench, orders)
        profiler = start_profile(svc.pid, folder / "profile.txt") if profile else None
        try:
            return drive(
                svc.url,
                bodies,
                clients,
                timeout=120 + orders / 20,
                bulk_size=bulk_size,
                rate=rate,
            )
        finally:
            if profiler is not None:
                stop_profile(profiler)


@contextmanager
def databases(layouts: list[RelayLayout]) -> Iterator[str | None]:
    """A PostgreSQL server for the run when a layout needs one (``fresh_database`` on it per
    measurement); None otherwise."""
    if not any(layout.postgres for layout in layouts):
        yield None
        return
    with postgres_server() as url:
        yield url


def run(
    quick: bool,
    workdir: Path,
    profile_to: Path | None = None,
    options: RelayOptions | None = None,
) -> list[Figure]:
    """``profile_to``: py-spy samples the first measured run's service into that file (raw
    format: one collapsed stack and its sample count per line)."""
    options = options or RelayOptions.defaults(quick)
    ceilings: dict[int, Ceiling] = {}
    if options.ceiling:  # first, on a quiet machine: nothing of the relay runs is alive yet
        for processes in sorted({layout.api_processes for layout in options.layouts}):
            ceilings[processes] = measure_ceiling(
                processes, options.clients, workdir / f"plain-http-{processes}"
            )
            c = ceilings[processes]
            print(
                f"  plain HTTP ceiling, {processes} process(es): {c.requests:,} POSTs in "
                f"{c.seconds:.2f} s = {c.rate:,.0f} req/s, statuses {c.statuses}",
                flush=True,
            )
    measured: list[Measured] = []
    with databases(options.layouts) as server:
        for layout in options.layouts:
            for submit in options.submits:
                db_url = fresh_database(server) if layout.postgres and server else None
                folder = workdir / f"relay-{layout.name}-{submit}"
                got = measure(
                    USERS,
                    options.orders,
                    options.clients,
                    BATCH,
                    folder,
                    profile=profile_to is not None and not measured,
                    db_url=db_url,
                    api_processes=layout.api_processes,
                    bulk_size=options.bulk_size if submit == "bulk" else 0,
                    rate=options.rate,
                )
                if profile_to is not None and not measured and (folder / "profile.txt").exists():
                    shutil.copyfile(folder / "profile.txt", profile_to)
                    print(f"  py-spy profile of the first run: {profile_to}", flush=True)
                measured.append(Measured(layout, submit, got))
                print_run(measured[-1].label(options.bulk_size), got)
    single = measure(USERS, options.baseline_orders, options.clients, 1, workdir / "relay-single")
    print_run("baseline, one tx per order", single)
    return figures(options, measured, single, ceilings)


def print_run(label: str, res: RelayRun) -> None:
    print(
        f"  relay {label}: {res.orders} in {res.seconds:.1f} s = {res.rate:,.0f} orders/s, "
        f"p50 {percentile(res.latencies, 50) * 1000:.0f} ms, "
        f"p99 {percentile(res.latencies, 99) * 1000:.0f} ms, settled {res.settled:,} of "
        f"{res.valid:,} ({res.settled_fraction:.2%}), rejected {res.rejected}, "
        f"errors {res.errors[:3]}",
        flush=True,
    )


def figures(
    options: RelayOptions, measured: list[Measured], single: RelayRun, ceilings: dict[int, Ceiling]
) -> list[Figure]:
    """Per measurement: orders/s against one tx per order (the goal's three parts judged
    together), the settled share, p50 and p99; then each plain HTTP ceiling."""
    out: list[Figure] = []
    base = "one tx per order"
    for m in measured:
        r = m.run
        p99 = percentile(r.latencies, 99)
        label = m.label(options.bulk_size)
        ceiling = ceilings.get(m.layout.api_processes)
        notes = (
            f"{r.valid:,} orders by {options.clients} concurrent HTTP clients ({r.requests:,} "
            f"requests), {USERS} users, automine anvil, batches ≤{BATCH}; settled "
            f"{r.settled:,} of {r.valid:,} valid orders ({r.settled_fraction:.2%}); tracker "
            f"round p50 {r.tracker_round * 1000:.0f} ms; POSTs took {r.submit_seconds:.1f} s"
            + (
                ""
                if r.offered_rate is None
                else f"; offered at {r.offered_rate:,.0f} orders/s, the latest request "
                f"{r.late:.2f} s behind its schedule"
            )
            + (f"; plain HTTP ceiling {ceiling.rate:,.0f} req/s" if ceiling else "")
        )
        extra = {
            "layout": m.layout.name,
            "api_processes": m.layout.api_processes,
            "submit": m.submit,
            "bulk_size": options.bulk_size if m.submit == "bulk" else None,
            "valid": r.valid,
            "settled": r.settled,
            "settled_fraction": r.settled_fraction,
            "plain_http_ceiling": ceiling.rate if ceiling else None,
            "rejected": r.rejected,
            "errors": r.errors[:5],
            "offered_rate": r.offered_rate,
            "late_seconds": r.late,
        }
        met = r.rate >= GOAL_RATE and p99 < GOAL_P99 and r.settled_fraction >= GOAL_SETTLED
        out += [
            Figure(
                "relay",
                f"relayed swaps end to end ({label})",
                r.rate,
                "orders/s",
                baseline=single.rate,
                goal="≥1,000/s (then 2,000/s) with p99 <2 s and ≥99.9% settled",
                met=met,
                notes=notes,
                extra=extra,
                baseline_name=base,
            ),
            Figure(
                "relay",
                f"relayed orders settled ({label})",
                r.settled_fraction * 100,
                "%",
                goal="≥99.9%",
                met=r.settled_fraction >= GOAL_SETTLED,
            ),
            Figure(
                "relay",
                f"relayed swap latency p50 ({label})",
                percentile(r.latencies, 50) * 1000,
                "ms",
                baseline=percentile(single.latencies, 50) * 1000,
                baseline_name=base,
            ),
            Figure(
                "relay",
                f"relayed swap latency p99 ({label})",
                p99 * 1000,
                "ms",
                baseline=percentile(single.latencies, 99) * 1000,
                baseline_name=base,
            ),
        ]
    for processes, c in sorted(ceilings.items()):
        out.append(
            Figure(
                "relay",
                f"plain HTTP POST ceiling ({processes} process{'es' if processes > 1 else ''})",
                c.rate,
                "req/s",
                notes=(
                    f"bare uvicorn + FastAPI, one async POST route parsing an order's JSON and "
                    f"answering it with 202 (no DB, no crypto), SO_REUSEPORT; {c.requests:,} "
                    f"POSTs by {c.clients} clients of the relay's load generator; the bound for "
                    "one API process's intake on this machine"
                ),
                extra={"statuses": c.statuses, "processes": processes},
            )
        )
    return out


def start_profile(pid: int, out: Path, idle: bool = False) -> subprocess.Popen[bytes] | None:
    """py-spy (a dev dependency) sampling the service while it is under load, if installed.
    ``idle``: threads waiting (on a lock, a socket, the node) are sampled too."""
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
            *(["--idle"] if idle else []),
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
