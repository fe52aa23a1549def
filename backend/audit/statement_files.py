"""Statement files (JSON, or CSV of flattened fields) and their verification against the chain.

``verify-statement`` rebuilds the statement a file claims (same merchant, same blocks) from a
node and names every field that differs, including the digest and block hash it was built
from; its labels are bound too: the days and clock it names must be exactly its blocks.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ..chain.rpc import JsonRpc
from .fetch import Contracts
from .findings import Finding
from .statement_periods import resolve_period
from .statements import make_statement


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """``{"a": {"b": 1}}`` → ``{"a.b": "1"}``: the CSV rows, and what verification compares."""
    rows: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            rows.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif value is None:
        rows[prefix] = ""
    elif isinstance(value, bool):
        rows[prefix] = "true" if value else "false"
    else:
        rows[prefix] = str(value)
    return rows


def to_csv(statement: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["field", "value"])
    for key, value in flatten(statement).items():
        writer.writerow([key, value])
    return out.getvalue()


def read_statement(text: str) -> dict[str, str]:
    """A statement file (JSON or the CSV above), flattened."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return flatten(json.loads(stripped))
    rows = list(csv.reader(io.StringIO(text)))
    return {key: value for key, value in rows[1:] if key}


IGNORED = ("generatedAt",)


def verify_statement(
    rpc_url: str, contracts: Contracts, deployment_block: int, text: str
) -> tuple[list[Finding], dict[str, str]]:
    """Rebuilds the statement the file claims (same merchant, same blocks) and names every
    field that differs, including the digest and block hash it was built from."""
    claimed = read_statement(text)
    try:
        from_block, to_block = int(claimed["period.fromBlock"]), int(claimed["period.toBlock"])
    except (KeyError, ValueError):
        return [
            Finding(
                "statement",
                "file",
                "period",
                "fromBlock/toBlock",
                "block numbers",
                None,
                "not a Tongdui statement: no block range",
            )
        ], {}
    symbol = claimed.get("merchant.symbol") or None
    label_findings = _check_labels(rpc_url, deployment_block, claimed, from_block, to_block)
    period = {
        k.split(".", 1)[1]: v
        for k, v in claimed.items()
        if k.startswith("period.") and k not in ("period.fromBlock", "period.toBlock")
    }
    rebuilt = flatten(
        make_statement(rpc_url, contracts, deployment_block, from_block, to_block, symbol, period)
    )
    findings = label_findings
    for key in sorted(set(claimed) | set(rebuilt)):
        if key in IGNORED or key.startswith("period."):
            continue
        mine, theirs = rebuilt.get(key), claimed.get(key)
        if mine != theirs:
            findings.append(
                Finding(
                    "statement",
                    "statement",
                    symbol or "consortium",
                    key,
                    mine,
                    theirs,
                    "differs from the statement rebuilt from the chain"
                    if theirs is not None and mine is not None
                    else "field missing from one side",
                )
            )
    return findings, rebuilt


def _check_labels(
    rpc_url: str, deployment_block: int, claimed: dict[str, str], from_block: int, to_block: int
) -> list[Finding]:
    """The days and clock a statement names must be its blocks (see the module's docstring)."""
    labels = {k: claimed.get(f"period.{k}") for k in ("from", "to", "utcOffsetHours")}
    if not any(labels.values()):
        return []  # a statement over a block range names no days

    def finding(field: str, expected: Any, actual: Any, message: str) -> Finding:
        return Finding("statement", "statement", "period", field, expected, actual, message)

    try:
        first_day = date.fromisoformat(labels["from"] or "")
        last_day = date.fromisoformat(labels["to"] or "")
        offset = int(labels["utcOffsetHours"] or "")
    except ValueError:
        return [
            finding(
                "from/to/utcOffsetHours", "two days and an hour offset", labels, "unreadable period"
            )
        ]
    with JsonRpc(rpc_url) as rpc:
        try:
            period = resolve_period(rpc, first_day, last_day, offset, deployment_block)
        except ValueError as error:
            return [finding("from/to/utcOffsetHours", "a period", labels, str(error))]
    where = f"{first_day}…{last_day} at UTC{offset:+d}"
    findings = []
    if from_block != period.first_block:
        findings.append(
            finding(
                "fromBlock",
                period.first_block,
                from_block,
                f"the first block of {where} is another one: the labels do not match the figures",
            )
        )
    complete = claimed.get("period.complete") == "true"
    if complete and not period.complete:
        findings.append(
            finding("complete", "false", "true", f"{where} is not over on this chain yet")
        )
    if to_block > period.last_block or (complete and to_block != period.last_block):
        findings.append(
            finding(
                "toBlock",
                period.last_block,
                to_block,
                f"the last block of {where} is another one: the labels do not match the figures",
            )
        )
    return findings
