"""A statement's period: its labels (days, clock) are bound to its blocks, an empty period is
an empty statement, and the README's example runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from fastapi.testclient import TestClient

from tests.chains import TestChain
from tongdui.api.app import create_app
from tongdui.audit.fetch import Contracts
from tongdui.audit.statement_files import to_csv, verify_statement
from tongdui.audit.statement_periods import day_bounds, resolve_period
from tongdui.audit.statements import make_statement
from tongdui.chain.deployment import save_deployment
from tongdui.chain.rpc import JsonRpc
from tongdui.services import Services

TONGDUI = str(Path(sys.executable).with_name("tongdui"))
README = Path(__file__).resolve().parents[2] / "README.md"


def _day_of_the_chain(chain: TestChain, offset: int) -> tuple[date, int, int]:
    """The day (in UTC+offset) of the chain's latest block, and its first and last timestamps."""
    head = chain.w3.eth.get_block("latest")
    first = chain.w3.eth.get_block(chain.deployment.deployment_block)
    day = datetime.fromtimestamp(head["timestamp"], timezone(timedelta(hours=offset))).date()
    return day, int(first["timestamp"]), int(head["timestamp"])


def _statement_of(chain: TestChain, day: date, offset: int) -> str:
    contracts = Contracts.from_names(chain.deployment.addresses)
    first = chain.deployment.deployment_block
    with JsonRpc(chain.url) as rpc:
        period = resolve_period(rpc, day, day, offset, first)
    made = make_statement(
        chain.url,
        contracts,
        first,
        period.first_block,
        period.last_block,
        "SKYM",
        period.labels(),
    )
    return to_csv(made)


def _verify(chain: TestChain, text: str) -> list[str]:
    contracts = Contracts.from_names(chain.deployment.addresses)
    findings, _ = verify_statement(chain.url, contracts, chain.deployment.deployment_block, text)
    return [f.field for f in findings]


def _relabel(text: str, field: str, value: str) -> str:
    return re.sub(rf"^period\.{field},.*$", f"period.{field},{value}", text, flags=re.M)


def test_changing_a_statements_period_labels_fails_verification(chain: TestChain) -> None:
    day, first_time, last_time = _day_of_the_chain(chain, 8)
    text = _statement_of(chain, day, 8)
    assert "period.utcOffsetHours,8" in text
    assert _verify(chain, text) == []
    # another clock in which that day holds none of these blocks
    other = next(
        hours
        for hours in range(-12, 15)
        if not (
            day_bounds(day, day, hours)[0] <= first_time
            and last_time < day_bounds(day, day, hours)[1]
        )
    )
    for field, value in [
        ("to", (day - timedelta(days=1)).isoformat()),
        ("from", (day + timedelta(days=1)).isoformat()),
        ("utcOffsetHours", str(other)),
        ("complete", "true"),
    ]:
        relabelled = _relabel(text, field, value)
        if field == "to":  # a period claiming the previous day ends before it begins
            relabelled = _relabel(relabelled, "from", (day - timedelta(days=1)).isoformat())
        assert _verify(chain, relabelled), f"period.{field}={value} still matched the chain"
    claims_november = _relabel(_relabel(text, "from", "2026-11-01"), "to", "2026-11-15")
    assert set(_verify(chain, claims_november)) & {"fromBlock", "toBlock"}


def test_an_empty_period_is_an_empty_statement(chain: TestChain) -> None:
    text = _statement_of(chain, date(2001, 1, 1), 8)
    assert "figures.issued,0" in text and "figures.swappedOut.value,0" in text
    assert _verify(chain, text) == []


def test_the_statement_api_answers_an_empty_period_with_an_empty_statement(
    services: Services,
) -> None:
    with TestClient(create_app(services)) as client:
        answer = client.get("/statements/SKYM", params={"fromDate": "2001-01-01"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["figures"]["issued"] == 0 and body["period"]["utcOffsetHours"] == 8
    assert body["period"]["toBlock"] == body["period"]["fromBlock"] - 1


def test_the_readmes_statement_examples_work_as_written(chain: TestChain, tmp_path: Path) -> None:
    save_deployment(tmp_path / "deployments", chain.deployment)
    examples = sorted(set(re.findall(r"^(tongdui statement [^`#\n|]+)", README.read_text(), re.M)))
    examples += re.findall(r"`(tongdui statement [^`]+)`", README.read_text())
    assert examples, "the README shows no `tongdui statement` example"
    env = dict(
        os.environ,
        TONGDUI_RPC_URL=chain.url,
        TONGDUI_DATA_DIR=str(tmp_path),
        PATH=f"{Path(TONGDUI).parent}:{os.environ['PATH']}",
    )
    for example in examples:
        ran = subprocess.run(
            ["bash", "-c", example], env=env, capture_output=True, text=True, check=False
        )
        assert ran.returncode == 0, f"{example}: {ran.stderr}"
        assert ran.stdout.startswith("field,value\n") and "figures.issued," in ran.stdout
