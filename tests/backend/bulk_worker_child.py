"""A bulk worker in a process of its own, for the test that kills it with SIGKILL.

``python -m tests.backend.bulk_worker_child DATA_DIR RPC_URL JOB_ID CHUNK PAUSE``: runs the job
with the merchants' operator keys, sleeping ``PAUSE`` seconds after each broadcast so that a
kill lands while a chunk is on its way out (signed and written ahead, partly broadcast).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tongdui.bulk.worker import BulkWorker
from tongdui.core.config import Settings
from tongdui.merchant.operators import MerchantOperators
from tongdui.services import build_services

from .api_support import MERCHANT_ADMIN_KEYS


def main(argv: list[str]) -> None:
    data_dir, rpc_url, job_id, chunk, pause = argv
    services = build_services(Settings(data_dir=Path(data_dir), rpc_url=rpc_url))
    operators = MerchantOperators(services.w3, list(MERCHANT_ADMIN_KEYS.values()))

    def slow(row_id: int) -> None:
        time.sleep(float(pause))

    BulkWorker(services.platform, operators, services.sessions, int(chunk), slow).run(int(job_id))


if __name__ == "__main__":
    main(sys.argv[1:])
