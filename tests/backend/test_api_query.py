"""Query API over a live server: balances, history and statistics after swaps, issues and a
gift (read from the indexer's tables after ``Indexer.run_once``), merchants, and quotes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from eth_account import Account

from tests.chains import TestChain
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.indexer import Indexer
from tongdui.services import Services

from .api_support import LiveApi, live_api, make_keys, settle_swaps

UNKNOWN_TOKEN = "0x000000000000000000000000000000000000dEaD"


@dataclass
class Activity:
    api: LiveApi
    chain: TestChain
    users: list[str]


@pytest.fixture
def activity(services: Services, clean_chain: TestChain) -> Iterator[Activity]:
    """User 0 swaps SKYM→BEAN and FRESH→SKYM, is issued 500 SKYM, gifts 100 SKYM to user 2;
    then the indexer catches up."""
    chain, tokens = clean_chain, clean_chain.tokens
    users = [Account.from_key(k).address for k in chain.user_keys]
    settle_swaps(
        chain.platform,
        chain.user_keys[0],
        [(tokens["SKYM"], tokens["BEAN"], 10_000), (tokens["FRESH"], tokens["SKYM"], 5_000)],
    )
    with live_api(services) as api:
        api.keys = make_keys(services, tokens)
        issued = api.client.post(
            f"/merchants/{tokens['SKYM']}/issue",
            json={"to": users[0], "amount": 500},
            headers=api.auth("SKYM"),
        )
        assert issued.status_code == 200, issued.text
        funder, user = Signer(chain.w3, ANVIL_KEYS[0]), Signer(chain.w3, chain.user_keys[0])
        raw, tx, _ = funder.sign({"to": user.address, "value": 10**18, "gas": 21_000})
        chain.w3.eth.send_raw_transaction(raw)
        wait_for(chain.w3, [tx])
        skym = chain.platform.points_token(tokens["SKYM"])
        wait_for(chain.w3, [user.transact(skym.functions.transfer(users[2], 100))])
        Indexer(services, progress=False).run_once()
        yield Activity(api, chain, users)


def test_balances_from_the_index_match_the_chain_with_their_value(activity: Activity) -> None:
    api, chain, user = activity.api, activity.chain, activity.users[0]
    answer = api.client.get(f"/balances/{user}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source"] == "index" and body["asOfBlock"] == chain.w3.eth.block_number
    by_symbol = {b["symbol"]: b for b in body["balances"]}
    for symbol, token in chain.tokens.items():
        on_chain = chain.platform.points_token(token).functions.balanceOf(user).call()
        assert by_symbol.get(symbol, {}).get("points", 0) == on_chain
    skym = by_symbol["SKYM"]
    # 50 000 − 10 000 swapped out + 498 swapped in (5 000 FRESH × 1 fen − 0.3 % = 4 985 fen,
    # 498 SKYM at 10 fen) + 500 issued − 100 gifted
    assert skym["points"] == 50_000 - 10_000 + 498 + 500 - 100
    assert skym["value"] == skym["points"] * 10
    assert skym["valueCny"] == f"{skym['value'] / 100:.2f}"
    assert body["totalValue"] == sum(b["value"] for b in body["balances"])

    live = api.client.get(f"/balances/{user}", params={"source": "chain"}).json()
    assert live["source"] == "chain"
    assert [(b["symbol"], b["points"]) for b in live["balances"]] == [
        (b["symbol"], b["points"]) for b in body["balances"]
    ]


def test_history_lists_swaps_issues_and_gifts_newest_first(activity: Activity) -> None:
    api, users = activity.api, activity.users
    items = api.client.get(f"/history/{users[0]}", params={"limit": 200}).json()["items"]
    kinds = [i["kind"] for i in items]
    assert kinds[:4] == ["transfer", "issue", "swap", "swap"]  # newest first
    assert kinds.count("issue") == 3  # SKYM and FRESH at seeding, 500 SKYM now
    gift = items[0]
    assert (gift["direction"], gift["amount"], gift["counterparty"]) == ("out", 100, users[2])
    swaps = [i["swap"] for i in items if i["kind"] == "swap"]
    assert {(s["fromSymbol"], s["toSymbol"], s["amountIn"]) for s in swaps} == {
        ("SKYM", "BEAN", 10_000),
        ("FRESH", "SKYM", 5_000),
    }
    positions = [(i["blockNumber"], i["logIndex"]) for i in items]
    assert positions == sorted(positions, reverse=True)

    received = api.client.get(f"/history/{users[2]}", params={"kind": "transfer"}).json()
    assert [(i["direction"], i["counterparty"]) for i in received["items"]] == [("in", users[0])]


def test_history_pages_with_a_cursor_cover_everything_once(activity: Activity) -> None:
    api, user = activity.api, activity.users[0]
    everything = api.client.get(f"/history/{user}", params={"limit": 200}).json()["items"]
    paged, cursor = [], None
    while True:
        params: dict[str, object] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = api.client.get(f"/history/{user}", params=params).json()
        paged += page["items"]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert paged == everything

    bad = api.client.get(f"/history/{user}", params={"cursor": "yesterday"})
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_CURSOR"


def test_statistics_count_swaps_each_way_fees_and_users(activity: Activity) -> None:
    api, tokens = activity.api, activity.chain.tokens
    skym = api.client.get(f"/merchants/{tokens['SKYM']}/stats").json()
    assert (skym["swapsOut"], skym["pointsOut"], skym["valueOut"]) == (1, 10_000, 100_000)
    assert skym["swapsIn"] == 1 and skym["pointsIn"] > 0
    assert skym["swapUsers"] == 1 and skym["pointsIssued"] == 50_500 and skym["issues"] == 2
    assert skym["feesPaid"] == 300  # 30 bps of 100 000 fen, no dust at these values

    platform = api.client.get("/stats").json()
    assert (platform["swaps"], platform["swapUsers"], platform["merchants"]) == (2, 1, 3)
    assert platform["volume"] == 100_000 + 5_000
    assert (
        platform["fees"]
        == platform["platformFees"] + platform["merchantFees"] + platform["relayerFees"]
    )

    unknown = api.client.get(f"/merchants/{UNKNOWN_TOKEN}/stats")
    assert unknown.status_code == 404 and unknown.json()["code"] == "UNKNOWN_MERCHANT"


def test_all_time_statistics_from_running_totals_equal_those_summed_over_every_swap(
    activity: Activity,
) -> None:
    """All-time figures come from the indexer's running totals; a window wider than the whole
    history sums the swaps and events themselves: both must say the same."""
    api, tokens = activity.api, activity.chain.tokens
    everything = {"since": 0, "until": 2**62}
    for path in ["/stats", *(f"/merchants/{t}/stats" for t in tokens.values())]:
        totals, summed = api.client.get(path).json(), api.client.get(path, params=everything).json()
        assert totals.pop("asOfBlock", None) == summed.pop("asOfBlock", None)
        for key in ("since", "until"):
            totals.pop(key, None), summed.pop(key, None)
        assert totals == summed, path


def test_a_merchant_lists_its_swaps_in_and_out_with_its_key(activity: Activity) -> None:
    api, tokens = activity.api, activity.chain.tokens
    answer = api.client.get(f"/merchants/{tokens['SKYM']}/swaps", headers=api.auth("SKYM:read"))
    assert answer.status_code == 200, answer.text
    assert sorted(i["direction"] for i in answer.json()["items"]) == ["in", "out"]
    only_out = api.client.get(
        f"/merchants/{tokens['SKYM']}/swaps", params={"direction": "out"}, headers=api.auth("SKYM")
    ).json()["items"]
    assert [(i["toToken"], i["amountIn"]) for i in only_out] == [(tokens["BEAN"], 10_000)]


@pytest.fixture
def api(services: Services) -> Iterator[LiveApi]:
    with live_api(services) as live:
        yield live


def test_merchants_show_point_values_status_and_funds(api: LiveApi, clean_chain: TestChain) -> None:
    answer = api.client.get("/merchants")
    assert answer.status_code == 200, answer.text
    merchants = {m["symbol"]: m for m in answer.json()["merchants"]}
    assert {s: m["pointValue"] for s, m in merchants.items()} == {
        "SKYM": 10,
        "BEAN": 100,
        "FRESH": 1,
    }
    assert merchants["SKYM"]["status"] == "active"
    assert merchants["SKYM"]["settlementBalance"] == 500_000 * 100
    assert merchants["SKYM"]["settlementBalanceCny"] == "500000.00"
    one = api.client.get(f"/merchants/{clean_chain.tokens['BEAN']}").json()
    assert one.pop("blockNumber") >= 1  # every answer names its block
    assert one == merchants["BEAN"]
    missing = api.client.get(f"/merchants/{UNKNOWN_TOKEN}")
    assert missing.status_code == 404 and missing.json()["code"] == "UNKNOWN_MERCHANT"


def test_a_quote_equals_the_exchanges_and_suggests_minimums(
    api: LiveApi, clean_chain: TestChain
) -> None:
    skym, bean = clean_chain.tokens["SKYM"], clean_chain.tokens["BEAN"]
    answer = api.client.get("/quote", params={"from": skym, "to": bean, "amount": 12_345})
    assert answer.status_code == 200, answer.text
    quote = answer.json()
    out, fee, gross = clean_chain.platform.exchange.functions.quote(skym, bean, 12_345).call()
    assert (quote["amountOut"], quote["fee"], quote["grossValue"]) == (out, fee, gross)
    assert quote["netValue"] == gross - fee and quote["feeBps"] == 30
    assert quote["grossValueCny"] == "1234.50"
    suggestions = {m["slippageBps"]: m["minAmountOut"] for m in quote["minimumReceived"]}
    assert suggestions[100] == out * 99 // 100 and all(v <= out for v in suggestions.values())


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"from": UNKNOWN_TOKEN, "to": "BEAN", "amount": 10}, 422, "UNKNOWN_MARKET"),
        ({"from": "SKYM", "to": "SKYM", "amount": 10}, 400, "SAME_TOKEN"),
        ({"from": "FRESH", "to": "BEAN", "amount": 1}, 422, "ZERO_OUTPUT"),
        ({"from": "FRESH", "to": "BEAN", "amount": 2_000_000_000}, 422, "CAP_EXCEEDED"),
        ({"from": "SKYM", "to": "BEAN", "amount": 0}, 422, "INVALID_REQUEST"),
        ({"from": "SKYM", "to": "BEAN", "amount": "ten"}, 422, "INVALID_REQUEST"),
        ({"from": "0x1234", "to": "BEAN", "amount": 10}, 422, "INVALID_REQUEST"),
        ({"from": "SKYM", "amount": 10}, 422, "INVALID_REQUEST"),
    ],
    ids=[
        "unknown token",
        "same token",
        "zero output",
        "swap in past the targets cap",
        "zero amount",
        "not a number",
        "bad address",
        "missing to",
    ],
)
def test_quote_errors_have_stable_codes(
    api: LiveApi, clean_chain: TestChain, params: dict[str, object], status: int, code: str
) -> None:
    resolved = {k: clean_chain.tokens.get(str(v), v) for k, v in params.items()}
    answer = api.client.get("/quote", params=resolved)
    assert answer.status_code == status, answer.text
    assert answer.json()["code"] == code
    assert answer.json()["message"]


def test_balances_of_an_unindexed_database_are_empty_and_say_so(
    api: LiveApi, clean_chain: TestChain
) -> None:
    user = Account.from_key(clean_chain.user_keys[0]).address
    body = api.client.get(f"/balances/{user}").json()
    assert body["balances"] == [] and body["asOfBlock"] is None
    assert api.client.get(f"/balances/{user}", params={"source": "chain"}).json()["balances"]


@pytest.mark.parametrize(
    "path",
    ["/stats?until={big}", "/stats?since=1&until={big}", "/statements?toBlock={big}"],
)
def test_numbers_beyond_the_index_range_are_refused_not_a_server_error(
    api: LiveApi, path: str
) -> None:
    """Found by schemathesis: 2^100 reached SQLite as an out-of-range integer (a 500)."""
    answer = api.client.get(path.format(big=2**100))
    assert answer.status_code == 422
    assert answer.json()["code"] == "INVALID_REQUEST"


def test_balances_and_expiry_reads_ask_the_node_for_the_block_time_once_per_block(
    activity: Activity, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 (reads stay fast under load): the block time that judges expired points came
    from ``get_block("latest")`` on every uncached read, a JSON-RPC round trip per request;
    it is remembered per head block (``query.expiry.head_time``)."""
    asked: list[object] = []
    get_block = services.w3.eth.get_block

    def counting(*args: object, **kwargs: object) -> object:
        asked.append(args[0] if args else kwargs)
        return get_block(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.w3.eth, "get_block", counting)
    for user in activity.users:  # each address once: none is in the read cache yet
        assert activity.api.client.get(f"/balances/{user}").status_code == 200
        assert activity.api.client.get(f"/accounts/{user}/expiry").status_code == 200
    assert len(asked) <= 2, asked  # one per head block (two if the head was re-read)
