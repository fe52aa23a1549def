"""The relay benchmark's options and request shapes (benchmarks/relay.py, relay_load.py,
plain_http.py), without a chain or a server: layouts and submit modes parse as documented, a
bulk run posts the same orders in chunks and counts each result, and the plain HTTP ceiling's
app answers an order with 202 and nothing else."""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from benchmarks.plain_app import app
from benchmarks.plain_http import sample_bodies
from benchmarks.relay import RelayLayout, RelayOptions
from benchmarks.relay_load import accepted_hashes, order_requests, post_all


def test_quick_mode_measures_only_todays_run_and_its_ceiling() -> None:
    options = RelayOptions.defaults(quick=True)
    assert [layout.name for layout in options.layouts] == ["sqlite"]
    assert options.submits == ["single"]
    assert (options.orders, options.clients, options.ceiling) == (500, 16, True)


def test_layouts_name_the_database_and_the_api_processes() -> None:
    options = RelayOptions.chosen(False, "sqlite, postgres-1,postgres-3", "bulk", 2_000, 32, 250)
    assert [(x.name, x.postgres, x.api_processes) for x in options.layouts] == [
        ("sqlite", False, 1),
        ("postgres-1", True, 1),
        ("postgres-3", True, 3),
    ]
    assert (options.submits, options.orders, options.clients, options.bulk_size) == (
        ["bulk"],
        2_000,
        32,
        250,
    )


@pytest.mark.parametrize("name", ["pg2", "postgres-0", "postgres", "sqlite-2", ""])
def test_an_unknown_layout_is_refused_with_the_names_to_choose(name: str) -> None:
    with pytest.raises(ValueError, match="choose sqlite or postgres-N"):
        RelayLayout.parse(name)


def test_an_unknown_submit_mode_or_an_oversized_bulk_is_refused() -> None:
    with pytest.raises(ValueError, match="choose from single, bulk"):
        RelayOptions.chosen(True, submits="batch")
    with pytest.raises(ValueError, match="1 to 500"):
        RelayOptions.chosen(True, bulk_size=501)


def _bodies(count: int) -> list[dict[str, str]]:
    return [{"owner": f"0x{i % 3:040x}", "nonce": str(i)} for i in range(count)]


def test_bulk_submission_posts_every_order_once_in_chunks_with_their_owners() -> None:
    bodies = _bodies(250)
    requests, owners = order_requests(bodies, 100)
    assert [path for path, _ in requests] == ["/orders/bulk"] * 3
    posted = [order for _, body in requests for order in json.loads(body)["orders"]]
    assert posted == bodies
    assert [len(chunk) for chunk in owners] == [100, 100, 50]
    assert owners[2][0] == bodies[200]["owner"]


def test_single_submission_posts_one_order_per_request() -> None:
    requests, owners = order_requests(_bodies(3), 0)
    assert [(path, json.loads(body)["nonce"]) for path, body in requests] == [
        ("/orders", "0"),
        ("/orders", "1"),
        ("/orders", "2"),
    ]
    assert owners == [[f"0x{i:040x}"] for i in range(3)]


def test_a_bulk_answer_counts_each_stored_order_and_names_each_refused_one() -> None:
    answer = {
        "results": [
            {"index": 0, "status": 202, "orderHash": "0xa"},
            {"index": 1, "status": 400, "orderHash": None, "error": {"code": "ORDER_EXPIRED"}},
            {"index": 2, "status": 200, "orderHash": "0xc"},
        ]
    }
    got = accepted_hashes("/orders/bulk", 200, answer)
    assert got[0] == (0, "0xa") and got[2] == (2, "0xc")
    assert isinstance(got[1], str) and "ORDER_EXPIRED" in got[1]
    assert accepted_hashes("/orders/bulk", 413, {"code": "TOO_MANY_ORDERS"})[0] == (
        "bulk 413 {'code': 'TOO_MANY_ORDERS'}"
    )
    assert accepted_hashes("/orders", 202, {"orderHash": "0xd"}) == [(0, "0xd")]


def test_the_plain_ceiling_app_answers_an_order_with_202_and_the_order() -> None:
    body = sample_bodies(1)[0]
    order = json.loads(body)
    assert set(order) == {
        "owner",
        "fromToken",
        "toToken",
        "amountIn",
        "minAmountOut",
        "nonce",
        "deadline",
        "counter",
        "signature",
    }
    assert len(order["signature"]) == 2 + 65 * 2
    with TestClient(app) as client:
        answer = client.post("/orders", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 202
    assert answer.json() == order


class _SlowJson(BaseHTTPRequestHandler):
    """Answers every POST with ``{}`` after ``delay`` seconds."""

    delay = 0.0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(self.delay)
        self.send_response(202)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_: object) -> None:
        pass


def _post_at_a_fixed_rate(delay: float, clients: int) -> tuple[list[float], float]:
    """(each request's ``sent`` time in index order, the latest lateness) of 10 requests
    offered 20 ms apart to a server that answers after ``delay``."""
    handler = type("Handler", (_SlowJson,), {"delay": delay})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sent: dict[int, float] = {}
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        requests = [("/orders", b"{}")] * 10
        _, late = post_all(url, requests, clients, lambda i, at, *_: sent.update({i: at}), 0.02)
    finally:
        server.shutdown()
        server.server_close()
    return [sent[i] for i in range(10)], late


def test_orders_offered_at_a_fixed_rate_count_their_latency_from_when_each_was_due() -> None:
    sent, _ = _post_at_a_fixed_rate(delay=0.0, clients=4)
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert gaps == pytest.approx([0.02] * 9, abs=1e-9)


def test_a_server_slower_than_the_rate_is_charged_for_the_wait_it_caused() -> None:
    # one client and answers 5× slower than the arrivals: each request goes out late, yet its
    # latency still counts from when it was due (no coordinated omission)
    sent, late = _post_at_a_fixed_rate(delay=0.1, clients=1)
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert gaps == pytest.approx([0.02] * 9, abs=1e-9)
    assert late > 0.5  # the 10th was due at 0.18 s and went out after nine 0.1 s answers


def test_a_rate_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="above 0"):
        RelayOptions.chosen(True, rate=0)
