"""Points expiry off chain (issue 16) on a real anvil of its own (its clock is moved past an
expiry boundary, which the shared session chain must never see): the audit rebuilds every
holder's buckets from events and agrees with the chain, finds a tampered bucket, the wallet
reads "expire on" dates, and statements count the points that expired in their period.

The story (built once): SKYM's rule becomes 1 month to the end of the month, BEAN's 12 months.
Alice gets 1,000 SKYM, gives Bob 300, swaps 200 to BEAN; 70 days pass; Alice gets 500 SKYM
more and gives Bob 100 (her 500 expired SKYM are swept on the way); Bob's 300 expired SKYM
stay unswept.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account

from tests.chains import TestChain, start_chain
from tongdui.audit.checks import compare_with_contracts
from tongdui.audit.dbcompare import compare_database
from tongdui.audit.run import replay_chain, run_audit
from tongdui.audit.statements import make_statement
from tongdui.chain import expiry
from tongdui.chain.deployment import save_deployment
from tongdui.chain.rpc import JsonRpc
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.indexer import Indexer
from tongdui.services import Services, build_services

from .api_support import LiveApi, live_api, make_keys
from .audit_fixtures import contracts_of
from .audit_helpers import _send_eth
from .indexer_support import issue, settle, signed_orders

DAY = 86_400


@dataclass
class Story:
    chain: TestChain
    services: Services
    api: LiveApi
    db_file: Path
    alice: str
    bob: str
    first_key: int  # Alice's first SKYM (expired)
    second_key: int  # her SKYM after the boundary
    bean_key: int
    boundary_block: int  # the last block before the clock moved


def _mine_after(chain: TestChain, seconds: int) -> None:
    chain.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def _now(chain: TestChain) -> int:
    return int(chain.w3.eth.get_block("latest")["timestamp"])


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-expiry-"))
    chain = start_chain(folder, persist=False)
    data_dir = tmp_path_factory.mktemp("expiry-index")
    save_deployment(data_dir / "deployments", chain.deployment)
    services = build_services(Settings(data_dir=data_dir, rpc_url=chain.url, poll_interval=0.05))
    try:
        with live_api(services) as api:
            api.keys = make_keys(services, chain.tokens)
            yield _tell(chain, services, api, data_dir / "tongdui.db")
    finally:
        services.engine.dispose()
        chain.anvil.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _tell(chain: TestChain, services: Services, api: LiveApi, db_file: Path) -> Story:
    w3, platform, tokens = chain.w3, chain.platform, chain.tokens
    for symbol, rule in (("SKYM", (1, 1)), ("BEAN", (12, 1))):
        answer = api.client.put(
            f"/merchants/{tokens[symbol]}/expiry-rule",
            json={"validityMonths": rule[0], "roundingMonths": rule[1]},
            headers=api.auth(symbol),
        )
        assert answer.status_code == 200 and answer.json()["status"] == "mined", answer.text
    alice_key = "0x" + "a1" * 32
    alice, bob = Account.from_key(alice_key).address, str(Account.create().address)
    wait_for(w3, [_send_eth(Signer(w3, ANVIL_KEYS[0]), alice)])
    skym = platform.points_token(tokens["SKYM"])
    me = Signer(w3, alice_key)

    issue(w3, platform, "SKYM", tokens["SKYM"], alice, 1_000)
    first_key = expiry.key_for(_now(chain), 1, 1)
    wait_for(w3, [me.transact(skym.functions.transfer(bob, 300), gas=200_000)])
    orders, signatures, _ = signed_orders(
        w3, platform, alice_key, tokens["SKYM"], tokens["BEAN"], [200]
    )
    settle(w3, platform, orders, signatures)
    bean_key = expiry.key_for(_now(chain), 12, 1)
    boundary_block = w3.eth.block_number

    _mine_after(chain, 70 * DAY)
    issue(w3, platform, "SKYM", tokens["SKYM"], alice, 500)
    second_key = expiry.key_for(_now(chain), 1, 1)
    wait_for(w3, [me.transact(skym.functions.transfer(bob, 100), gas=300_000)])
    Indexer(services, progress=False).backfill()
    return Story(
        chain, services, api, db_file, alice, bob, first_key, second_key, bean_key, boundary_block
    )


def test_the_python_twin_agrees_with_the_contracts_expiry_of_and_current_key(
    story: Story,
) -> None:
    skym = story.chain.platform.points_token(story.chain.tokens["SKYM"]).functions
    for key in (*range(1, 2_400, 7), 5_000, 65_534):  # two centuries, every month of the year
        assert skym.expiryOf(key).call() == expiry.expires_at(key), key
    assert skym.expiryOf(expiry.NEVER).call() == 2**256 - 1
    block = story.chain.w3.eth.get_block("latest")
    assert skym.currentKey().call(block_identifier=block["number"]) == expiry.key_for(
        int(block["timestamp"]), 1, 1
    )


def test_the_audit_is_clean_after_issues_swaps_gifts_and_time_passing_over_an_expiry_boundary(
    story: Story,
) -> None:
    skym = story.chain.platform.points_token(story.chain.tokens["SKYM"]).functions
    assert skym.expiredBalanceOf(story.bob).call() == 300  # expired, not swept
    assert skym.expiredBalanceOf(story.alice).call() == 0  # swept by her gift
    assert skym.balanceOf(story.alice).call() == 400
    report = run_audit(
        story.chain.url,
        contracts_of(story.chain),
        story.chain.deployment.deployment_block,
        db_url=f"sqlite:///{story.db_file}",
    )
    assert report.ok, report.text()
    assert report.canonical["eventCounts"]["PointsExpired"] == 1
    assert report.canonical["eventCounts"]["ExpiryRuleChanged"] == 2


def test_the_audit_finds_a_tampered_expiry_row_in_the_index(story: Story, tmp_path: Path) -> None:
    copy = tmp_path / "tampered.db"
    with sqlite3.connect(story.db_file) as live, sqlite3.connect(copy) as target:
        live.backup(target)  # the index is open, its last writes may be in the WAL
    with sqlite3.connect(copy) as db:
        changed = db.execute(
            "UPDATE expiry_buckets SET amount = amount + 1 WHERE holder = ? AND key = ?",
            (story.bob, story.first_key),
        ).rowcount
        assert changed == 1
    with JsonRpc(story.chain.url) as rpc:
        result = replay_chain(
            rpc, contracts_of(story.chain), story.chain.deployment.deployment_block
        )
        findings, _ = compare_database(f"sqlite:///{copy}", result, rpc)
    assert [(f.where, f.field) for f in findings] == [("db:expiry_buckets", "amount")], [
        f.line() for f in findings
    ]


def test_the_audit_finds_a_bucket_that_differs_from_the_chains(story: Story) -> None:
    contracts = contracts_of(story.chain)
    token = story.chain.tokens["SKYM"].lower()
    with JsonRpc(story.chain.url) as rpc:
        result = replay_chain(rpc, contracts, story.chain.deployment.deployment_block)
        buckets = result.replay.expiry.token(token).holders[story.bob.lower()]
        buckets[story.second_key] -= 40  # as if 40 of the second gift had another key
        buckets[story.second_key + 1] = 40
        findings, _, _ = compare_with_contracts(rpc, result.replay, contracts, result.to_block)
    wrong = {(f.where, f.field) for f in findings}
    assert wrong == {("PointsToken(SKYM).bucketsOf", "keys"), ("PointsToken(SKYM).bucketsOf",
                                                               "amounts")}, wrong  # fmt: skip


def test_an_accounts_expiry_lists_its_points_by_the_day_they_expire_earliest_first(
    story: Story,
) -> None:
    answer = story.api.client.get(f"/accounts/{story.bob}/expiry")
    assert answer.status_code == 200, answer.text
    rows = answer.json()
    assert [(r["symbol"], r["key"], r["amount"], r["expired"]) for r in rows] == [
        ("SKYM", story.first_key, 300, True),
        ("SKYM", story.second_key, 100, False),
    ]
    assert rows[0]["expiresAt"] == rows[0]["lastDay"] == expiry.last_day_iso(story.first_key)
    assert rows[0]["expiresAtTime"] == expiry.expires_at(story.first_key)

    mine = story.api.client.get(f"/accounts/{story.alice}/expiry").json()
    by_symbol = {r["symbol"]: r for r in mine}
    assert by_symbol["SKYM"]["amount"] == 400 and by_symbol["SKYM"]["soon"]
    assert by_symbol["BEAN"]["key"] == story.bean_key and not by_symbol["BEAN"]["soon"]
    assert mine[0]["symbol"] == "SKYM"  # earliest first
    soon = story.api.client.get(f"/accounts/{story.alice}/expiry", params={"soon": "true"})
    assert [r["symbol"] for r in soon.json()] == ["SKYM"]


def test_a_balance_from_the_index_leaves_out_expired_points_as_balance_of_does(
    story: Story,
) -> None:
    skym = story.chain.platform.points_token(story.chain.tokens["SKYM"]).functions
    for source in ("index", "chain"):
        answer = story.api.client.get(f"/balances/{story.bob}", params={"source": source})
        points = {b["symbol"]: b["points"] for b in answer.json()["balances"]}
        assert points == {"SKYM": skym.balanceOf(story.bob).call()} == {"SKYM": 100}, source


def test_a_statement_counts_the_points_that_expired_in_its_period_swept_or_not(
    story: Story,
) -> None:
    contracts, first = contracts_of(story.chain), story.chain.deployment.deployment_block
    head = story.chain.w3.eth.block_number
    whole = make_statement(story.chain.url, contracts, first, first, head, "SKYM")
    assert whole["figures"]["pointsExpired"] == 800  # Alice's 500 swept, Bob's 300 not
    before = make_statement(story.chain.url, contracts, first, first, story.boundary_block, "SKYM")
    assert before["figures"]["pointsExpired"] == 0
    after = make_statement(
        story.chain.url, contracts, first, story.boundary_block + 1, head, "SKYM"
    )
    assert after["figures"]["pointsExpired"] == 800
    assert whole["figures"]["reconciles"]
    served = story.api.client.get("/statements/SKYM")
    assert served.status_code == 200, served.text
    assert served.json()["figures"]["pointsExpired"] == 800
    bean = story.api.client.get("/statements/BEAN").json()
    assert bean["figures"]["pointsExpired"] == 0
