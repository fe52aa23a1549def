"""The pricing assistant over a live server on anvil: swaps into SKYM (whose cover is high)
are seeded and indexed, the suggestion follows the flows within governance's bounds, and
accepting it with the existing point-value call makes it the chain's value."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chains import TestChain
from tongdui.indexer import Indexer
from tongdui.query import chain as live
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys, settle_swaps
from .test_merchant_api_writes import HOUR, advance


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live_server:
        live_server.keys = make_keys(services, clean_chain.tokens)
        yield live_server


def test_suggestion_follows_the_flows_within_bounds_and_accepting_sets_it(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    tokens = clean_chain.tokens
    skym = tokens["SKYM"]
    settle_swaps(
        clean_chain.platform,
        clean_chain.user_keys[0],
        [(tokens["FRESH"], skym, 5_000), (skym, tokens["BEAN"], 100)],
    )
    advance(clean_chain, HOUR + 1)
    Indexer(services, progress=False).run_once()
    url = f"/merchants/{skym}/pricing/suggestion"
    answer = api.client.get(url, headers=api.auth("SKYM:read"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    bounds = body["bounds"]
    assert body["currentValue"] == bounds["pointValue"] == 10
    today = body["series"][-1]
    assert (
        today["outflow"] == 1_000 and today["inflow"] == 4_980
    )  # 498 SKYM received × 10 fen and today["pointValue"] == 10
    assert body["reasons"][0]["code"] == "NET_INFLOW"
    assert bounds["minAllowedValue"] <= body["suggestedValue"] <= bounds["maxAllowedValue"]
    assert body["reasons"][1]["code"] == "COVER_HIGH"
    assert body["suggestedValue"] == 11 and body["canAcceptNow"] is True

    accepted = api.client.put(
        f"/merchants/{skym}/point-value",
        json={"value": body["suggestedValue"]},
        headers=api.auth("SKYM:value"),
    )
    assert accepted.status_code == 200, accepted.text
    assert live.market(clean_chain.platform, skym)["pointValue"] == body["suggestedValue"]

    # right after the change the chain refuses another: the suggestion says when (read at
    # least as new as the change's block: the bounds are memoised per block)
    Indexer(services, progress=False).run_once()
    after = {"minBlock": accepted.json()["blockNumber"]}
    again = api.client.get(url, params=after, headers=api.auth("SKYM:read")).json()
    assert again["canAcceptNow"] is False
    assert again["nextChangeAllowedAt"] == again["bounds"]["nextChangeAllowedAt"]
    assert again["series"][-1]["pointValue"] == body["suggestedValue"]


def test_suggestion_weighs_window_days_and_charts_series_days(
    api: LiveApi, clean_chain: TestChain
) -> None:
    url = f"/merchants/{clean_chain.tokens['SKYM']}/pricing/suggestion"
    params = {"windowDays": 3, "seriesDays": 5}
    answer = api.client.get(url, params=params, headers=api.auth("SKYM:read"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["windowDays"] == 3 and len(body["series"]) == 5
    assert body["reasons"][0] == {"code": "NO_SWAPS", "params": {"days": 3}}
    too_long = api.client.get(url, params={"windowDays": 91}, headers=api.auth("SKYM:read"))
    assert too_long.status_code == 422, too_long.text


def test_suggestion_needs_a_merchant_key(api: LiveApi, clean_chain: TestChain) -> None:
    answer = api.client.get(f"/merchants/{clean_chain.tokens['SKYM']}/pricing/suggestion")
    assert answer.status_code == 401
