"""`tongdui up`'s process layout: one process on SQLite (several refused with a message that
says to set a PostgreSQL URL), API processes for the cores on PostgreSQL, what was asked for
when it was, and the line it prints. Also the pieces the layout stands on: two sockets share a
port with SO_REUSEPORT, and two operator key sets on one lock folder (two processes' worth)
never send with one key at once. The end-to-end run is tests/backend/test_process_layout.py."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from web3 import Web3

from tongdui import process_child, runner, services
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.core.errors import ConfigurationError
from tongdui.layout import DEFAULT_MAX_API_PROCESSES, LOOP_PROCESSES, choose_layout, database_kind
from tongdui.merchant.operators import MerchantOperators
from tongdui.process_child import ChildJob, Role, reuse_port_socket

SQLITE = "sqlite:////data/tongdui.db"
POSTGRES = "postgresql+psycopg://tongdui@db:5432/tongdui"


@pytest.mark.parametrize("cores", [1, 2, 8, 64])
def test_sqlite_runs_everything_in_one_process_whatever_the_cores(cores: int) -> None:
    layout = choose_layout(cores, SQLITE)
    assert (layout.api_processes, layout.one_process, layout.database) == (1, True, "SQLite")


def test_sqlite_takes_one_api_process_when_one_is_asked_for() -> None:
    assert choose_layout(4, SQLITE, asked=1).one_process


@pytest.mark.parametrize("url", [SQLITE, "mysql+pymysql://db/tongdui"])
def test_several_api_processes_without_postgresql_are_refused_with_what_to_set(url: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        choose_layout(4, url, asked=2)
    message = refused.value.message
    assert "TONGDUI_DB_URL" in message and "postgresql+psycopg://" in message
    assert message.startswith("2 API processes need a database they can share")


@pytest.mark.parametrize(
    ("cores", "api_processes"),
    [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (16, DEFAULT_MAX_API_PROCESSES)],
)
def test_postgresql_gets_api_processes_for_the_cores(cores: int, api_processes: int) -> None:
    layout = choose_layout(cores, POSTGRES)
    assert (layout.api_processes, layout.database, layout.asked) == (
        api_processes,
        "PostgreSQL",
        None,
    )


@pytest.mark.parametrize(("cores", "asked"), [(2, 3), (16, 8), (8, 1), (1, 2)])
def test_postgresql_takes_the_api_processes_asked_for(cores: int, asked: int) -> None:
    layout = choose_layout(cores, POSTGRES, asked=asked)
    assert (layout.api_processes, layout.asked) == (asked, asked)


def test_cross_chain_stays_in_one_process_and_refuses_several() -> None:
    layout = choose_layout(4, POSTGRES, cross_chain=True)
    assert layout.one_process and layout.note == "--cross-chain runs in one"
    with pytest.raises(ConfigurationError, match="--cross-chain runs in one process"):
        choose_layout(4, POSTGRES, asked=2, cross_chain=True)


def test_an_api_process_count_below_one_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="at least 1"):
        choose_layout(2, POSTGRES, asked=0)


def test_the_printed_line_says_what_was_chosen_and_why() -> None:
    assert choose_layout(2, SQLITE).describe(8000) == (
        "1 process: API on port 8000, indexer + relayer as threads (SQLite; 2 cores)"
    )
    assert choose_layout(2, POSTGRES).describe(8000) == (
        "2 API processes on port 8000 (SO_REUSEPORT), 1 relayer process, 1 indexer process "
        "(PostgreSQL; 2 cores)"
    )
    assert choose_layout(1, POSTGRES).describe(8001) == (
        "1 process: API on port 8001, indexer + relayer as threads (PostgreSQL; 1 core)"
    )
    assert choose_layout(2, POSTGRES, asked=3).describe(8000) == (
        "3 API processes on port 8000 (SO_REUSEPORT), 1 relayer process, 1 indexer process "
        "(PostgreSQL; 2 cores; 3 asked for)"
    )
    assert choose_layout(4, POSTGRES, cross_chain=True).describe(8000) == (
        "1 process: API on port 8000, indexer + relayer as threads "
        "(PostgreSQL; 4 cores; --cross-chain runs in one)"
    )


def _loops_run_by(role: Role, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> set[str]:
    """The components a child of ``role`` hands to ``run_components``, its defaults applied
    as it applies them (webhooks beside the indexer, bulk beside the API), without running any."""
    asked: dict[str, Any] = {}
    monkeypatch.setattr(services, "build_services", lambda *_, **__: object())
    monkeypatch.setattr(process_child, "reuse_port_socket", lambda *_: object())
    monkeypatch.setattr(runner, "run_components", lambda _services, **flags: asked.update(flags))
    process_child.run(ChildJob(role, Settings(data_dir=tmp_path)))
    webhooks = asked["indexer"] if asked.get("webhooks") is None else asked["webhooks"]
    bulk = asked["api"] if asked.get("bulk") is None else asked["bulk"]
    runs = {"api": asked["api"], "indexer": asked["indexer"], "relayer": asked["relayer"]}
    runs |= {"webhooks": webhooks, "bulk": bulk}
    return {name for name, on in runs.items() if on}


def test_the_relayer_process_runs_the_loops_that_sign_and_the_indexer_process_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert LOOP_PROCESSES == ("relayer", "indexer")
    assert _loops_run_by("relayer", monkeypatch, tmp_path) == {"relayer", "bulk"}  # + payments
    assert _loops_run_by("indexer", monkeypatch, tmp_path) == {"indexer", "webhooks"}
    assert _loops_run_by("api", monkeypatch, tmp_path) == {"api"}


def test_a_several_process_layout_runs_every_loop_once_across_its_children(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    children: list[Role] = ["api", "api", *LOOP_PROCESSES]
    runs = Counter(c for role in children for c in _loops_run_by(role, monkeypatch, tmp_path))
    assert runs == {"api": 2, "indexer": 1, "webhooks": 1, "relayer": 1, "bulk": 1}


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (SQLITE, "SQLite"),
        ("sqlite:///:memory:", "SQLite"),
        (POSTGRES, "PostgreSQL"),
        ("postgresql://db/x", "PostgreSQL"),
        ("mysql+pymysql://db/x", "mysql"),
    ],
)
def test_the_database_kind_comes_from_the_url_scheme(url: str, kind: str) -> None:
    assert database_kind(url) == kind


def test_the_api_process_count_is_a_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TONGDUI_API_PROCESSES", "3")
    assert Settings(data_dir=tmp_path).api_processes == 3
    monkeypatch.delenv("TONGDUI_API_PROCESSES")
    assert Settings(data_dir=tmp_path).api_processes is None


def test_two_sockets_listen_on_one_port_with_reuse_port() -> None:
    first = reuse_port_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = reuse_port_socket("127.0.0.1", port)
    try:
        first.listen()
        second.listen()
        assert second.getsockname()[1] == port
    finally:
        first.close()
        second.close()


def _fake_node() -> Web3:
    """What MerchantOperators asks of the node, without a node."""
    eth = SimpleNamespace(chain_id=31337, gas_price=0, get_transaction_count=lambda *_: 0)
    return cast(Web3, SimpleNamespace(eth=eth))


def test_two_operator_sets_on_one_lock_folder_never_send_with_one_key_at_once(
    tmp_path: Path,
) -> None:
    key = ANVIL_KEYS[4]
    admin = MerchantOperators(_fake_node(), [key]).addresses[0]
    first, second = (
        MerchantOperators(_fake_node(), [key], lock_dir=tmp_path / "locks") for _ in range(2)
    )
    steps: list[str] = []
    first_inside = threading.Event()

    def slow(_signer: Any) -> None:
        steps.append("first in")
        first_inside.set()
        time.sleep(0.3)  # room for the second to enter, were it not locked out
        steps.append("first out")

    def quick(_signer: Any) -> None:
        steps.append("second in")

    holder = threading.Thread(target=first.send, args=(admin, slow))
    holder.start()
    assert first_inside.wait(10)
    second.send(admin, quick)
    holder.join()
    assert steps == ["first in", "first out", "second in"]
