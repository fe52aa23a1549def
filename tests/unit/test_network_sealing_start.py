"""Regression (CI, 2026-12-03): the second of two fresh geth networks had a sealer stop
answering between peering and ``miner_start``; the socket error escaped ``Network.up``, whose
fresh-start retry only catches ChainUnavailableError, and the whole module errored. A sealer
that does not answer ``miner_start`` is now a chain that did not come up."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tongdui.core.errors import ChainUnavailableError
from tongdui.network import Network
from tongdui.network.node import NodeSpec


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_sealer_that_stops_answering_before_it_seals_is_a_chain_that_did_not_come_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = Network(tmp_path / "network")
    monkeypatch.setattr(network, "_specs", lambda: [])
    port = _closed_port()
    sealer = NodeSpec(0, "sealer", port, port, port, "0x" + "11" * 20, "ab" * 64)
    with pytest.raises(ChainUnavailableError, match="node 0 stopped answering"):
        network._start_sealing(sealer)
