"""The flows that matter, end to end on a 4-sealer geth Clique network with 1 s blocks: swap,
a batch with bad orders mixed in, gift, cancel, merchant issue and redeem, statements, audit
(on a member's node and on two auditors' nodes, which must agree)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from typer.testing import CliRunner
from web3 import HTTPProvider, Web3
from web3.logs import DISCARD

from tests.backend.api_support import live_api, make_keys
from tests.backend.relayer_helpers import (
    address,
    api,
    drain,
    http_server,
    make_relayer,
    order_body,
    user_sends,
)
from tongdui.chain.eip712 import Domain, SwapOrder, sign_order
from tongdui.chain.transactions import Signer, wait_for
from tongdui.cli import app
from tongdui.client import TongduiClient
from tongdui.core.config import ANVIL_KEYS
from tongdui.indexer.follower import Indexer
from tongdui.merchant.consent import sign_typed_data
from tongdui.network.genesis import BLOCK_GAS_LIMIT
from tongdui.services import Services

from .conftest import NetworkChain, network_settings_for

DRAIN_TIMEOUT = 90.0


def on_node(url: str) -> Web3:
    return Web3(HTTPProvider(url, request_kwargs={"timeout": 10}))


def wait_until_block(w3: Web3, block: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while w3.eth.block_number < block:
        assert time.monotonic() < deadline, f"{w3.provider} did not reach block {block}"
        time.sleep(0.2)


def test_the_network_has_four_sealing_members_and_two_auditors_all_peered(
    network_chain: NetworkChain,
) -> None:
    # peering and catching up settle within seconds of the start: poll, then assert
    deadline = time.monotonic() + 30
    rows = network_chain.network.status()
    while not all(r.running and r.peers == 5 and (r.lag or 0) <= 2 for r in rows):
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
        rows = network_chain.network.status()
    assert [r.role for r in rows] == ["sealer"] * 4 + ["auditor"] * 2
    assert all(r.running and r.peers == 5 and (r.lag or 0) <= 2 for r in rows), rows
    assert [r.sealing for r in rows] == [True] * 4 + [False] * 2
    # Blocks come from several sealers, not one: Clique's turns (and out-of-turn blocks).
    w3 = on_node(network_chain.url)
    head = w3.eth.block_number
    signers = {
        w3.provider.make_request("clique_getSigner", [hex(n)])["result"]  # type: ignore[arg-type]
        for n in range(max(1, head - 11), head + 1)
    }
    assert len(signers) >= 3


def test_a_relayed_swap_settles_and_an_auditors_node_sees_the_same_balance(
    network_chain: NetworkChain, services: Services
) -> None:
    client = api(services)
    user = address(network_chain.user_keys[0])
    bean = network_chain.platform.points_token(network_chain.tokens["BEAN"])
    before = bean.functions.balanceOf(user).call()
    answer = client.post("/orders", json=order_body(network_chain, services, amount=1_000))
    assert answer.status_code == 202, answer.text
    drain(make_relayer(services), timeout=DRAIN_TIMEOUT)
    final = client.get(f"/orders/{answer.json()['orderHash']}").json()
    assert final["state"] == "settled", final["reason"]
    assert final["amountOut"] == 99 and final["blockNumber"]
    auditor = on_node(network_chain.info.auditors[0].rpc_url)
    wait_until_block(auditor, final["blockNumber"])
    token = auditor.eth.contract(address=bean.address, abi=bean.abi)
    assert token.functions.balanceOf(user).call(block_identifier=final["blockNumber"]) == (
        before + 99
    )


def test_a_batch_with_a_bad_order_mixed_in_settles_the_good_ones_and_rejects_the_bad_one(
    network_chain: NetworkChain, services: Services
) -> None:
    # A fresh user with 10 000 SKYM signs an order for 8 000, then moves 5 000 away.
    spender = Account.create()
    merchant = Signer(network_chain.w3, ANVIL_KEYS[4])  # SKYM's admin
    sky = network_chain.platform.points_token(network_chain.tokens["SKYM"])
    wait_for(network_chain.w3, [merchant.transact(sky.functions.issue(spender.address, 10_000))])
    client = api(services)
    bodies = [order_body(network_chain, services, amount=100 + i) for i in range(3)]
    bodies.append(order_body(network_chain, services, key=spender.key.hex(), amount=8_000))
    hashes = [client.post("/orders", json=b).json()["orderHash"] for b in bodies]
    user_sends(
        network_chain,
        spender.key.hex(),
        sky.functions.transfer(address(network_chain.user_keys[1]), 5_000),
    )
    drain(make_relayer(services), timeout=DRAIN_TIMEOUT)
    finals = [client.get(f"/orders/{h}").json() for h in hashes]
    assert [f["state"] for f in finals] == ["settled"] * 3 + ["rejected"]
    assert finals[3]["reason"]["code"] == "ERC20_INSUFFICIENT_BALANCE"
    assert finals[3]["blockNumber"] and finals[3]["amountOut"] is None
    assert sky.functions.balanceOf(spender.address).call() == 5_000  # nothing taken


@pytest.fixture
def tongdui(services: Services) -> Iterator[TongduiClient]:
    with http_server(services) as url, TongduiClient(url) as client:
        yield client


def test_a_gift_and_a_cancellation_are_relayed_on_the_network(
    network_chain: NetworkChain, services: Services, tongdui: TongduiClient
) -> None:
    giver, friend = network_chain.user_keys[0], Account.create().address
    gift = tongdui.gift(giver, network_chain.tokens["SKYM"], friend, 321)
    nonce = int(time.time() * 1000) % 2**40
    http = api(services)
    doomed = http.post("/orders", json=order_body(network_chain, services, nonce=nonce)).json()
    [cancel] = tongdui.cancel(giver, [nonce])
    assert cancel["cancelledOrders"] == [doomed["orderHash"]]
    drain(make_relayer(services), timeout=DRAIN_TIMEOUT)
    assert tongdui.gift_status(gift["requestHash"])["state"] == "done"
    assert tongdui.cancellation(cancel["requestHash"])["state"] == "done"
    sky = network_chain.platform.points_token(network_chain.tokens["SKYM"])
    assert sky.functions.balanceOf(friend).call() == 321
    exchange = network_chain.platform.exchange.functions
    assert exchange.isNonceUsed(address(giver), nonce).call()


def test_a_merchant_issues_and_redeems_through_its_api_on_the_network(
    network_chain: NetworkChain, services: Services
) -> None:
    token, holder_key = network_chain.tokens["BEAN"], network_chain.user_keys[1]
    holder = address(holder_key)
    points = network_chain.platform.points_token(token).functions
    with live_api(services) as live:
        live.keys = make_keys(services, network_chain.tokens)
        issued = live.client.post(
            f"/merchants/{token}/issue",
            json={"to": holder, "amount": 40},
            headers=live.auth("BEAN"),
        )
        assert issued.status_code == 200, issued.text
        assert issued.json()["status"] == "mined"
        before = points.balanceOf(holder).call(block_identifier=issued.json()["blockNumber"])
        deadline = network_chain.w3.eth.get_block("latest")["timestamp"] + 3600
        request = live.client.get(
            f"/merchants/{token}/redemption-request",
            params={"holder": holder, "amount": 25, "deadline": deadline},
            headers=live.auth("BEAN"),
        )
        assert request.status_code == 200, request.text
        consent = {
            "holder": holder,
            "amount": 25,
            "deadline": deadline,
            "signature": sign_typed_data(holder_key, request.json()["typedData"]),
        }
        redeemed = live.client.post(
            f"/merchants/{token}/redeem", json=consent, headers=live.auth("BEAN")
        )
        assert redeemed.status_code == 200, redeemed.text
        block = redeemed.json()["blockNumber"]
    assert points.balanceOf(holder).call(block_identifier=block) == before - 25


def _audit(rpc: str, data_dir: Path, to_block: int, *extra: str) -> dict[str, object]:
    out = data_dir / f"audit-{abs(hash((rpc, extra)))}.json"
    result = CliRunner().invoke(
        app,
        [
            "audit",
            "--rpc",
            rpc,
            "--data-dir",
            str(data_dir),
            "--to-block",
            str(to_block),
            "--json",
            str(out),
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(out.read_text())
    return report


def test_audits_on_a_members_node_and_on_two_auditors_nodes_agree(
    network_chain: NetworkChain, tmp_path: Path
) -> None:
    settings = network_settings_for(network_chain, tmp_path / "data")
    urls = [network_chain.url, *(n.rpc_url for n in network_chain.info.auditors)]
    nodes = [on_node(u) for u in urls]
    to_block = min(w3.eth.block_number for w3 in nodes) - 3  # below any short reorg
    reports = [_audit(u, settings.data_dir, to_block) for u in urls]
    assert all(r["ok"] for r in reports)
    assert len({r["historyDigest"] for r in reports}) == 1
    assert len({r["reportHash"] for r in reports}) == 1
    assert reports[0]["events"]


def test_the_index_of_a_members_backend_matches_an_auditors_replay(
    network_chain: NetworkChain, services: Services
) -> None:
    indexer = Indexer(services, progress=False)
    indexer.run_once()
    checkpoint = indexer.status().indexed_block
    assert checkpoint is not None
    auditor = network_chain.info.auditors[1].rpc_url
    report = _audit(
        auditor, services.settings.data_dir, checkpoint, "--db", services.settings.database_url()
    )
    assert report["ok"] and report["database"]["ok"]  # type: ignore[index]


def test_a_statement_from_an_auditors_node_equals_the_one_from_a_members_node(
    network_chain: NetworkChain, tmp_path: Path
) -> None:
    settings = network_settings_for(network_chain, tmp_path / "data")
    head = min(
        on_node(u).eth.block_number
        for u in (network_chain.url, network_chain.info.auditors[0].rpc_url)
    )
    statements = []
    for url in (network_chain.url, network_chain.info.auditors[0].rpc_url):
        result = CliRunner().invoke(
            app,
            [
                "statement",
                "--merchant",
                "SKYM",
                "--to-block",
                str(head - 3),
                "--rpc",
                url,
                "--data-dir",
                str(settings.data_dir),
            ],
        )
        assert result.exit_code == 0, result.output
        made = json.loads(result.output)
        made.pop("generatedAt")  # when, not what
        statements.append(made)
    assert statements[0] == statements[1]
    assert statements[0]["historyDigest"].startswith("0x")


def test_a_settle_of_100_first_time_users_fits_a_third_of_a_block(
    network_chain: NetworkChain,
) -> None:
    """Cold orders (each user's first swap) are the dearest: three such batches of 100 must
    fit the 30 M block gas limit, so the relayer's largest batch never waits for a block."""
    w3, platform = network_chain.w3, network_chain.platform
    users = [Account.create() for _ in range(100)]
    merchant = Signer(w3, ANVIL_KEYS[6])  # FRESH's admin
    fresh = platform.points_token(network_chain.tokens["FRESH"])
    wait_for(
        w3, [merchant.transact(fresh.functions.issue(u.address, 500), gas=150_000) for u in users]
    )
    domain = Domain(w3.eth.chain_id, platform.exchange.address)
    deadline = w3.eth.get_block("latest")["timestamp"] + 3600
    orders, signatures = [], []
    for user in users:
        order = SwapOrder(
            user.address, fresh.address, network_chain.tokens["BEAN"], 500, 1, 7, deadline
        )
        orders.append(order.as_tuple())
        signatures.append(sign_order(user.key.hex(), domain, order))
    relayer = Signer(w3, ANVIL_KEYS[8])
    settle = platform.exchange.functions.settle(orders, signatures)
    [receipt] = wait_for(w3, [relayer.transact(settle)])
    swapped = platform.exchange.events.Swapped().process_receipt(receipt, errors=DISCARD)
    assert len(swapped) == 100
    block = w3.eth.get_block(receipt["blockNumber"])
    used, limit = receipt["gasUsed"], block["gasLimit"]
    print(f"\nsettle of 100 cold orders: {used:,} gas; block gas limit {limit:,}")
    assert 3 * used < limit == BLOCK_GAS_LIMIT
