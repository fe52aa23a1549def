"""Bulk issuance (issue 18): rows/s of a bulk job (pipelined ``issue`` transactions, written
ahead, receipts collected per chunk) beside the baseline measured in the same run on the same
anvil: one ``issue`` at a time, each waiting for its receipt before the next. Also what taking
the upload costs (parsing and checking the file, storing the job) and the process's memory
while the job runs, which must not grow with the rows done.

``python -m benchmarks.bulk [--rows 5000] [--baseline-rows 500]``: anvil automines (a block per
transaction), so the figure is what the backend's side costs, not a block period. With
``--progress S`` the rows done and the memory are printed every S seconds.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.backend.api_support import MERCHANT_ADMIN_KEYS
from tests.chains import start_chain
from tongdui.bulk.jobs import create_job
from tongdui.bulk.models import PENDING, BulkRow
from tongdui.bulk.parse import parse_bulk_file
from tongdui.bulk.worker import BulkWorker
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import Settings
from tongdui.core.db import make_engine, migrate, session_factory
from tongdui.members.directory import MemberDirectory
from tongdui.merchant.actions import MerchantActions, receipt
from tongdui.merchant.operators import MerchantOperators
from tongdui.services import Services, build_services

from .measure import Figure

QUICK_ROWS, QUICK_BASELINE_ROWS = 1_000, 200


def rss_mb() -> tuple[float, float]:
    """(resident now, peak resident so far) of this process, in MB (``/proc/self/status``)."""
    fields: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(rest.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


class Sampler:
    """Samples the resident memory (and the rows done) every ``every`` seconds on a thread."""

    def __init__(self, services: Services, job_id: int, rows: int, every: float, say: bool):
        self.services, self.job_id, self.rows = services, job_id, rows
        self.every, self.say = every, say
        self.samples: list[tuple[float, int, float]] = []  # (seconds, rows done, RSS MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            with self.services.sessions() as session:
                left = session.scalar(
                    select(func.count()).where(
                        BulkRow.job_id == self.job_id, BulkRow.state == PENDING
                    )
                )
            done, (rss, _) = self.rows - int(left or 0), rss_mb()
            elapsed = time.perf_counter() - self._started
            self.samples.append((elapsed, done, rss))
            if self.say:
                rate = done / elapsed if elapsed else 0
                print(f"   {elapsed:6.0f} s  {done:,} rows  {rate:.1f} rows/s  RSS {rss:.0f} MB")


@dataclass(frozen=True)
class Upload:
    job_id: int
    rows: int
    size: int  # bytes of CSV
    parse_s: float
    create_s: float
    cpu_s: float  # CPU seconds of both: on a shared machine the wall time is mostly waiting
    rss_before: float
    rss_after: float
    peak: float

    def figure(self) -> Figure:
        return Figure(
            "bulk",
            f"bulk upload, {self.rows:,} rows: parse + check + store the job",
            round(self.parse_s + self.create_s, 2),
            "s",
            notes=f"parse and check {self.parse_s:.2f} s, store the job {self.create_s:.2f} s "
            f"({self.size / 1e6:.1f} MB of CSV), {self.cpu_s:.1f} s of CPU; RSS "
            f"{self.rss_before:.0f} MB before, {self.rss_after:.0f} MB after, peak "
            f"{self.peak:.0f} MB",
            extra={
                "parse_s": round(self.parse_s, 3),
                "create_s": round(self.create_s, 3),
                "cpu_s": round(self.cpu_s, 3),
                "rss_before_mb": round(self.rss_before, 1),
                "rss_after_mb": round(self.rss_after, 1),
                "peak_mb": round(self.peak, 1),
            },
        )


def take_upload(
    sessions: sessionmaker[Session], token: str, holders: list[str], rows: int
) -> Upload:
    """What ``POST /bulk-issues`` does with a CSV of ``rows`` rows (parse and check it, store
    the job), timed, with the resident memory before and after."""
    lines = ["address,amount,idempotency_key"]
    lines += [f"{holders[n % len(holders)]},1,bench-{n:08d}" for n in range(rows)]
    data = "\n".join(lines).encode()
    del lines
    rss_before, _ = rss_mb()
    cpu0, t0 = time.process_time(), time.perf_counter()
    parsed = parse_bulk_file(data, "csv")
    parse_s = time.perf_counter() - t0
    with sessions() as session:
        members = MemberDirectory(session, b"\0" * 32, token)
        t1 = time.perf_counter()
        job_id = create_job(session, members, parsed).id
        create_s = time.perf_counter() - t1
    cpu_s = time.process_time() - cpu0
    del parsed
    rss_after, peak = rss_mb()
    return Upload(job_id, rows, len(data), parse_s, create_s, cpu_s, rss_before, rss_after, peak)


def upload_only(rows: int) -> list[Figure]:
    """The upload alone, on a fresh SQLite database (no chain: nothing is issued)."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(url)
        engine = make_engine(url)
        holders = [Account.create().address for _ in range(200)]
        taken = take_upload(session_factory(engine), "0x" + "a1" * 20, holders, rows)
        engine.dispose()
    return [taken.figure()]


def run(
    rows: int = 5_000,
    baseline_rows: int = 500,
    workdir: Path | None = None,
    progress_every: float = 0,
) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bulk-", dir=workdir))
    chain = start_chain(folder / "chain", persist=False)
    try:
        data_dir = folder / "data"
        save_deployment(data_dir / "deployments", chain.deployment)
        services = build_services(Settings(data_dir=data_dir, rpc_url=chain.url))
        token = chain.tokens["SKYM"]
        operators = MerchantOperators(services.w3, list(MERCHANT_ADMIN_KEYS.values()))
        holders = [Account.create().address for _ in range(200)]

        actions = MerchantActions(services.platform, operators, token)
        t0 = time.perf_counter()
        for n in range(baseline_rows):
            receipt(services.platform, actions.issue(holders[n % 200], 1), timeout=60)
        baseline = baseline_rows / (time.perf_counter() - t0)

        taken = take_upload(services.sessions, token, holders, rows)
        job_id = taken.job_id
        rss_after_upload, peak_upload = rss_mb()

        every = progress_every or max(1.0, rows / 2_000)
        with Sampler(services, job_id, rows, every, say=progress_every > 0) as sampler:
            t0 = time.perf_counter()
            BulkWorker(services.platform, operators, services.sessions).run(job_id)
            run_s = time.perf_counter() - t0
        rss_end, peak_end = rss_mb()
        rss_before = taken.rss_before
        services.engine.dispose()
    finally:
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)
    during = [rss for _, _, rss in sampler.samples] or [rss_end]
    first_half = [rss for _, done, rss in sampler.samples if done <= rows // 2] or during[:1]
    return [
        Figure(
            "bulk",
            f"bulk issuance, {rows:,} rows",
            round(rows / run_s, 1),
            "rows/s",
            baseline=round(baseline, 1),
            baseline_name=f"one issue at a time, waiting for each receipt ({baseline_rows} rows)",
            extra={"run_s": round(run_s, 1)},
        ),
        taken.figure(),
        Figure(
            "bulk",
            f"bulk issuance, {rows:,} rows: peak resident memory while running",
            round(max(during), 1),
            "MB",
            notes=f"RSS {rss_before:.0f} MB before the upload, {rss_after_upload:.0f} MB after it "
            f"(peak {peak_upload:.0f} MB), {max(first_half):.0f} MB at most in the first half "
            f"of the run, {max(during):.0f} MB at most over it, {rss_end:.0f} MB at the end "
            f"({len(sampler.samples)} samples)",
            extra={
                "rss_before_upload_mb": round(rss_before, 1),
                "rss_after_upload_mb": round(rss_after_upload, 1),
                "peak_upload_mb": round(peak_upload, 1),
                "max_first_half_mb": round(max(first_half), 1),
                "max_run_mb": round(max(during), 1),
                "rss_end_mb": round(rss_end, 1),
                "peak_end_mb": round(peak_end, 1),
            },
        ),
    ]


def run_bench(quick: bool, workdir: Path) -> list[Figure]:
    """``python -m benchmarks``' entry: 1,000 rows quick (200 baseline), else 5,000 (500)."""
    return run(QUICK_ROWS, QUICK_BASELINE_ROWS, workdir) if quick else run(5_000, 500, workdir)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--baseline-rows", type=int, default=500)
    parser.add_argument("--progress", type=float, default=0, help="print progress every S s")
    parser.add_argument("--upload-only", action="store_true", help="parse + store, no chain")
    args = parser.parse_args()
    if args.upload_only:
        figures = upload_only(args.rows)
    else:
        figures = run(args.rows, args.baseline_rows, progress_every=args.progress)
    for figure in figures:
        print(figure.line())
        if figure.notes:
            print(f"    {figure.notes}")
