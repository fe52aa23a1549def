"""One data folder, one instance: a lock per role that a process holds for its whole life.

Why: two ``tongdui up`` on one data folder (say, following the busy-port hint to another anvil
port) ran two indexers over one database, which undid each other's blocks as reorgs, and an
API that mixed two chains' balances. Each role that writes to the folder takes its lock:
``chain`` (the embedded chain's state and the deployment: ``up``, ``deploy``), ``indexer``
(``up``, ``index``) and ``relayer`` (``up``, ``relay``: one key pool, local nonces). ``serve``
takes none: several API processes on one database are safe (intake is transactional).

The lock is ``flock`` on ``<data dir>/locks/<role>.lock``: the kernel drops it when the
process dies, however it dies (``kill -9`` included), so a crash never leaves a stale lock.
The file holds the holder's pid and command, for the message the next one prints.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path
from typing import IO

from .error_codes import ErrorCode
from .errors import TongduiError

ROLES = ("chain", "indexer", "relayer", "coordinator")


class DataFolderInUseError(TongduiError, RuntimeError):
    """Another live process holds a role of this data folder."""

    code = ErrorCode.DATA_DIR_IN_USE


class InstanceLock:
    """The roles one process holds in one data folder; released on ``release()`` or exit."""

    def __init__(self, data_dir: Path, roles: tuple[str, ...], command: str) -> None:
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown lock roles {sorted(unknown)}")
        self.folder = data_dir / "locks"
        self.roles = roles
        self.command = command
        self._files: list[IO[str]] = []

    def acquire(self) -> InstanceLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            for role in self.roles:
                self._files.append(self._take(role))
        except BaseException:
            self.release()
            raise
        return self

    def _take(self, role: str) -> IO[str]:
        path = self.folder / f"{role}.lock"
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            folder = self.folder.parent.resolve()
            raise DataFolderInUseError(
                f"the data folder {folder} is in use by {holder} (it holds the {role} role): "
                "stop that instance first, or give this one its own folder with --data-dir "
                "or TONGDUI_DATA_DIR",
                data_dir=str(folder),
                role=role,
                holder=holder,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} (`{self.command}`)\n")
        handle.flush()
        return handle

    def release(self) -> None:
        for handle in self._files:
            handle.close()  # closing the last descriptor drops the flock
        self._files.clear()

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()


def command_line() -> str:
    """How this process was started, shortened for a message."""
    name = Path(sys.argv[0]).name if sys.argv else "tongdui"
    return " ".join([name, *sys.argv[1:3]])
