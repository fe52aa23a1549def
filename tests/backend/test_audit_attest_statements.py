"""Attestations round trip (grant by vote, attest, verify) and clearing statements: built from
the chain, reconciled, served over HTTP, and a forged one is caught field by field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from eth_account import Account

from tests.chains import TestChain, free_port
from tongdui.api.app import create_app
from tongdui.audit.attest import grant_auditor_role, post_attestation, verify_attestations
from tongdui.audit.run import run_audit
from tongdui.audit.statement_files import to_csv, verify_statement
from tongdui.audit.statements import make_statement
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import ANVIL_KEYS, Settings
from tongdui.services import Services, build_services

from .audit_fixtures import contracts_of

AUDITOR_KEY = "0x" + "a1" * 32
FORGER_KEY = "0x" + "b2" * 32
TONGDUI = str(Path(sys.executable).with_name("tongdui"))


def _fund(chain: TestChain, key: str) -> None:
    address = Account.from_key(key).address
    chain.w3.provider.make_request("anvil_setBalance", [address, hex(10**20)])  # type: ignore[arg-type]


def test_an_attestation_round_trip_says_which_auditor_matches(history: TestChain) -> None:
    contracts, first = contracts_of(history), history.deployment.deployment_block
    for key in (AUDITOR_KEY, FORGER_KEY):
        _fund(history, key)
        grant_auditor_role(
            history.w3, history.platform, list(ANVIL_KEYS[1:4]), Account.from_key(key).address
        )
    report = run_audit(history.url, contracts, first)
    assert report.ok, report.text()
    honest = post_attestation(history.w3, history.platform, AUDITOR_KEY, report)
    forger = history.platform.attestations.functions.attest(
        report.canonical["toBlock"],
        bytes.fromhex(report.canonical["toBlockHash"][2:]),
        b"\x01" * 32,
        bytes.fromhex(report.report_hash[2:]),
    )
    from tongdui.chain.transactions import Signer, wait_for

    wait_for(history.w3, [Signer(history.w3, FORGER_KEY).transact(forger)])

    verdicts = {
        v.attestation.auditor: v for v in verify_attestations(history.url, contracts, first)
    }
    assert verdicts[Account.from_key(AUDITOR_KEY).address].ok
    assert verdicts[Account.from_key(AUDITOR_KEY).address].attestation.id == honest
    forged = verdicts[Account.from_key(FORGER_KEY).address]
    assert not forged.digest_matches and forged.report_matches


def test_the_cli_attests_with_the_auditor_key_and_verify_exits_non_zero_on_a_mismatch(
    history: TestChain,
    tmp_path: Path,
) -> None:
    save_deployment(tmp_path / "deployments", history.deployment)
    env = {**os.environ, "TONGDUI_AUDITOR_KEY": AUDITOR_KEY}
    attested = subprocess.run(
        [TONGDUI, "audit", "--rpc", history.url, "--data-dir", str(tmp_path), "--attest"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert attested.returncode == 0, attested.stdout + attested.stderr
    assert "Attested as #" in attested.stdout and AUDITOR_KEY[2:] not in attested.stdout
    assert json.loads((tmp_path / "audit" / "latest.json").read_text())["attestationId"] > 0
    verified = subprocess.run(
        [TONGDUI, "audit", "verify", "--rpc", history.url, "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    # the forger of the test above (same module chain) still differs: exit 1, both named
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert verified.stdout.count("MATCHES") == 1 and verified.stdout.count("DIFFERS") == 1


def test_a_merchant_statement_reconciles_and_the_matrix_adds_up(history: TestChain) -> None:
    contracts, first = contracts_of(history), history.deployment.deployment_block
    head = history.w3.eth.block_number
    made = make_statement(history.url, contracts, first, first, head, "FRESH")
    figures = made["figures"]
    assert figures["reconciles"] is True
    assert figures["swappedIn"]["swaps"] > 0 and figures["swappedOut"]["swaps"] > 0
    matrix = made["consortium"]["settlementPaid"]
    assert sum(row.get("FRESH", 0) for row in matrix.values()) == figures["swappedIn"]["value"]
    assert sum(matrix["FRESH"].values()) == figures["swappedOut"]["value"] - figures["feesPaid"]
    assert made["period"] == {"fromBlock": first, "toBlock": head}
    assert (
        made["historyDigest"]
        == run_audit(history.url, contracts, first, head).canonical["historyDigest"]
    )
    # a later window: the opening balance is the earlier window's closing one
    middle = (first + head) // 2
    early = make_statement(history.url, contracts, first, first, middle, "FRESH")
    late = make_statement(history.url, contracts, first, middle + 1, head, "FRESH")
    assert (
        late["figures"]["settlementBalance"]["opening"]
        == early["figures"]["settlementBalance"]["closing"]
    )
    assert late["figures"]["reconciles"] and early["figures"]["reconciles"]


@pytest.mark.parametrize(
    "field,forged",
    [
        ("figures.feesEarned", "1"),
        ("figures.swappedOut.value", "123456"),
        ("figures.settlementBalance.closing", "0"),
        ("consortium.settlementPaid.FRESH.BEAN", "1"),
        ("historyDigest", "0x" + "00" * 32),
    ],
)
def test_a_forged_statement_is_caught_and_the_field_named(
    history: TestChain,
    field: str,
    forged: str,
) -> None:
    contracts, first = contracts_of(history), history.deployment.deployment_block
    made = make_statement(
        history.url, contracts, first, first, history.w3.eth.block_number, "FRESH"
    )
    text = to_csv(made)
    assert verify_statement(history.url, contracts, first, text)[0] == []
    lines = [
        f"{field},{forged}" if line.startswith(f"{field},") else line for line in text.splitlines()
    ]
    findings, _ = verify_statement(history.url, contracts, first, "\n".join(lines) + "\n")
    assert [f.field for f in findings] == [field]


def test_the_statement_command_writes_csv_that_verify_statement_accepts(
    history: TestChain,
    tmp_path: Path,
) -> None:
    save_deployment(tmp_path / "deployments", history.deployment)
    out = tmp_path / "bean.csv"
    base = ["--rpc", history.url, "--data-dir", str(tmp_path)]
    made = subprocess.run(
        [TONGDUI, "statement", "--merchant", "BEAN", "--format", "csv", "-o", str(out), *base],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert out.read_text().startswith("field,value\n") and "historyDigest," in out.read_text()
    checked = subprocess.run(
        [TONGDUI, "audit", "verify-statement", str(out), *base],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out.write_text(out.read_text().replace("figures.issued,", "figures.issued,9"))
    checked = subprocess.run(
        [TONGDUI, "audit", "verify-statement", str(out), *base],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1 and "figures.issued" in checked.stdout


@pytest.fixture
def api(history: TestChain, tmp_path: Path) -> Iterator[tuple[str, Services]]:
    save_deployment(tmp_path / "deployments", history.deployment)
    services = build_services(Settings(data_dir=tmp_path, rpc_url=history.url))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(services), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", services
    finally:
        server.should_exit = True
        thread.join(5)
        services.engine.dispose()


def test_statements_and_audit_results_are_served_over_http(
    api: tuple[str, Services],
    history: TestChain,
) -> None:
    base, _services = api
    statement = httpx.get(f"{base}/statements/FRESH", timeout=60).json()
    assert statement["figures"]["reconciles"] is True
    assert statement["merchant"]["symbol"] == "FRESH"
    consortium = httpx.get(f"{base}/statements", timeout=60).json()
    assert consortium["merchant"] is None and consortium["consortium"]["settlementPaid"]
    unknown = httpx.get(f"{base}/statements/NOPE", timeout=60)
    assert unknown.status_code == 404 and unknown.json()["code"] == "NOT_FOUND"
    digest = httpx.get(f"{base}/audit/digest", timeout=60).json()
    assert digest["historyDigest"] == statement["historyDigest"]
    assert httpx.get(f"{base}/audit/latest", timeout=10).json()["code"] == "NO_AUDIT_REPORT"
    listed = httpx.get(f"{base}/audit/attestations", timeout=10).json()
    assert isinstance(listed["attestations"], list)
    paths = httpx.get(f"{base}/openapi.json", timeout=10).json()["paths"]
    assert {"/statements/{symbol}", "/audit/latest", "/audit/attestations"} <= set(paths)
