"""``python -m benchmarks [--quick] [--only gas,relay,index,network,crosschain,bulk,webhooks,reads]
[--profile] [--reads-runs N] [--relay-layout sqlite,postgres-2] [--relay-submit single,bulk]
[--relay-orders N] [--relay-clients N] [--relay-bulk-size N] [--relay-baseline-orders N]
[--relay-rate R]``:
runs the benchmarks, prints each figure with its baseline ratio, writes
benchmarks/results/latest.{json,md} (and, with --profile, py-spy's samples of the relay
service under load).

--quick is what CI runs (small sizes, a few minutes on 2 cores); without it the full sizes
(10k/100k/1M history; 10,000 relayed orders; 5,000 bulk rows; 2,000 webhook events; quick:
1,000 bulk rows, 300 webhook events). A benchmark that fails is reported and the others
still run; the exit code is non-zero if any failed (a goal not met is a figure, not a failure).

The ``--relay-*`` options choose what the relay benchmark measures (``relay.RelayOptions``):
layouts ``sqlite`` (one process, as shipped) and ``postgres-N`` (``--api-processes N`` on a
PostgreSQL server the run starts and stops); ``single`` POSTs or ``bulk`` (``POST /orders/bulk``
in chunks of ``--relay-bulk-size``); each layout with each submit mode. Quick: sqlite, single,
500 orders by 16 clients; full: sqlite and postgres-2, single and bulk, 10,000 by 64.
``--relay-rate R`` offers the orders at R per second instead of as fast as answers come (a
fixed arrival rate, latency counted from each request's due time: what a sustained p99 needs).

``reads`` is the API reads benchmark alone (``reads_runs``): reads at 500 req/s while 100
swaps/s settle on a 10k-swap history, ``--reads-runs`` runs (quick 3, full 5), each beside the
caches-off baseline of the same run; ``--profile`` py-spies its first run into
OUT/reads-profile.txt. (``index`` measures reads too, once per history size.)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import bulk, crosschain, gas, indexing, network, reads_runs, relay, report, webhooks
from .measure import Figure, machine

BENCHES = ("gas", "relay", "index", "network", "crosschain", "bulk", "webhooks", "reads")
# what runs without --only: ``reads`` repeats what ``index`` measures once, so only on request
DEFAULT = tuple(name for name in BENCHES if name != "reads")
WEBHOOK_EVENTS = {True: 300, False: 2_000}  # quick, full


def webhook_figures(quick: bool) -> list[Figure]:
    """``benchmarks.webhooks.run`` (events → rates) as this table's figure: deliveries/s beside
    plain POSTs of the same bodies to the same receiver."""
    events = WEBHOOK_EVENTS[quick]
    rates = webhooks.run(events)
    return [
        Figure(
            "webhooks",
            f"webhook deliveries, {events:,} events",
            round(rates["webhook_deliveries_per_s"], 1),
            "deliveries/s",
            baseline=round(rates["plain_posts_per_s"], 1),
            baseline_name="plain HTTP POSTs of the same bodies to the same receiver",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="CI sizes")
    parser.add_argument(
        "--only", default=",".join(DEFAULT), help=f"comma-separated, of {', '.join(BENCHES)}"
    )
    parser.add_argument("--sizes", default="", help="history sizes, e.g. 10000,100000")
    parser.add_argument("--out", type=Path, default=report.RESULTS)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the relay (or reads) service under load into OUT/relay-profile.txt "
        "(OUT/reads-profile.txt)",
    )
    parser.add_argument("--reads-runs", type=int, help="runs of --only reads (quick 3, full 5)")
    relay_group = parser.add_argument_group("relay", "what --only relay measures")
    relay_group.add_argument(
        "--relay-layout", default="", help="sqlite and/or postgres-N, comma-separated"
    )
    relay_group.add_argument("--relay-submit", default="", help="single and/or bulk")
    relay_group.add_argument("--relay-orders", type=int, help="signed orders per run")
    relay_group.add_argument("--relay-clients", type=int, help="concurrent HTTP clients")
    relay_group.add_argument(
        "--relay-bulk-size", type=int, help="orders per POST /orders/bulk (default 100)"
    )
    relay_group.add_argument(
        "--relay-baseline-orders", type=int, help="orders of the one-tx-per-order baseline"
    )
    relay_group.add_argument(
        "--relay-rate",
        type=float,
        help="offer the orders at this fixed rate (orders/s; default: as fast as answered)",
    )
    args = parser.parse_args(argv)
    try:
        relay_options = relay.RelayOptions.chosen(
            args.quick,
            args.relay_layout,
            args.relay_submit,
            args.relay_orders,
            args.relay_clients,
            args.relay_bulk_size,
            args.relay_baseline_orders,
            args.relay_rate,
        )
    except ValueError as error:
        parser.error(str(error))
    chosen = [b.strip() for b in args.only.split(",") if b.strip()]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] or None
    mode = "quick" if args.quick else "full"
    workdir = Path(tempfile.mkdtemp(prefix="tongdui-bench-run-"))
    figures: list[Figure] = []
    failed: list[str] = []
    started = time.perf_counter()
    try:
        for name in chosen:
            print(f"== {name}", flush=True)
            t = time.perf_counter()
            try:
                if name == "gas":
                    got = gas.run(args.quick)
                elif name == "relay":
                    profile_to = args.out / "relay-profile.txt" if args.profile else None
                    args.out.mkdir(parents=True, exist_ok=True)
                    got = relay.run(args.quick, workdir, profile_to, relay_options)
                elif name == "index":
                    got = indexing.run(args.quick, workdir, sizes)
                elif name == "network":
                    got = network.run(args.quick, workdir)
                elif name == "crosschain":
                    got = crosschain.run(args.quick, workdir)
                elif name == "bulk":
                    got = bulk.run_bench(args.quick, workdir)
                elif name == "webhooks":
                    got = webhook_figures(args.quick)
                elif name == "reads":
                    args.out.mkdir(parents=True, exist_ok=True)
                    spy_to = args.out / "reads-profile.txt" if args.profile else None
                    got = reads_runs.run(args.quick, workdir, args.reads_runs, spy_to)
                else:
                    raise SystemExit(f"unknown benchmark {name!r}; choose from {BENCHES}")
            except Exception:
                traceback.print_exc()
                failed.append(name)
                continue
            for figure in got:
                print(figure.line(), flush=True)
            print(f"   ({time.perf_counter() - t:.0f} s)", flush=True)
            figures += got
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    info = machine()
    report.write(figures, info, mode, args.out)
    print(f"\nwrote {args.out}/latest.json and latest.md in {time.perf_counter() - started:.0f} s")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
