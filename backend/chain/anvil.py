"""The embedded chain: an anvil process (from the npm package) that Tongdui starts itself.

State persists to ``<data dir>/anvil-state.json``: anvil loads it at start and dumps it every
few seconds and on a clean stop, so balances and history survive ``tongdui up`` restarts.

anvil never outlives the process that started it: the kernel sends it SIGTERM when its parent
dies (``PR_SET_PDEATHSIG``), so a ``kill -9`` of ``tongdui up`` stops the chain too (SIGTERM:
anvil dumps its state first). Its pid is kept in ``<data dir>/anvil.pid``; a start finds an
anvil still recorded there (a parent death signal missed, a machine without it) and stops it
before starting its own, so a restart after a crash needs no hands.

Each dump writes the whole chain (every block, transaction and receipt), so its cost grows
with history: at a million swaps it stalled anvil's RPC for seconds at a time. Chains that
need no restart (benchmarks) pass ``persist=False``; a consortium with that much history runs
its own nodes.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from web3 import HTTPProvider, Web3

from ..core.errors import ChainUnavailableError, ConfigurationError

ROOT = Path(__file__).resolve().parents[2]
NPM_ANVIL = ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"


def anvil_binary() -> str:
    """anvil from the project's node_modules, else from PATH."""
    if NPM_ANVIL.exists():
        return str(NPM_ANVIL)
    found = shutil.which("anvil")
    if found is None:
        raise ConfigurationError(
            "anvil not found: run ./scripts/setup.sh (it installs @foundry-rs/anvil-linux-amd64)"
        )
    return found


class Anvil:
    """A running anvil; ``stop()`` asks it to dump its state and exit."""

    def __init__(
        self,
        data_dir: Path,
        port: int,
        block_time: float,
        chain_id: int = 31337,
        persist: bool = True,
    ):
        self.data_dir = data_dir
        self.persist = persist
        self.port = port
        self.block_time = block_time
        self.chain_id = chain_id
        self.state_file = data_dir / "anvil-state.json"
        self.log_file = data_dir / "anvil.log"
        self.pid_file = data_dir / "anvil.pid"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [
            anvil_binary(),
            "--port",
            str(self.port),
            "--host",
            "127.0.0.1",
            "--hardfork",
            "paris",
            "--chain-id",
            str(self.chain_id),
            "--gas-limit",
            "30000000",
            "--base-fee",
            "0",
            "--gas-price",
            "0",
            "--accounts",
            "11",
            "--balance",
            "10000",
        ]
        if self.persist:
            command += ["--state", str(self.state_file), "--state-interval", "2"]
        if self.block_time > 0:
            command += ["--block-time", f"{self.block_time:g}"]
        return command

    def start(self, timeout: float = 20.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        stop_stale_anvil(self.pid_file, self.state_file)
        if not port_is_free(self.port):
            raise ChainUnavailableError(
                f"port {self.port} is already in use (another `tongdui up`, or a node?): stop it, "
                "or run this one on another port with TONGDUI_ANVIL_PORT and its own data "
                "folder (--data-dir)"
            )
        log = self.log_file.open("ab")
        self.process = subprocess.Popen(
            self.command(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches tongdui, which stops anvil cleanly
            preexec_fn=die_with_parent,
            env=dict(os.environ),
        )
        self.pid_file.write_text(f"{self.process.pid}\n")
        w3 = Web3(HTTPProvider(self.url, request_kwargs={"timeout": 2}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ChainUnavailableError(
                    f"anvil exited at start (code {self.process.returncode}); see {self.log_file}"
                    f" — is port {self.port} taken? Set TONGDUI_ANVIL_PORT."
                )
            try:
                if w3.eth.chain_id == self.chain_id:
                    return
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise ChainUnavailableError(f"anvil did not answer on {self.url} within {timeout:.0f} s")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM lets anvil write its state file before it exits."""
        if self.process is None or self.process.poll() is not None:
            self.pid_file.unlink(missing_ok=True)
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.pid_file.unlink(missing_ok=True)


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child before exec: SIGTERM when the thread that started us dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pid file covers the restart
        pass


def stop_stale_anvil(pid_file: Path, state_file: Path, timeout: float = 10.0) -> bool:
    """Stops an anvil a crashed instance left running on this data folder; True if it did.

    Only a live process whose command line is anvil with this folder's state file is
    stopped: a recycled pid that now belongs to something else is left alone.
    """
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        pid_file.unlink(missing_ok=True)
        return False
    ours = bool(argv) and Path(argv[0].decode(errors="replace")).name == "anvil"
    if not ours or str(state_file).encode() not in argv:
        pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)  # anvil dumps its state on SIGTERM
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return True


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True if nothing listens on ``host:port`` (so a new server can bind it)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True
