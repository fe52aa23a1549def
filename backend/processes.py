"""Running a several-process layout (``layout.py``): starting its children, watching them,
stopping them all.

The children are ``python -m tongdui.process_child`` processes (``subprocess``, not
``multiprocessing``: a fresh interpreter each, no resource-tracker process beside them, and
the same start as the embedded anvil's). Each runs in its own session, so Ctrl-C at the
terminal reaches only ``tongdui up``, which stops them the same way whether it got Ctrl-C or
SIGTERM: SIGTERM to each at once, a wait, SIGKILL for one still running after
``STOP_SECONDS`` (or at a second Ctrl-C). The kernel sends each child SIGTERM when ``tongdui
up`` dies, however it dies (``PR_SET_PDEATHSIG``), so none outlives it.

A child that dies stops the whole instance: the others are stopped, ``tongdui up`` says which
one died and exits 1. Not a restart: a restart would hide a child that dies at once (a port
taken, a database that refuses connections) behind a loop, and an instance whose relayer is
gone is half up. The one-process layout also stops whole when one of its loops dies
(``runner._stop_server_when``), and what runs ``tongdui up`` (systemd's ``Restart=``)
restarts it whole.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from .chain.anvil import die_with_parent
from .core.config import Settings
from .layout import LOOP_PROCESSES, Layout
from .process_child import ChildJob

STOP_SECONDS = 45.0  # a loop process joins each of its threads for up to 30 s
WATCH_INTERVAL = 0.2  # seconds between looks at the children


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]

    def __str__(self) -> str:
        return f"{self.name} (pid {self.process.pid})"


def start_child(name: str, job: ChildJob) -> Child:
    """Starts one child and hands it its job on stdin (its role also on its command line,
    for ``ps``)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tongdui.process_child", job.role],
        stdin=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    assert process.stdin is not None
    try:
        process.stdin.write(pickle.dumps(job))
        process.stdin.close()
    except BrokenPipeError:  # it died at once: watch() reports it
        pass
    return Child(name, process)


def start_children(settings: Settings, layout: Layout) -> list[Child]:
    """The layout's API processes, then its relayer and indexer processes."""
    level = logging.getLogger().level
    children: list[Child] = []
    try:
        for n in range(1, layout.api_processes + 1):
            children.append(start_child(f"API process {n}", ChildJob("api", settings, level)))
        for role in LOOP_PROCESSES:
            children.append(start_child(f"{role} process", ChildJob(role, settings, level)))
    except BaseException:
        stop(children)
        raise
    return children


def watch(children: list[Child]) -> Child:
    """Waits until a child exits and returns it; Ctrl-C or SIGTERM end the wait first
    (KeyboardInterrupt)."""
    while True:
        for child in children:
            if child.process.poll() is not None:
                return child
        time.sleep(WATCH_INTERVAL)


def stop(children: list[Child], timeout: float = STOP_SECONDS) -> None:
    """SIGTERM to every child still running, then waits for all; SIGKILL after ``timeout``
    or at a second Ctrl-C."""
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    try:
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(max(0.0, deadline - time.monotonic()))
    finally:
        for child in children:
            if child.process.poll() is None:
                child.process.kill()
                child.process.wait()


def exit_text(code: int) -> str:
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def supervise(settings: Settings, layout: Layout, report: Callable[[str], None]) -> bool:
    """Runs the layout's children until Ctrl-C or SIGTERM (True) or until one of them dies
    (False, after ``report`` has said which); every child is stopped before it returns."""
    children: list[Child] = []
    try:
        children = start_children(settings, layout)  # stops what it started if interrupted
        dead = watch(children)
    except KeyboardInterrupt:
        return True
    else:
        assert dead.process.returncode is not None
        report(f"the {dead} stopped ({exit_text(dead.process.returncode)}): stopping the others")
        return False
    finally:
        stop(children)
