"""Bulk issuance on a real anvil: a file checked before anything is issued, rows issued exactly
once per idempotency key across uploads, and a worker stopped halfway (after some transactions
were broadcast but before their receipts were recorded, and with signed rows not yet broadcast)
resumes without issuing any row twice — a worker process killed with SIGKILL mid-chunk and
started again, and, to hit the worst moment exactly, a worker stopped in-process after 23 of a
chunk's 25 transactions were broadcast."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eth_account import Account
from hexbytes import HexBytes
from sqlalchemy import select

from tests.chains import TestChain
from tongdui.bulk.jobs import Progress, create_job, progress
from tongdui.bulk.models import FAILED, ISSUED, SENT, BulkJob, BulkRow
from tongdui.bulk.parse import BulkFileInvalidError, parse_bulk_file
from tongdui.bulk.worker import BulkWorker
from tongdui.chain.transactions import wait_for
from tongdui.members.directory import MemberDirectory
from tongdui.merchant.actions import MerchantActions
from tongdui.merchant.operators import MerchantOperators
from tongdui.services import Services

from .api_support import MERCHANT_ADMIN_KEYS

PEPPER = b"\x01" * 32
ROOT = Path(__file__).resolve().parents[2]


class Stopped(Exception):
    """The worker's process dies here."""


def operators(services: Services) -> MerchantOperators:
    return MerchantOperators(services.w3, list(MERCHANT_ADMIN_KEYS.values()))


def csv_file(rows: list[tuple[str, int, str]]) -> bytes:
    lines = ["address,amount,idempotency_key"] + [f"{a},{n},{k}" for a, n, k in rows]
    return ("\n".join(lines) + "\n").encode()


def upload(services: Services, token: str, data: bytes, fmt: str = "csv") -> int:
    with services.sessions() as session:
        members = MemberDirectory(session, PEPPER, token)
        return create_job(session, members, parse_bulk_file(data, fmt)).id


def balance(chain: TestChain, token: str, holder: str) -> int:
    return int(chain.platform.points_token(token).functions.balanceOf(holder).call())


def issue_count(chain: TestChain, token: str, holder: str, start_block: int) -> int:
    """Issue transactions to ``holder`` on chain since ``start_block`` (Transfer from zero)."""
    points = chain.platform.points_token(token)
    logs = points.events.Transfer().get_logs(
        from_block=start_block, argument_filters={"to": holder}
    )
    return sum(1 for log in logs if int(log["args"]["from"], 16) == 0)


def test_a_file_with_row_errors_is_refused_whole_with_every_error_listed(
    services: Services, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    good = Account.create().address
    data = csv_file([(good, 5, "k1"), ("0xnope", 5, "k2"), (good, -3, "k3"), (good, 1, "k1")])
    with pytest.raises(BulkFileInvalidError) as refused:
        upload(services, token, data)
    errors = refused.value.details["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [
        (3, "address"),
        (4, "amount"),
        (5, "idempotency_key"),
    ]
    with services.sessions() as session:
        assert session.scalars(select(BulkJob)).all() == []


def test_a_row_by_unlinked_member_id_refuses_the_file(
    services: Services, clean_chain: TestChain
) -> None:
    data = json.dumps([{"member_id": "VIP-0001", "amount": 5, "idempotency_key": "a"}]).encode()
    with pytest.raises(BulkFileInvalidError) as refused:
        upload(services, clean_chain.tokens["SKYM"], data, "json")
    assert refused.value.details["errors"][0]["field"] == "member_id"


def worker_process(
    services: Services, job_id: int, pause: float, log: Path
) -> subprocess.Popen[bytes]:
    """``bulk_worker_child`` on this test's database and chain, chunks of 25."""
    settings = services.settings
    args = [str(settings.data_dir), str(settings.rpc_url), str(job_id), "25", str(pause)]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.backend.bulk_worker_child", *args],
        cwd=ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def job_progress(services: Services, job_id: int) -> Progress:
    with services.sessions() as session:
        job = session.get(BulkJob, job_id)
        assert job is not None
        return progress(session, job)


def test_bulk_issuance_killed_halfway_resumes_with_no_row_issued_twice(
    services: Services, clean_chain: TestChain, tmp_path: Path
) -> None:
    token = clean_chain.tokens["SKYM"]
    holders = [Account.create().address for _ in range(12)]
    rows = [(holders[i % 12], 10 + i, f"row-{i}") for i in range(60)]
    start = clean_chain.w3.eth.block_number + 1
    job_id = upload(services, token, csv_file(rows))
    log = tmp_path / "worker.log"
    # 0.2 s after each broadcast: the second chunk takes 5 s to go out, and the kill lands in it
    child = worker_process(services, job_id, 0.2, log)
    try:
        deadline = time.monotonic() + 120
        while (p := job_progress(services, job_id)).issued < 25 or p.sent == 0:
            assert child.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the worker did not get going: {p}"
            time.sleep(0.02)
        time.sleep(1.0)  # a few of the second chunk's 25 transactions are out
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait(30)
    halfway = job_progress(services, job_id)
    mined = sum(issue_count(clean_chain, token, h, start) for h in holders)
    # chunk 1 issued; chunk 2 signed and written ahead, partly broadcast, none recorded
    assert (halfway.issued, halfway.sent, halfway.pending) == (25, 25, 10)
    assert 25 < mined < 50, mined

    restarted = worker_process(services, job_id, 0, log)
    assert restarted.wait(180) == 0, log.read_text()

    done = job_progress(services, job_id)
    assert (done.state, done.issued, done.sent, done.pending, done.failed) == ("done", 60, 0, 0, 0)
    for holder in holders:
        expected = sum(amount for address, amount, _ in rows if address == holder)
        assert balance(clean_chain, token, holder) == expected
        assert issue_count(clean_chain, token, holder, start) == 5


def test_a_worker_stopped_after_broadcasting_23_of_25_resumes_with_no_row_issued_twice(
    services: Services, clean_chain: TestChain
) -> None:
    token = clean_chain.tokens["SKYM"]
    holders = [Account.create().address for _ in range(12)]
    rows = [(holders[i % 12], 10 + i, f"row-{i}") for i in range(60)]
    start = clean_chain.w3.eth.block_number + 1
    job_id = upload(services, token, csv_file(rows))
    broadcast: list[int] = []

    def die_after_23(row_id: int) -> None:
        broadcast.append(row_id)
        if len(broadcast) == 23:
            raise Stopped

    with pytest.raises(Stopped):
        BulkWorker(services.platform, operators(services), services.sessions, 25, die_after_23).run(
            job_id
        )
    with services.sessions() as session:
        job = session.get(BulkJob, job_id)
        assert job is not None
        halfway = progress(session, job)
    # the first chunk of 25 is signed and written ahead; 23 are out, 2 never left
    assert halfway.sent == 25 and halfway.issued == 0 and halfway.pending == 35

    BulkWorker(services.platform, operators(services), services.sessions, 25).run(job_id)

    with services.sessions() as session:
        job = session.get(BulkJob, job_id)
        assert job is not None
        done = progress(session, job)
        hashes = list(session.scalars(select(BulkRow.tx_hash).where(BulkRow.job_id == job_id)))
    assert (done.state, done.issued, done.sent, done.pending, done.failed) == ("done", 60, 0, 0, 0)
    assert len(set(hashes)) == 60
    for n, holder in enumerate(holders):
        expected = sum(amount for address, amount, _ in rows if address == holder)
        assert balance(clean_chain, token, holder) == expected, n
        assert issue_count(clean_chain, token, holder, start) == 5


def test_a_key_already_used_in_an_earlier_upload_is_skipped_not_issued_again(
    services: Services, clean_chain: TestChain
) -> None:
    token, holder = clean_chain.tokens["SKYM"], Account.create().address
    worker = BulkWorker(services.platform, operators(services), services.sessions)
    worker.run(upload(services, token, csv_file([(holder, 7, "once"), (holder, 8, "a")])))
    again = upload(services, token, csv_file([(holder, 7, "once"), (holder, 9, "b")]))
    worker.run_pending_jobs()
    with services.sessions() as session:
        job = session.get(BulkJob, again)
        assert job is not None
        assert (job.total, job.skipped) == (1, 1)
    assert balance(clean_chain, token, holder) == 7 + 8 + 9


def test_a_row_the_contract_refuses_fails_with_its_code_and_the_rest_issue(
    services: Services, clean_chain: TestChain
) -> None:
    token, holder = clean_chain.tokens["BEAN"], Account.create().address  # cap 10 000 000
    job_id = upload(services, token, csv_file([(holder, 10_000_000, "big"), (holder, 3, "ok")]))
    BulkWorker(services.platform, operators(services), services.sessions).run(job_id)
    with services.sessions() as session:
        states = dict(
            session.execute(
                select(BulkRow.idempotency_key, BulkRow.state).where(BulkRow.job_id == job_id)
            ).all()
        )
        code = session.scalar(select(BulkRow.error_code).where(BulkRow.idempotency_key == "big"))
    assert states == {"big": FAILED, "ok": ISSUED} and code == "CAP_EXCEEDED"
    assert balance(clean_chain, token, holder) == 3
    assert SENT not in states.values()


def test_a_written_ahead_row_whose_nonce_another_transaction_took_is_signed_again_once(
    services: Services, clean_chain: TestChain
) -> None:
    token, holder = clean_chain.tokens["SKYM"], Account.create().address
    rows = [(holder, 1 + n, f"n-{n}") for n in range(5)]
    start = clean_chain.w3.eth.block_number + 1
    job_id = upload(services, token, csv_file(rows))

    def die_after_first(_: int) -> None:
        raise Stopped

    with pytest.raises(Stopped):
        BulkWorker(
            services.platform, operators(services), services.sessions, 5, die_after_first
        ).run(job_id)
    # the operator key is used elsewhere meanwhile: its next nonce (row 2's) goes to that
    other = Account.create().address
    actions = MerchantActions(services.platform, operators(services), token)
    wait_for(clean_chain.w3, [HexBytes(actions.issue(other, 9))])

    BulkWorker(services.platform, operators(services), services.sessions, 5).run(job_id)
    with services.sessions() as session:
        states = list(session.scalars(select(BulkRow.state).where(BulkRow.job_id == job_id)))
    assert states == [ISSUED] * 5
    assert balance(clean_chain, token, holder) == sum(amount for _, amount, _ in rows)
    assert issue_count(clean_chain, token, holder, start) == 5
    assert balance(clean_chain, token, other) == 9
