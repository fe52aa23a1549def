"""A detached child process known by its pid file, so that another ``tongdui`` command can
find and stop it later (geth nodes, sealer agents).

The pid file alone is not trusted: ``/proc/<pid>/cmdline`` must still contain ``marker`` (the
node's own data folder, say), so a stale pid reused by another program is never signalled.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


class Detached:
    def __init__(self, pid_file: Path, marker: str) -> None:
        self.pid_file = pid_file
        self.marker = marker
        self._process: subprocess.Popen[bytes] | None = None

    def pid(self) -> int | None:
        """The running process's pid, or None."""
        if self._process is not None and self._process.poll() is None:
            return self._process.pid
        try:
            pid = int(self.pid_file.read_text())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None
        if self.marker.encode() not in cmdline or _is_zombie(pid):
            return None
        return pid

    def running(self) -> bool:
        return self.pid() is not None

    def exit_code(self) -> int | None:
        """The exit code if this object started the process and it has exited."""
        return None if self._process is None else self._process.poll()

    def start(self, command: list[str], log_file: Path) -> None:
        """Starts ``command`` in its own session (it outlives this process), output to
        ``log_file``; nothing happens if it already runs."""
        if self.running():
            return
        with log_file.open("ab") as log:
            self._process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.pid_file.write_text(str(self._process.pid))

    def terminate(self) -> int | None:
        """Sends SIGTERM (it finishes cleanly); returns the pid for ``stop`` to wait on."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
        return pid

    def stop(self, timeout: float = 20.0, pid: int | None = None) -> None:
        """SIGTERM (lets it finish cleanly), SIGKILL after ``timeout`` seconds. With ``pid``
        (from ``terminate``) only waits, so several processes can stop at once."""
        pid = self.terminate() if pid is None else pid
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return
        deadline = time.monotonic() + timeout
        while not self._gone(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                deadline = float("inf")
            time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)

    def _gone(self, pid: int) -> bool:
        if self._process is not None and self._process.pid == pid:
            return self._process.poll() is not None
        return not Path(f"/proc/{pid}").exists() or _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return status.rsplit(")", 1)[1].split()[0] == "Z"
