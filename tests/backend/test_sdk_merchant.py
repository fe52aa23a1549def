"""The merchant SDK against a real server: ``tongdui up --rpc`` (API, indexer, webhook delivery,
bulk loop) as its own process on the test anvil, driven by the generated client the way a
merchant's code would: link members, issue by member id (once per idempotency key), bulk-issue
files (CSV by member id, JSON by address) and read their rows; the quickstart example runs end
to end; and a delivery the server really sent passes ``verify_signature`` while its forged,
re-keyed and replayed copies fail, at the function and at the example's receiver."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from tongdui_merchant_client import AuthenticatedClient
from tongdui_merchant_client.api.merchant_api import get_key
from tongdui_merchant_client.api.merchant_api_members_and_bulk import upload_bulk
from tongdui_merchant_client.models import BulkProgress, KeyInfo
from tongdui_merchant_client.types import File
from tongdui_merchant_client_extras import (
    SIGNATURE_HEADER,
    WebhookSignatureError,
    verify_signature,
)
from web3 import Web3

from tests.backend.api_support import MERCHANT_ADMIN_KEYS
from tests.backend.webhook_support import Receiver
from tests.chains import TestChain, free_port
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.core.db import transaction
from tongdui.merchant.keys import create_api_key
from tongdui.services import Services

TONGDUI = str(Path(sys.executable).parent / "tongdui")
EXAMPLE = Path(__file__).resolve().parents[2] / "sdk" / "examples" / "merchant_quickstart.py"


def load_example() -> ModuleType:
    """sdk/examples/merchant_quickstart.py as a module (it is a script, not in a package)."""
    spec = importlib.util.spec_from_file_location("merchant_quickstart", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


quickstart = load_example()


@dataclass
class Server:
    url: str
    key: str  # SKYM's API key: issue, read, webhooks
    token: str
    chain: TestChain

    def client(self) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=self.url, token=self.key, timeout=httpx.Timeout(60))

    def points(self, holder: str) -> int:
        token = self.chain.platform.points_token(self.token)
        return int(token.functions.balanceOf(Web3.to_checksum_address(holder)).call())


@pytest.fixture
def server(
    settings: Settings, services: Services, clean_chain: TestChain, tmp_path: Path
) -> Iterator[Server]:
    """``tongdui up --rpc`` on the test chain and the test's data folder, as an operator runs
    it against a consortium node; stopped with Ctrl-C (SIGINT) after the test."""
    token = clean_chain.tokens["SKYM"]
    with transaction(services.sessions) as session:
        key = create_api_key(session, token, ["issue", "read", "webhooks"], label="sdk test")
    port = free_port()
    env = dict(
        os.environ,
        TONGDUI_MERCHANT_KEYS=",".join(MERCHANT_ADMIN_KEYS.values()),
        TONGDUI_RELAYER_KEYS=",".join(ANVIL_KEYS[8:10]),
        TONGDUI_POLL_INTERVAL="0.1",
    )
    log_path = tmp_path / "up.log"
    command = [TONGDUI, "up", "--rpc", clean_chain.url, "--data-dir", str(settings.data_dir)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            try:
                health = httpx.get(f"{url}/health", timeout=2).json()
                if health.get("indexer", {}).get("lagBlocks", 99) <= 2:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        yield Server(url, key, token, clean_chain)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_generated_client_links_members_issues_by_member_id_and_bulk_issues(
    server: Server,
) -> None:
    alice, bob = quickstart.random_address(), quickstart.random_address()
    with server.client() as client:
        key_info = quickstart.expect(get_key.sync(server.token, client=client), KeyInfo, "key")
        assert (key_info.symbol, sorted(key_info.scopes)) == ("SKYM", ["issue", "read", "webhooks"])
        quickstart.link_members(client, server.token, {"VIP-A": alice, "VIP-B": bob})

        issued = quickstart.issue_points(client, server.token, "VIP-A", 25, key="once")
        assert (issued.status, issued.amount) == ("mined", 25)
        assert issued.holder == Web3.to_checksum_address(alice)
        again = quickstart.issue_points(client, server.token, "VIP-A", 25, key="once")
        assert again.tx_hash == issued.tx_hash
        assert server.points(alice) == 25
        with pytest.raises(quickstart.ApiError) as unlinked:
            quickstart.issue_points(client, server.token, "VIP-NOBODY", 5, key="nobody")
        assert unlinked.value.code == "MEMBER_NOT_LINKED"

        rows = [("VIP-A", 10, "bulk-1"), ("VIP-B", 20, "bulk-2"), ("VIP-B", 30, "bulk-3")]
        job = quickstart.upload(client, server.token, quickstart.bulk_file(rows), key="up-1")
        assert (job.total, job.skipped) == (3, 0)
        done = quickstart.wait_for_bulk(client, server.token, job.job_id, timeout=60)
        assert (done.issued, done.failed, done.pending) == (3, 0, 0)
        results = quickstart.bulk_results(client, server.token, job.job_id)
        assert [(r.idempotency_key, r.state, r.amount) for r in results] == [
            ("bulk-1", "issued", 10),
            ("bulk-2", "issued", 20),
            ("bulk-3", "issued", 30),
        ]
        assert all(isinstance(r.block_number, int) and r.tx_hash for r in results)
        assert (server.points(alice), server.points(bob)) == (35, 50)

        carol = quickstart.random_address()
        as_json = json.dumps([{"address": carol, "amount": 5, "idempotency_key": "json-1"}])
        payload = File(payload=io.BytesIO(as_json.encode()), file_name="bulk.json")
        answer = upload_bulk.sync(
            server.token, client=client, body=payload, format_="json", idempotency_key="up-json"
        )
        json_job = quickstart.expect(answer, BulkProgress, "upload JSON")
        quickstart.wait_for_bulk(client, server.token, json_job.job_id, timeout=60)
        assert server.points(carol) == 5

        again_job = quickstart.upload(client, server.token, quickstart.bulk_file(rows), "up-2")
        assert (again_job.total, again_job.skipped) == (0, 3)
        with pytest.raises(quickstart.ApiError) as invalid:
            quickstart.upload(client, server.token, quickstart.bulk_file([("", 0, "x")]), "up-3")
        assert invalid.value.code == "BULK_FILE_INVALID"
    assert (server.points(alice), server.points(bob)) == (35, 50)


def test_the_quickstart_example_runs_and_its_receiver_verifies_every_webhook(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--api", server.url, "--key", server.key, "--members", "2", "--timeout", "60"]
    assert quickstart.main(argv) == 0
    out = capsys.readouterr().out
    assert "linked 2 members of SKYM" in out
    assert "bulk job" in out and "2 issued, 0 failed" in out
    assert out.count("webhook points.issued") == 3, out  # one single issue, two bulk rows
    assert out.count("(verified)") == 3 and "refused" not in out


def test_a_real_delivery_verifies_and_its_forged_rekeyed_and_replayed_copies_do_not(
    server: Server,
) -> None:
    recorder = Receiver()  # keeps each delivery's raw headers and body
    try:
        with server.client() as client:
            endpoint = quickstart.register_webhook(client, server.token, recorder.url)
            member = quickstart.random_address()
            quickstart.link_members(client, server.token, {"VIP-HOOK": member})
            quickstart.issue_points(client, server.token, "VIP-HOOK", 7, key="hook")
        deadline = time.monotonic() + 60
        while not recorder.received:
            assert time.monotonic() < deadline, "no webhook delivered in 60 s"
            time.sleep(0.2)
    finally:
        recorder.down()
    headers, body = recorder.received[0]
    signature = next(v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower())
    secret = endpoint.secret
    signed_at = verify_signature(secret, signature, body)
    assert abs(signed_at - time.time()) < 120

    forged = body.replace(b'"7"', b'"7000"')
    assert forged != body
    for bad_secret, bad_body, now in (
        (secret, forged, None),
        ("whsec_" + "0" * 43, body, None),
        (secret, body, signed_at + 301),  # the same delivery replayed 5 minutes later
    ):
        with pytest.raises(WebhookSignatureError):
            verify_signature(bad_secret, signature, bad_body, now=now)

    post = {"headers": {SIGNATURE_HEADER: signature}, "timeout": 10}
    receiver = quickstart.WebhookReceiver(secret=secret)
    with quickstart.serving(receiver):
        assert httpx.post(receiver.url, content=forged, **post).status_code == 400
        assert httpx.post(receiver.url, content=body, **post).status_code == 200
        assert httpx.post(receiver.url, content=body, **post).status_code == 200  # a repeat
    assert [e["data"]["amount"] for e in receiver.events] == ["7"]  # the repeat was dropped
    assert len(receiver.rejected) == 1

    while time.time() < signed_at + 2:
        time.sleep(0.1)
    for late_or_rekeyed in (
        quickstart.WebhookReceiver(secret=secret, tolerance=1),  # the delivery, replayed late
        quickstart.WebhookReceiver(secret="whsec_" + "0" * 43),
    ):
        with quickstart.serving(late_or_rekeyed):
            assert httpx.post(late_or_rekeyed.url, content=body, **post).status_code == 400
        assert late_or_rekeyed.events == [] and len(late_or_rekeyed.rejected) == 1
