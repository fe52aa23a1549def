"""A PostgreSQL server of one run's own: started by ``scripts/postgres.sh`` (Debian's packages,
trust auth on loopback, fsync off) on a free port and in a new temporary folder, then stopped
and removed.

Why not the script's default server (port 55432, ``/tmp/tongdui-postgres-55432``): two runs on
one machine (two checkouts' test suites, a benchmark beside a CI run) would share it, its
connections and its load, and one run's stop would pull it from under the other. The tests
(when ``TONGDUI_TEST_PG_URL`` is not set), ``scripts/test.sh`` and the benchmarks each start
one of these instead; the default stays for trying ``TONGDUI_DB_URL`` by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.chains import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "postgres.sh"


@contextmanager
def postgres_server(prefix: str = "tongdui-pg") -> Iterator[str]:
    """Yields the SQLAlchemy URL of the new server's ``tongdui`` database; RuntimeError with
    the script's last output if it cannot start."""
    port = free_port()
    # in the system's temp folder, not under a test's tmp_path: mkdtemp makes it 0700 and
    # root's, which postgres.sh chowns to the postgres user (the server refuses to run as root)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-{port}-"))
    env = {
        **os.environ,
        "TONGDUI_PG_PORT": str(port),
        "TONGDUI_PG_DIR": str(folder),
        "TONGDUI_PG_DB": "tongdui",
    }
    try:
        done = subprocess.run(
            ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"scripts/postgres.sh failed: {done.stderr[-2000:]}")
        yield done.stdout.strip().splitlines()[-1]
    finally:
        stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def stop(folder: Path) -> None:
    """``pg_ctl stop -m fast`` on the folder's cluster, if it was started."""
    data = folder / "data"
    if not (data / "postmaster.pid").exists():
        return
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=_version)
    if not binaries:
        return
    command = [str(binaries[-1]), "-D", str(data), "stop", "-m", "fast", "-w", "-t", "60"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, capture_output=True, timeout=90)


def _version(pg_ctl: Path) -> tuple[int, ...]:
    """(15,) from /usr/lib/postgresql/15/bin/pg_ctl: the newest, as postgres.sh's sort -V."""
    return tuple(int(part) for part in pg_ctl.parts[-3].split(".") if part.isdigit())
