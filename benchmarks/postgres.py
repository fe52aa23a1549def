"""A PostgreSQL server of the benchmark's own for the relay's PostgreSQL layouts: started by
``scripts/postgres.sh`` (as the tests' and the indexing benchmark's is, so the same packages,
settings and trust auth on loopback) but on a free port and in a temporary folder, and stopped
and removed after the run, so that nothing is left running and no other run's server (the
tests' on 55432) is shared or loaded. Each measurement gets a fresh database on it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.chains import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "postgres.sh"


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields the SQLAlchemy URL of the new server's ``tongdui`` database."""
    port = free_port()
    # not under the run's workdir: mkdtemp makes it 0700 and root's, which the postgres user
    # (the server refuses to run as root) could not enter; postgres.sh chowns this folder
    folder = Path(tempfile.mkdtemp(prefix=f"tongdui-bench-pg-{port}-"))
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


def fresh_database(server_url: str, prefix: str = "bench_relay") -> str:
    """A new empty database on the server; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name
