"""The merchant SDK in one run: link CRM members to wallets, issue points by member id, upload a
bulk issuance file and wait for it, and receive the webhooks that follow, each one checked with
``verify_signature`` before it is believed.

Against the demo (``./scripts/run.sh``), with a key of SKYM's that may issue, read and manage
webhooks (``source scripts/env.sh`` first):

    tongdui merchant-key create SKYM --scopes issue,read,webhooks
    python sdk/examples/merchant_quickstart.py --key tdk_… --symbol SKYM

Each run uses new member ids and idempotency keys, so it can be run again. The functions are
the steps a merchant's own code would take; tests/backend/test_sdk_merchant.py runs them, and
``main``, against a real ``tongdui up``.
"""

from __future__ import annotations

import argparse
import io
import json
import secrets
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import httpx
from tongdui_merchant_client import AuthenticatedClient
from tongdui_merchant_client.api.merchant_api_members_and_bulk import (
    bulk_progress,
    bulk_rows,
    issue_to_member,
    link_member,
    upload_bulk,
)
from tongdui_merchant_client.api.merchant_webhooks import create_endpoint
from tongdui_merchant_client.api.merchants import list_merchants
from tongdui_merchant_client.models import (
    BulkProgress,
    BulkRowPage,
    BulkRowResult,
    EndpointRequest,
    EndpointWithSecret,
    Error,
    MemberIssueRequest,
    MemberLinked,
    MemberLinkRequest,
    MemberPointsTx,
    MerchantList,
)
from tongdui_merchant_client.types import File
from tongdui_merchant_client_extras import (
    SIGNATURE_HEADER,
    WebhookSignatureError,
    verify_signature,
)

Answer = TypeVar("Answer")


class ApiError(Exception):
    """The API refused a call: ``code`` is its stable error code (README, error codes)."""

    def __init__(self, what: str, error: Error | None) -> None:
        self.code = error.code if error else "UNEXPECTED_ANSWER"
        reason = f"{error.code}: {error.message}" if error else "an answer the SDK does not know"
        super().__init__(f"{what}: {reason}")


def expect(answer: Answer | Error | None, kind: type[Answer], what: str) -> Answer:
    """The generated calls answer the success model, the ``Error`` body, or None (a status
    the document does not list); this turns the last two into an ``ApiError``."""
    if isinstance(answer, kind):
        return answer
    raise ApiError(what, answer if isinstance(answer, Error) else None)


def merchant_token(client: AuthenticatedClient, symbol: str) -> str:
    """The merchant's points token address (the API's ``{token}``) from its symbol."""
    listed = expect(list_merchants.sync(client=client), MerchantList, "list merchants")
    for merchant in listed.merchants:
        if merchant.symbol.upper() == symbol.upper():
            return merchant.token
    raise SystemExit(f"no merchant {symbol}: GET /merchants lists them")


def link_members(client: AuthenticatedClient, token: str, members: Mapping[str, str]) -> None:
    """Links each CRM member id to its wallet address (the server keeps a keyed hash)."""
    for member_id, address in members.items():
        body = MemberLinkRequest(member_id=member_id, address=address)
        expect(link_member.sync(token, client=client, body=body), MemberLinked, "link")


def issue_points(
    client: AuthenticatedClient, token: str, member_id: str, amount: int, key: str
) -> MemberPointsTx:
    """Issues to a member's wallet, once per ``key`` (a retry with it sends nothing twice)."""
    body = MemberIssueRequest(member_id=member_id, amount=amount)
    answer = issue_to_member.sync(token, client=client, body=body, idempotency_key=key)
    return expect(answer, MemberPointsTx, "issue to a member")


def bulk_file(rows: list[tuple[str, int, str]]) -> bytes:
    """A CSV bulk file of (member id, amount, idempotency key) rows."""
    lines = ["member_id,amount,idempotency_key", *(f"{m},{n},{k}" for m, n, k in rows)]
    return ("\n".join(lines) + "\n").encode()


def upload(client: AuthenticatedClient, token: str, data: bytes, key: str) -> BulkProgress:
    """Uploads a bulk file; the server checks every row before it issues any."""
    payload = File(payload=io.BytesIO(data), file_name="bulk.csv", mime_type="text/csv")
    answer = upload_bulk.sync(token, client=client, body=payload, idempotency_key=key)
    return expect(answer, BulkProgress, "upload the bulk file")


def wait_for_bulk(
    client: AuthenticatedClient, token: str, job_id: int, timeout: float = 120
) -> BulkProgress:
    """Polls the job until every row is issued or failed."""
    deadline = time.monotonic() + timeout
    while True:
        answer = bulk_progress.sync(token, job_id, client=client)
        progress = expect(answer, BulkProgress, "read the job's progress")
        if progress.state == "done":
            return progress
        if time.monotonic() > deadline:
            raise TimeoutError(f"bulk job {job_id} not done in {timeout} s: {progress}")
        time.sleep(0.5)


def bulk_results(client: AuthenticatedClient, token: str, job_id: int) -> list[BulkRowResult]:
    """Every row's result (state, transaction, block, error), page by page."""
    rows: list[BulkRowResult] = []
    while True:
        answer = bulk_rows.sync(token, job_id, client=client, offset=len(rows), limit=1000)
        page = expect(answer, BulkRowPage, "read the job's rows")
        rows.extend(page.rows)
        if not page.rows or len(rows) >= page.total:
            return rows


def register_webhook(client: AuthenticatedClient, token: str, url: str) -> EndpointWithSecret:
    """An endpoint for ``points.issued``; the answer carries its secret, this once only."""
    body = EndpointRequest(url=url, event_types=["points.issued"])
    answer = create_endpoint.sync(token, client=client, body=body)
    return expect(answer, EndpointWithSecret, "register the webhook endpoint")


@dataclass
class WebhookReceiver:
    """A tiny receiver: answers 400 to a delivery whose signature fails, 200 to the rest, and
    keeps each verified event once (deliveries are at least once: a repeat id is dropped)."""

    secret: str = ""
    tolerance: int = 300
    events: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    port: int = 0
    _seen: set[str] = field(default_factory=set)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tongdui-webhooks"

    def receive(self, signature: str, body: bytes) -> int:
        """The status to answer one delivery with: its ``Tongdui-Signature`` header and raw
        body. The body is parsed only once the signature holds."""
        try:
            verify_signature(self.secret, signature, body, self.tolerance)
        except WebhookSignatureError as refused:
            self.rejected.append(str(refused))
            return 400
        event = json.loads(body)
        with self._arrived:
            if event["id"] not in self._seen:
                self._seen.add(event["id"])
                self.events.append(event)
                self._arrived.notify_all()
        return 200

    def wait_for(self, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        """The first ``count`` verified events, waiting for them as long as ``timeout``."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.events) >= count, timeout):
                raise TimeoutError(f"{len(self.events)} of {count} webhooks in {timeout} s")
            return self.events[:count]


@contextmanager
def serving(receiver: WebhookReceiver) -> Iterator[WebhookReceiver]:
    """Runs the receiver on a free loopback port until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            signature = self.headers.get(SIGNATURE_HEADER, "")  # names match in any case
            self.send_response(receiver.receive(signature, body))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def random_address() -> str:
    """A fresh wallet address for the demo's members (a real CRM has its customers')."""
    return "0x" + secrets.token_hex(20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the API's base URL")
    parser.add_argument("--key", required=True, help="a merchant API key (issue, read, webhooks)")
    parser.add_argument("--symbol", default="SKYM", help="the merchant's symbol")
    parser.add_argument("--members", type=int, default=3, help="members in the bulk file")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for each step")
    args = parser.parse_args(argv)
    run = secrets.token_hex(4)  # new member ids and keys each run
    members = {f"QS-{run}-{n}": random_address() for n in range(1, args.members + 1)}
    first = next(iter(members))

    with (
        AuthenticatedClient(base_url=args.api, token=args.key, timeout=httpx.Timeout(60)) as client,
        serving(WebhookReceiver()) as receiver,
    ):
        token = merchant_token(client, args.symbol)
        endpoint = register_webhook(client, token, receiver.url)
        receiver.secret = endpoint.secret
        print(f"webhook endpoint {endpoint.endpoint.id} -> {receiver.url}")

        link_members(client, token, members)
        print(f"linked {len(members)} members of {args.symbol}")

        issued = issue_points(client, token, first, 100, key=f"qs-{run}-single")
        print(f"issued 100 to {first}: {issued.tx_hash} ({issued.status})")

        rows = [(m, 10 * n, f"qs-{run}-bulk-{n}") for n, m in enumerate(members, start=1)]
        job = upload(client, token, bulk_file(rows), key=f"qs-{run}-upload")
        done = wait_for_bulk(client, token, job.job_id, args.timeout)
        print(f"bulk job {done.job_id}: {done.issued} issued, {done.failed} failed")
        for row in bulk_results(client, token, done.job_id):
            print(f"  line {row.line}: {row.state} {row.amount} -> {row.address} {row.tx_hash}")

        events = receiver.wait_for(1 + len(rows), args.timeout)
        for event in events:
            print(f"webhook {event['type']} {event['id']}: {event['data']['amount']} (verified)")
        if receiver.rejected:
            print(f"refused {len(receiver.rejected)} deliveries: {receiver.rejected}")
    return 0 if done.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
