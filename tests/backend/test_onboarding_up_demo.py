"""The onboarding review from `tongdui up --demo`, as a person runs it: the demo files one
pending application; a member's operator makes a reviewer key in another shell
(`tongdui consortium-key create`); the reviewer approves over HTTP, and the proposal to admit
the program is open on the demo chain with the proposer's vote, shown to the applicant's
reviewer from the index; a second start files no second application."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name
from __future__ import annotations

import os
import subprocess
import time

import httpx

from .test_cli_up import TONGDUI, Up, up


def test_up_demo_files_an_application_that_a_shell_made_reviewer_key_approves(up: Up) -> None:
    up.start("--demo")
    assert "Filed a demo onboarding application" in up.output()
    made = subprocess.run(
        [
            TONGDUI,
            "consortium-key",
            "create",
            "1",
            "--label",
            "王芳",
            "--data-dir",
            str(up.data_dir),
        ],
        env=dict(os.environ, TONGDUI_ANVIL_PORT=str(up.anvil_port)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=up.base, timeout=60) as client:
        [pending] = client.get("/consortium/applications", headers=auth).json()["applications"]
        assert (pending["status"], pending["symbol"]) == ("pending", "TEA")
        approved = client.post(f"/consortium/applications/{pending['id']}/approve", headers=auth)
        assert approved.status_code == 200, approved.text
        proposal_id = approved.json()["proposalId"]
        deadline = time.monotonic() + 30
        while True:  # the indexer follows the demo chain's 0.5 s blocks
            [seen] = client.get("/consortium/applications", headers=auth).json()["applications"]
            if seen["proposal"]["state"] != "unindexed" or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert seen["proposal"] == {
            "id": proposal_id,
            "state": "open",
            "approvals": 1,
            "threshold": 2,
            "txHash": approved.json()["txHash"],
        }
        assert client.get("/audit/oplog/verify").json()["ok"]
    assert up.stop() == 0
    up.start("--demo")
    assert up.log.read_text().count("Filed a demo onboarding application") == 1
    assert up.stop() == 0
