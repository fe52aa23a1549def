"""A merchant's expiry rule over a live server (issue 16): read with a read key, changed only
with an admin key and signed with the operator key, a bad rule refused with a code and what to
send before anything is sent, and every attempt in the operation log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chains import TestChain
from tongdui.chain import expiry
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def test_the_rule_is_read_with_a_read_key_and_changed_only_with_an_admin_key(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    path = f"/merchants/{token}/expiry-rule"
    default = api.client.get(path, headers=api.auth("SKYM:read"))
    assert default.status_code == 200, default.text
    assert default.json() == {
        "validityMonths": 0,
        "roundingMonths": 0,
        "currentKey": expiry.NEVER,
        "currentLastDay": None,
    }
    rule = {"validityMonths": 24, "roundingMonths": 3}
    for scoped in ("SKYM:read", "SKYM:value"):
        refused = api.client.put(path, json=rule, headers=api.auth(scoped))
        assert refused.status_code == 403, refused.text
    other = api.client.put(path, json=rule, headers=api.auth("BEAN"))
    assert other.status_code == 403

    changed = api.client.put(path, json=rule, headers=api.auth("SKYM"))
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["status"] == "mined" and body["validityMonths"] == 24
    assert body["previous"]["validityMonths"] == 0
    points = clean_chain.platform.points_token(token).functions
    assert points.expiryRule().call() == [24, 3]
    now = clean_chain.w3.eth.get_block("latest")
    read = api.client.get(path, headers=api.auth("SKYM:read")).json()
    key = expiry.key_for(int(now["timestamp"]), 24, 3)
    assert (read["validityMonths"], read["roundingMonths"], read["currentKey"]) == (24, 3, key)
    assert read["currentLastDay"] == expiry.last_day_iso(key)
    assert read["currentLastDay"].endswith(("-03-31", "-06-30", "-09-30", "-12-31"))


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ({"validityMonths": 12, "roundingMonths": 2}, "roundingMonths must be 1 (month)"),
        ({"validityMonths": 5000, "roundingMonths": 1}, "validityMonths must be between 0"),
        ({"validityMonths": -1, "roundingMonths": 1}, "validityMonths must be between 0"),
        ({"validityMonths": 6, "roundingMonths": 0}, "roundingMonths must be 1 (month)"),
    ],
)
def test_a_bad_rule_is_refused_with_a_code_and_what_to_send_and_nothing_is_sent(
    api: LiveApi, clean_chain: TestChain, rule: dict[str, int], says: str
) -> None:
    token = clean_chain.tokens["BEAN"]
    block = clean_chain.w3.eth.block_number
    answer = api.client.put(f"/merchants/{token}/expiry-rule", json=rule, headers=api.auth("BEAN"))
    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert error["code"] == "INVALID_EXPIRY_RULE"
    assert says in error["message"] and '"roundingMonths": 3' in error["message"]
    assert clean_chain.w3.eth.block_number == block
    assert clean_chain.platform.points_token(token).functions.expiryRule().call() == [0, 0]


def test_each_rule_change_and_refusal_is_in_the_operation_log(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["FRESH"]
    path = f"/merchants/{token}/expiry-rule"
    ok = api.client.put(
        path, json={"validityMonths": 6, "roundingMonths": 6}, headers=api.auth("FRESH")
    )
    assert ok.status_code == 200, ok.text
    bad = api.client.put(
        path, json={"validityMonths": 6, "roundingMonths": 5}, headers=api.auth("FRESH")
    )
    assert bad.status_code == 400
    log = api.client.get(f"/merchants/{token}/oplog", headers=api.auth("FRESH"))
    assert log.status_code == 200, log.text
    entries = [e for e in log.json()["entries"] if e["action"] == "expiry-rule"]
    assert [e["result"]["status"] for e in entries] == ["ok", "refused"]
    assert entries[0]["result"]["tx_hash"] == ok.json()["txHash"]
    assert entries[1]["result"]["code"] == "INVALID_EXPIRY_RULE"
