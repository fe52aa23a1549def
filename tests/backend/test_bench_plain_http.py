"""The relay benchmark's plain HTTP ceiling (benchmarks/plain_http.py) as it runs in a
benchmark: two server processes on one port (SO_REUSEPORT), each answering, every POST of the
relay's load generator answered 202, and no process left behind. Functional only: the rate it
reports is a benchmark's figure, not asserted here."""

from __future__ import annotations

from pathlib import Path

from benchmarks.plain_http import measure_ceiling, plain_server
from tongdui.chain.anvil import port_is_free


def test_the_plain_ceiling_answers_every_post_from_each_of_its_processes(tmp_path: Path) -> None:
    ceiling = measure_ceiling(2, clients=4, folder=tmp_path, requests=300)
    assert ceiling.statuses == {202: 300}
    assert ceiling.processes == 2 and ceiling.seconds > 0


def test_the_plain_server_stops_every_process_it_started(tmp_path: Path) -> None:
    with plain_server(2, tmp_path) as url:
        port = int(url.rsplit(":", 1)[1])
        assert not port_is_free(port)
    assert port_is_free(port)  # both processes of the group closed their sockets
    log = (tmp_path / "plain-http.log").read_text()
    assert "Traceback" not in log
