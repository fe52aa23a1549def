"""``/health`` and ``/metrics`` over a live server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from web3 import HTTPProvider, Web3

from tests.chains import TestChain, free_port
from tongdui.indexer import Indexer
from tongdui.services import Services

from .api_support import LiveApi, live_api


@pytest.fixture
def api(services: Services) -> Iterator[LiveApi]:
    with live_api(services) as live:
        yield live


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_health_is_degraded_until_the_indexer_has_run_then_ok(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    before = api.client.get("/health")
    assert before.status_code == 200, before.text
    assert before.json()["status"] == "degraded"
    assert before.json()["indexer"] == {"indexedBlock": None, "lagBlocks": None}

    Indexer(services, progress=False).run_once()
    after = api.client.get("/health").json()
    assert after["status"] == "ok"
    assert after["node"]["ok"] and after["database"]["ok"]
    assert after["node"]["chainId"] == after["node"]["expectedChainId"] == 31337
    assert after["node"]["headBlock"] == clean_chain.w3.eth.block_number
    assert after["indexer"] == {"indexedBlock": after["node"]["headBlock"], "lagBlocks": 0}


def test_health_is_503_down_when_the_node_is_unreachable(services: Services) -> None:
    dead = Web3(HTTPProvider(f"http://127.0.0.1:{free_port()}", request_kwargs={"timeout": 2}))
    with live_api(dataclasses.replace(services, w3=dead)) as api:
        answer = api.client.get("/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "down" and body["node"]["ok"] is False
    assert "Connection" in body["node"]["error"]
    assert body["database"]["ok"] is True


def test_metrics_count_requests_by_route_template_and_show_the_indexer(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    Indexer(services, progress=False).run_once()
    user = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    key = (
        "tongdui_http_requests_total",
        (("method", "GET"), ("route", "/balances/{address}"), ("status", "200")),
    )
    before = samples(api.client.get("/metrics").text).get(key, 0)
    for _ in range(3):
        assert api.client.get(f"/balances/{user}").status_code == 200
    answer = api.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    found = samples(answer.text)
    assert found[key] == before + 3
    assert not any(dict(labels).get("route", "").endswith(user) for _, labels in found)
    latency = (
        "tongdui_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/balances/{address}")),
    )
    assert found[latency] >= 3
    assert found[("tongdui_chain_head_block", ())] == clean_chain.w3.eth.block_number
    assert found[("tongdui_indexer_lag_blocks", ())] == 0


def test_unknown_routes_answer_the_error_shape(api: LiveApi) -> None:
    answer = api.client.get("/no/such/route")
    assert answer.status_code == 404
    assert set(answer.json()) == {"code", "message", "details"}
