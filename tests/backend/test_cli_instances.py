"""One data folder, one instance; a crash of `tongdui up` takes its anvil with it; every
command says in one line when the node is unreachable; the data folder is found from any
directory."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chains import free_port
from tongdui.chain.anvil import Anvil, anvil_binary, port_is_free
from tongdui.chain.deployment import load_deployment
from tongdui.core.config import SOURCE_ROOT, Settings
from tongdui.core.errors import DeploymentNotFoundError
from tongdui.core.instance_lock import DataFolderInUseError, InstanceLock

from .test_cli_up import TONGDUI, Up


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Up]:
    instance = Up(tmp_path / "data", free_port(), free_port())
    try:
        yield instance
    finally:
        if instance.process is not None and instance.process.poll() is None:
            instance.process.kill()
            instance.process.wait()
        _stop_recorded_anvil(instance.data_dir)


def _stop_recorded_anvil(data_dir: Path) -> None:
    """Never leave an anvil behind, whatever the test did."""
    pid_file = data_dir / "anvil.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def _run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TONGDUI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env or dict(os.environ),
        cwd=cwd,
    )


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_second_instance_on_same_data_folder_is_refused(up: Up) -> None:
    up.start()
    assert up.process is not None
    # following the busy-port hint: another API port, another anvil port, the same folder
    env = dict(os.environ, TONGDUI_ANVIL_PORT=str(free_port()))
    second = _run("up", "--data-dir", str(up.data_dir), "--port", str(free_port()), env=env)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "DATA_DIR_IN_USE" in second.stderr and f"pid {up.process.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    chain = f"http://127.0.0.1:{up.anvil_port}"
    for command in ("index", "relay", "deploy"):
        refused = _run(command, "--data-dir", str(up.data_dir), "--rpc", chain)
        assert refused.returncode == 1 and "DATA_DIR_IN_USE" in refused.stderr, command
    assert up.process.poll() is None, "the first instance must keep running"
    assert up.stop() == 0


def test_a_lock_names_its_holder_and_is_free_again_after_release(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path, ("indexer",), "tongdui index").acquire()
    with pytest.raises(DataFolderInUseError, match=rf"pid {os.getpid()} \(`tongdui index`\)"):
        InstanceLock(tmp_path, ("chain", "indexer"), "tongdui up").acquire()
    # the failed attempt took nothing: the chain role is still free
    InstanceLock(tmp_path, ("chain",), "tongdui deploy").acquire().release()
    first.release()
    InstanceLock(tmp_path, ("indexer",), "tongdui index").acquire().release()


def _children_running(parent: int, marker: bytes) -> list[int]:
    """The pids of ``parent``'s live children whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and marker in command:
            found.append(int(entry.name))
    return found


def test_anvil_dies_with_killed_tongdui_up(up: Up) -> None:
    up.start("--demo")
    first_run = up.output()
    assert up.process is not None
    anvil_pid = int((up.data_dir / "anvil.pid").read_text())
    assert _alive(anvil_pid)
    (provider_pid,) = _children_running(up.process.pid, b"tongdui.payments.provider_main")
    up.process.send_signal(signal.SIGKILL)
    up.process.wait()
    deadline = time.monotonic() + 20
    while (_alive(anvil_pid) or _alive(provider_pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(anvil_pid), "anvil outlived a killed `tongdui up`"
    # regression (2026-12-03): the demo's test payment provider outlived it, holding its port
    assert not _alive(provider_pid), "the test payment provider outlived a killed `tongdui up`"
    # the kernel may hold the dead anvil's listening port a moment after the process is gone
    while not port_is_free(up.anvil_port) and time.monotonic() < deadline + 10:
        time.sleep(0.1)
    assert port_is_free(up.anvil_port)
    up.start("--demo")  # no hands: the restart finds the chain as it was
    second_run = up.output()[len(first_run) :]
    assert "Deployed" not in second_run and "Seeded" not in second_run
    assert up.stop() == 0


def test_a_stale_anvil_recorded_in_the_data_folder_is_stopped_at_start(tmp_path: Path) -> None:
    port = free_port()
    state = tmp_path / "anvil-state.json"
    # an anvil a crashed instance left behind (started without the parent-death signal)
    stale = subprocess.Popen(
        [anvil_binary(), "--port", str(port), "--state", str(state)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        (tmp_path / "anvil.pid").write_text(f"{stale.pid}\n")
        anvil = Anvil(tmp_path, port, 0)
        anvil.start()
        try:
            assert stale.poll() is not None, "the stale anvil still runs"
            assert int((tmp_path / "anvil.pid").read_text()) == anvil.process.pid  # type: ignore[union-attr]
        finally:
            anvil.stop()
    finally:
        if stale.poll() is None:
            stale.kill()
        stale.wait()


def test_an_unrelated_process_with_a_recorded_pid_is_left_alone(tmp_path: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / "anvil.pid").write_text(f"{sleeper.pid}\n")
        anvil = Anvil(tmp_path, free_port(), 0, persist=False)
        anvil.start()
        anvil.stop()
        assert sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()


UNREACHABLE_COMMANDS = [
    ["status"],
    ["serve"],
    ["index"],
    ["relay"],
    ["deploy"],
    ["merchant-key", "list"],
    ["merchant-key", "create", "SKYM"],
    ["merchant-key", "revoke", "1"],
    ["audit"],
    ["audit", "verify"],
    ["audit", "verify-statement", "statement.csv"],
    ["statement", "--merchant", "SKYM"],
]


@pytest.mark.parametrize("command", UNREACHABLE_COMMANDS, ids=" ".join)
def test_every_command_says_in_one_line_that_the_node_is_unreachable(
    command: list[str], tmp_path: Path
) -> None:
    (tmp_path / "statement.csv").write_text("field,value\n")
    nowhere = f"http://127.0.0.1:{free_port()}"
    ran = _run(*command, "--rpc", nowhere, "--data-dir", str(tmp_path), cwd=tmp_path)
    assert ran.returncode != 0
    assert "Traceback" not in ran.stderr, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and nowhere in lines[0], ran.stderr


def test_status_exits_non_zero_when_the_node_is_unreachable(tmp_path: Path) -> None:
    ran = _run("status", "--rpc", f"http://127.0.0.1:{free_port()}", "--data-dir", str(tmp_path))
    assert ran.returncode == 1 and "not reachable" in ran.stderr


def test_the_data_folder_is_the_same_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TONGDUI_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().data_dir == SOURCE_ROOT / ".tongdui"
    monkeypatch.setenv("TONGDUI_DATA_DIR", str(tmp_path / "elsewhere"))
    assert Settings().data_dir == tmp_path / "elsewhere"


def test_a_missing_deployment_does_not_advise_deploying_a_second_platform(
    tmp_path: Path,
) -> None:
    with pytest.raises(DeploymentNotFoundError) as raised:
        load_deployment(tmp_path / "deployments", 31337)
    message = raised.value.message
    assert "--data-dir" in message and "TONGDUI_DATA_DIR" in message
    assert "run `tongdui deploy`" not in message and "second, separate platform" in message
