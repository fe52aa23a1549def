"""The commands a member's operator types: ``tongdui network status`` on the running network,
and ``tongdui up --network`` serving the platform from a member's node."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from tests.chains import free_port
from tongdui.cli import app

from .conftest import NetworkChain


def _status_rows(folder: Path) -> tuple[list[str], list[list[str]]]:
    result = CliRunner().invoke(app, ["network", "status", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    return lines, [line.split() for line in lines[1:] if line[:1].isdigit()]


def test_network_status_shows_every_node_its_head_peers_and_the_sealers(
    network_chain: NetworkChain,
) -> None:
    # The session's network is shared: a fault test before this one cut a node off and
    # restored it, and geth redials its static peers on its own schedule (up to ~30 s), so
    # the mesh is given a bounded minute to close again before the status is read.
    deadline = time.monotonic() + 60
    lines, rows = _status_rows(network_chain.folder)
    while not all(int(row[4]) >= 5 for row in rows[:6]) and time.monotonic() < deadline:
        time.sleep(1)
        lines, rows = _status_rows(network_chain.folder)
    assert [row[1] for row in rows[:6]] == ["sealer"] * 4 + ["auditor"] * 2
    assert all(row[6] == "yes" for row in rows[:4]) and all(row[6] == "-" for row in rows[4:6])
    assert all(int(row[4]) >= 5 for row in rows[:6])  # peers
    assert lines[-1].startswith("Clique signers (4): ")


def test_network_commands_without_a_network_say_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["network", "status", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "tongdui network up" in result.output


def test_up_on_the_network_serves_the_platform_from_a_members_node(
    network_chain: NetworkChain,
) -> None:
    port = free_port()
    tongdui = str(Path(sys.executable).parent / "tongdui")
    command = [tongdui, "up", "--network", "--member", "1"]
    command += ["--port", str(port), "--data-dir", str(network_chain.folder)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/merchants", timeout=2)
                if answer.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the API did not answer within 60 s"
            time.sleep(0.5)
        symbols = {m["symbol"] for m in answer.json()["merchants"]}
        assert {"SKYM", "BEAN", "FRESH"} <= symbols
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert f"Chain     {network_chain.info.nodes[1].rpc_url}" in output
    assert "member 1's node" in output
