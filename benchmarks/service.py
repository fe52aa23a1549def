"""The whole service (``tongdui up --rpc``: indexer + relayer + API in one process) against a
benchmark chain, in a child process so that the load generator does not share its GIL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.chains import free_port
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import ANVIL_KEYS

from .history import BenchChain

TONGDUI = Path(sys.executable).with_name("tongdui")


@dataclass
class Service:
    url: str
    pid: int
    log: Path


@contextmanager
def service(
    bench: BenchChain,
    data_dir: Path,
    *,
    batch_max_size: int = 100,
    batch_max_wait: float = 0.05,
    db_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    split: bool = False,
    api_only: bool = False,
    api_processes: int | None = None,
) -> Iterator[Service]:
    """Runs ``tongdui up --rpc`` on a free port; yields its base URL; SIGTERM at the end.

    ``split``: the same components as three processes (``serve``, ``relay``, ``index``), so
    that the API does not share one GIL with the relayer and the indexer; ``pid`` is the API's.
    ``api_only``: ``serve`` alone (what intake costs, with no relayer settling meanwhile).
    ``api_processes``: ``tongdui up --api-processes N`` (more than one needs ``db_url`` on
    PostgreSQL); None: one process, whatever the environment's TONGDUI_API_PROCESSES says.
    """
    save_deployment(data_dir / "deployments", bench.chain.deployment)
    port = free_port()
    env = {
        **os.environ,
        "TONGDUI_RELAYER_KEYS": f"{ANVIL_KEYS[8]},{ANVIL_KEYS[9]}",
        "TONGDUI_BATCH_MAX_SIZE": str(batch_max_size),
        "TONGDUI_BATCH_MAX_WAIT": str(batch_max_wait),
        "TONGDUI_POLL_INTERVAL": "0.05",
        **({"TONGDUI_DB_URL": db_url} if db_url else {}),
        **(extra_env or {}),
    }
    env.pop("TONGDUI_API_PROCESSES", None)
    log = (data_dir / "service.log").open("ab")
    where = ["--rpc", bench.url, "--data-dir", str(data_dir)]
    serve = ["serve", *where, "--port", str(port)]
    commands = (
        [serve]
        if api_only
        else [serve, ["relay", *where], ["index", *where]]
        if split
        else [["up", *where, "--port", str(port), "--api-processes", str(api_processes or 1)]]
    )
    processes: list[subprocess.Popen[bytes]] = []
    url = f"http://127.0.0.1:{port}"
    try:
        for command in commands:
            processes.append(
                subprocess.Popen(
                    [str(TONGDUI), *command],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            if len(processes) == 1:
                wait_healthy(url, processes[0])  # migrated once before the others start
        yield Service(url, processes[0].pid, data_dir / "service.log")
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tongdui up exited with {process.returncode}; see its log")
        try:
            if httpx.get(url + "/health", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"tongdui up did not answer on {url}")
