"""Attestations name their block by number and hash, each auditor's current attestation is
the one for its highest block, and the embedded demo's auditor attests out of the box."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from eth_account import Account

from tests.chains import TestChain
from tongdui.audit.attest import (
    Attestation,
    Verdict,
    latest_per_auditor,
    post_attestation,
    verify_attestations,
)
from tongdui.audit.run import run_audit
from tongdui.chain.deployment import save_deployment
from tongdui.core.config import DEMO_AUDITOR_KEY, Settings

from .audit_fixtures import contracts_of

TONGDUI = str(Path(sys.executable).with_name("tongdui"))
DEMO_AUDITOR = Account.from_key(DEMO_AUDITOR_KEY).address


def test_latest_attestation_is_for_highest_block(clean_chain: TestChain) -> None:
    contracts, first = contracts_of(clean_chain), clean_chain.deployment.deployment_block
    high = run_audit(clean_chain.url, contracts, first)
    low = run_audit(clean_chain.url, contracts, first, high.canonical["toBlock"] - 1)

    high_id = post_attestation(clean_chain.w3, clean_chain.platform, DEMO_AUDITOR_KEY, high)
    low_id = post_attestation(clean_chain.w3, clean_chain.platform, DEMO_AUDITOR_KEY, low)

    assert low_id == high_id + 1  # the older block was attested last
    registry = clean_chain.platform.attestations.functions
    assert registry.latestOf(DEMO_AUDITOR).call() == high_id
    [verdict] = verify_attestations(clean_chain.url, contracts, first)
    assert verdict.attestation.id == high_id
    assert verdict.attestation.block_hash == high.canonical["toBlockHash"]
    assert verdict.ok


def test_the_pages_pick_the_highest_block_whatever_the_posting_order() -> None:
    def posted(id_: int, block: int) -> Attestation:
        return Attestation(id_, DEMO_AUDITOR, block, 0, "0x" + "11" * 32, "0x", "0x")

    assert [a.id for a in latest_per_auditor([posted(1, 90), posted(2, 40)])] == [1]
    assert [a.id for a in latest_per_auditor([posted(1, 90), posted(2, 90)])] == [2]


def test_an_attestation_of_another_forks_block_differs_even_with_a_matching_digest() -> None:
    attested = Attestation(1, DEMO_AUDITOR, 90, 0, "0x" + "aa" * 32, "0xd1", "0xr1")
    verdict = Verdict(attested, "0x" + "bb" * 32, "0xd1", "0xr1")
    assert verdict.digest_matches and verdict.report_matches
    assert not verdict.block_matches and not verdict.ok
    assert verdict.to_json()["blockHashMatches"] is False


def test_the_embedded_demo_attests_as_the_demo_auditor_by_default(
    clean_chain: TestChain, tmp_path: Path
) -> None:
    save_deployment(tmp_path / "deployments", clean_chain.deployment)
    unset = ("TONGDUI_AUDITOR_KEY", "TONGDUI_RPC_URL")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["TONGDUI_ANVIL_PORT"] = str(clean_chain.anvil.port)

    attested = subprocess.run(
        [TONGDUI, "audit", "--data-dir", str(tmp_path), "--attest"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert attested.returncode == 0, attested.stdout + attested.stderr
    assert f"by {DEMO_AUDITOR}" in attested.stdout
    assert DEMO_AUDITOR_KEY[2:] not in attested.stdout
    saved = json.loads((tmp_path / "audit" / "latest.json").read_text())
    assert saved["attestedBy"] == DEMO_AUDITOR and saved["attestationId"] > 0
    registry = clean_chain.platform.attestations.functions
    assert registry.latestOf(DEMO_AUDITOR).call() > 0


def test_only_the_embedded_chain_falls_back_to_the_demo_auditor(monkeypatch: Any) -> None:
    monkeypatch.delenv("TONGDUI_AUDITOR_KEY", raising=False)
    monkeypatch.delenv("TONGDUI_RPC_URL", raising=False)
    assert Settings().auditor_private_key() == DEMO_AUDITOR_KEY
    assert Settings(rpc_url="http://127.0.0.1:1").auditor_private_key() is None
