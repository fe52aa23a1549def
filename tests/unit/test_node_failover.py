"""Several nodes: the policy of ``chain.nodes`` on fake nodes, and the settings that list them."""

from __future__ import annotations

import pytest

from tongdui.chain.nodes import NodeDownError, NodeSet
from tongdui.core.config import Settings
from tongdui.core.errors import ChainUnavailableError, ConfigurationError


class FakeNodes:
    """Nodes by URL: each has a head and is up or down; ``asked`` records every call."""

    def __init__(self, **heads: int) -> None:
        self.heads = dict(heads)
        self.down: set[str] = set()
        self.asked: list[str] = []

    def send(self, url: str) -> str:
        self.asked.append(url)
        if url in self.down:
            raise NodeDownError(f"{url} is down")
        return url

    def head(self, url: str) -> int:
        if url in self.down:
            raise NodeDownError(f"{url} is down")
        return self.heads[url]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_calls_go_to_the_own_node_while_it_answers() -> None:
    fake = FakeNodes(a=5, b=5)
    nodes = NodeSet(["a", "b"])
    assert [nodes.call(fake.send, fake.head) for _ in range(3)] == ["a", "a", "a"]
    assert fake.asked == ["a", "a", "a"] and nodes.generation == 0


def test_a_node_that_stops_answering_is_passed_over_and_the_call_is_made_on_the_next() -> None:
    fake = FakeNodes(a=5, b=5, c=5)
    nodes = NodeSet(["a", "b", "c"], clock=Clock())
    fake.down = {"a"}
    assert nodes.call(fake.send, fake.head) == "b"
    assert nodes.current == "b" and nodes.generation == 1
    fake.asked.clear()
    assert nodes.call(fake.send, fake.head) == "b"
    assert fake.asked == ["b"], "a benched node is not asked again before its time"


def test_the_backend_returns_to_its_own_node_only_once_it_has_caught_up() -> None:
    clock = Clock()
    fake = FakeNodes(a=5, b=5)
    nodes = NodeSet(["a", "b"], retry_after=5.0, clock=clock)
    fake.down = {"a"}
    nodes.call(fake.send, fake.head)
    fake.down.clear()
    fake.heads = {"a": 3, "b": 9}  # a restarted and is still catching up
    clock.now += 6
    assert nodes.call(fake.send, fake.head) == "b"
    clock.now += 2
    fake.heads["a"] = 9
    assert nodes.call(fake.send, fake.head) == "b", "asked again only after retry_after"
    clock.now += 4
    assert nodes.call(fake.send, fake.head) == "a"
    assert nodes.current == "a" and nodes.generation == 2


def test_an_error_that_is_not_an_outage_is_not_retried_on_another_node() -> None:
    nodes = NodeSet(["a", "b"])
    asked: list[str] = []

    def refuse(url: str) -> str:
        asked.append(url)
        raise ValueError("nonce too low")  # the node's answer: every node would say it

    with pytest.raises(ValueError, match="nonce too low"):
        nodes.call(refuse)
    assert asked == ["a"] and nodes.current == "a"


def test_when_no_node_answers_the_error_names_every_node() -> None:
    fake = FakeNodes(a=1, b=1)
    fake.down = {"a", "b"}
    with pytest.raises(ChainUnavailableError, match="none of the 2 JSON-RPC nodes answered"):
        NodeSet(["a", "b"]).call(fake.send, fake.head)


def test_settings_read_a_comma_separated_list_of_nodes_own_node_first() -> None:
    settings = Settings(rpc_url=" http://own:8545 , http://other:8545,")
    assert settings.node_urls() == ["http://own:8545", "http://other:8545"]
    assert settings.node_url() == "http://own:8545" and not settings.embedded
    assert Settings(anvil_port=9999).node_urls() == ["http://127.0.0.1:9999"]
    with pytest.raises(ConfigurationError, match="TONGDUI_RPC_URL"):
        Settings(rpc_url=" , ").node_urls()
