"""Bulk issuance (issue 18): rows/s of a bulk job (pipelined ``issue`` transactions, written
ahead, receipts collected per chunk) beside the baseline measured in the same run on the same
anvil: one ``issue`` at a time, each waiting for its receipt before the next.

``python -m benchmarks.bulk [--rows 5000] [--baseline-rows 500]``: anvil automines (a block per
transaction), so the figure is what the backend's side costs, not a block period.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from eth_account import Account

from tests.backend.api_support import MERCHANT_ADMIN_KEYS
from tests.chains import start_chain
from tongdui.bulk.jobs import create_job
from tongdui.bulk.parse import parse_bulk_file
from tongdui.bulk.worker import BulkWorker
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import Settings
from tongdui.members.directory import MemberDirectory
from tongdui.merchant.actions import MerchantActions, receipt
from tongdui.merchant.operators import MerchantOperators
from tongdui.services import build_services

from .measure import Figure


def run(rows: int = 5_000, baseline_rows: int = 500, workdir: Path | None = None) -> list[Figure]:
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

        lines = ["address,amount,idempotency_key"]
        lines += [f"{holders[n % 200]},1,bench-{n}" for n in range(rows)]
        with services.sessions() as session:
            members = MemberDirectory(session, b"\0" * 32, token)
            job = create_job(session, members, parse_bulk_file("\n".join(lines).encode(), "csv"))
        t0 = time.perf_counter()
        BulkWorker(services.platform, operators, services.sessions).run(job.id)
        bulk = rows / (time.perf_counter() - t0)
        services.engine.dispose()
    finally:
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Figure(
            "bulk",
            f"bulk issuance, {rows:,} rows",
            round(bulk, 1),
            "rows/s",
            baseline=round(baseline, 1),
            baseline_name=f"one issue at a time, waiting for each receipt ({baseline_rows} rows)",
        )
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--baseline-rows", type=int, default=500)
    args = parser.parse_args()
    for figure in run(args.rows, args.baseline_rows):
        print(
            f"{figure.name}: {figure.value} {figure.unit}; baseline {figure.baseline} "
            f"{figure.unit} ({figure.baseline_name}); ×{figure.ratio:.2f}"
        )
