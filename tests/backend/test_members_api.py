"""The member and bulk routes over a live server: link, issue by member id with an
Idempotency-Key (replayed, never sent twice; another body with the key refused), erase (then
issuing by that id is refused), and a bulk upload followed to its per-row results."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from eth_account import Account

from tests.chains import TestChain
from tongdui.api.body_limit import MAX_BODY_BYTES
from tongdui.bulk.worker import BulkWorker
from tongdui.merchant.consent import sign_typed_data
from tongdui.merchant.operators import MerchantOperators
from tongdui.services import Services

from .api_support import MERCHANT_ADMIN_KEYS, LiveApi, live_api, make_keys


@pytest.fixture
def api(services: Services, clean_chain: TestChain) -> Iterator[LiveApi]:
    with live_api(services) as live:
        live.keys = make_keys(services, clean_chain.tokens)
        yield live


def test_issue_by_member_id_with_an_idempotency_key_is_sent_once_and_replayed(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token, wallet = clean_chain.tokens["SKYM"], Account.create().address
    base = f"/merchants/{token}"
    linked = api.client.post(
        f"{base}/members", json={"memberId": "M-1", "address": wallet}, headers=api.auth("SKYM")
    )
    assert linked.status_code == 200, linked.text
    headers = {**api.auth("SKYM:issue"), "Idempotency-Key": "crm-issue-1"}
    first = api.client.post(
        f"{base}/members/issue", json={"memberId": "M-1", "amount": 40}, headers=headers
    )
    again = api.client.post(
        f"{base}/members/issue", json={"memberId": "M-1", "amount": 40}, headers=headers
    )
    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == again.json() and first.json()["holder"] == wallet
    other = api.client.post(
        f"{base}/members/issue", json={"memberId": "M-1", "amount": 41}, headers=headers
    )
    assert other.status_code == 409 and other.json()["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert clean_chain.platform.points_token(token).functions.balanceOf(wallet).call() == 40

    erased = api.client.post(
        f"{base}/members/erase", json={"memberId": "M-1"}, headers=api.auth("SKYM")
    )
    assert erased.json() == {"linksErased": 1}
    refused = api.client.post(
        f"{base}/members/issue",
        json={"memberId": "M-1", "amount": 5},
        headers=api.auth("SKYM:issue"),
    )
    assert refused.status_code == 404 and refused.json()["code"] == "MEMBER_NOT_LINKED"
    assert clean_chain.platform.points_token(token).functions.balanceOf(wallet).call() == 40


def test_a_bulk_upload_is_checked_then_issued_with_progress_and_per_row_results(
    api: LiveApi, services: Services, clean_chain: TestChain
) -> None:
    token, wallet = clean_chain.tokens["SKYM"], Account.create().address
    base = f"/merchants/{token}"
    bad = api.client.post(
        f"{base}/bulk-issues",
        content=b"address,amount,idempotency_key\n0x12,3,a\n",
        headers=api.auth("SKYM"),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "BULK_FILE_INVALID"
    assert bad.json()["details"]["errors"] == [
        {"line": 2, "field": "address", "message": "'0x12' is not a wallet address"}
    ]
    body = f"address,amount,idempotency_key\n{wallet},3,a\n{wallet},4,b\n".encode()
    uploaded = api.client.post(f"{base}/bulk-issues", content=body, headers=api.auth("SKYM"))
    assert uploaded.status_code == 200, uploaded.text
    job = uploaded.json()
    assert (job["state"], job["total"], job["pending"]) == ("running", 2, 2)

    operators = MerchantOperators(services.w3, list(MERCHANT_ADMIN_KEYS.values()))
    BulkWorker(services.platform, operators, services.sessions).run_pending_jobs()

    done = api.client.get(f"{base}/bulk-issues/{job['jobId']}", headers=api.auth("SKYM:read"))
    assert (done.json()["state"], done.json()["issued"]) == ("done", 2)
    page = api.client.get(
        f"{base}/bulk-issues/{job['jobId']}/rows",
        params={"limit": 1},
        headers=api.auth("SKYM:read"),
    ).json()
    assert page["total"] == 2 and [r["idempotencyKey"] for r in page["rows"]] == ["a"]
    download = api.client.get(
        f"{base}/bulk-issues/{job['jobId']}/rows.csv", headers=api.auth("SKYM:read")
    )
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["idempotency_key"], r["state"]) for r in rows] == [("a", "issued"), ("b", "issued")]
    assert clean_chain.platform.points_token(token).functions.balanceOf(wallet).call() == 7
    missing = api.client.get(f"{base}/bulk-issues/999", headers=api.auth("SKYM:read"))
    assert missing.status_code == 404 and missing.json()["code"] == "BULK_JOB_NOT_FOUND"


def test_an_upload_of_100_000_rows_is_taken_and_one_of_100_001_refused_saying_so(
    api: LiveApi, clean_chain: TestChain
) -> None:
    # the body limit of every other route (64 KiB) refused any file past ~900 rows
    base, wallet = f"/merchants/{clean_chain.tokens['SKYM']}", Account.create().address

    def csv_of(rows: int) -> bytes:
        lines = "".join(f"{wallet},1,key-{n:06d}\n" for n in range(rows))
        return f"address,amount,idempotency_key\n{lines}".encode()

    biggest = csv_of(100_000)
    assert len(biggest) > 80 * MAX_BODY_BYTES  # 5.6 MB
    answered: dict[str, object] = {}

    def upload() -> None:
        answered["answer"] = api.client.post(
            f"{base}/bulk-issues", content=biggest, headers=api.auth("SKYM"), timeout=600
        )

    sender = threading.Thread(target=upload)
    started = time.monotonic()
    sender.start()
    slowest = 0.0
    while sender.is_alive():  # the server answers others while it checks and stores the rows
        t = time.monotonic()
        assert api.client.get("/health").status_code in (200, 503)
        slowest = max(slowest, time.monotonic() - t)
        time.sleep(0.1)
    took = time.monotonic() - started
    taken = answered["answer"]
    assert isinstance(taken, httpx.Response) and taken.status_code == 200, taken
    job = taken.json()
    assert (job["state"], job["total"], job["pending"], job["skipped"]) == (
        "running",
        100_000,
        100_000,
        0,
    )
    assert slowest < max(1.0, took / 2), (slowest, took)

    refused = api.client.post(
        f"{base}/bulk-issues", content=csv_of(100_001), headers=api.auth("SKYM"), timeout=600
    )
    assert refused.status_code == 422 and refused.json()["code"] == "BULK_FILE_INVALID"
    assert "100,001 rows; at most 100,000: split it" in refused.json()["message"]


@pytest.mark.parametrize(("symbol", "route"), [("SKYM", "issue"), ("BEAN", "withdraw")])
def test_every_merchant_write_replays_its_answer_for_the_same_idempotency_key(
    api: LiveApi, clean_chain: TestChain, symbol: str, route: str
) -> None:
    token = clean_chain.tokens[symbol]
    body = {"to": Account.create().address, "amount": 1}
    headers = {**api.auth(symbol), "Idempotency-Key": f"retry-{route}"}
    before = clean_chain.w3.eth.block_number
    first = api.client.post(f"/merchants/{token}/{route}", json=body, headers=headers)
    again = api.client.post(f"/merchants/{token}/{route}", json=body, headers=headers)
    assert first.status_code == 200, first.text
    assert again.json() == first.json()
    assert clean_chain.w3.eth.block_number == before + 1  # one transaction, not two


def test_redeem_by_member_id_burns_the_linked_wallets_points_with_its_consent(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token, holder_key = clean_chain.tokens["SKYM"], clean_chain.user_keys[0]
    holder = Account.from_key(holder_key).address
    points = clean_chain.platform.points_token(token).functions
    before = points.balanceOf(holder).call()
    base = f"/merchants/{token}"
    api.client.post(
        f"{base}/members", json={"memberId": "M-9", "address": holder}, headers=api.auth("SKYM")
    )
    deadline = clean_chain.w3.eth.get_block("latest")["timestamp"] + 3600
    typed = api.client.get(
        f"{base}/redemption-request",
        params={"holder": holder, "amount": 300, "deadline": deadline},
        headers=api.auth("SKYM:redeem"),
    ).json()["typedData"]
    consent = {
        "memberId": "M-9",
        "amount": 300,
        "deadline": deadline,
        "signature": sign_typed_data(holder_key, typed),
    }
    answer = api.client.post(f"{base}/members/redeem", json=consent, headers=api.auth("SKYM"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["holder"] == holder
    assert points.balanceOf(holder).call() == before - 300


def test_a_write_the_contract_refuses_releases_its_idempotency_key(
    api: LiveApi, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["BEAN"]  # cap 10 000 000
    headers = {**api.auth("BEAN"), "Idempotency-Key": "too-big"}
    body = {"to": Account.create().address, "amount": 10_000_000}
    for _ in range(2):
        refused = api.client.post(f"/merchants/{token}/issue", json=body, headers=headers)
        assert refused.status_code == 422 and refused.json()["code"] == "CAP_EXCEEDED"
    fixed = api.client.post(
        f"/merchants/{token}/issue", json={**body, "amount": 5}, headers=headers
    )
    assert fixed.status_code == 200, fixed.text
