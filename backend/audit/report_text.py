"""The audit report as a person reads it on a terminal (``tongdui audit`` without ``--json``).

It reads only the report's fields, named by ``ReportView``, so it needs nothing of the modules
that make a report.
"""

from __future__ import annotations

from typing import Any, Protocol

from .findings import Finding


class ReportView(Protocol):
    """The parts of ``results.AuditReport`` the text shows."""

    canonical: dict[str, Any]
    database: dict[str, Any] | None
    timing: dict[str, Any]
    findings: list[Finding]

    @property
    def report_hash(self) -> str: ...


def render_text(report: ReportView) -> str:
    c = report.canonical
    lines = [
        f"Tongdui audit — chain {c['chainId']}, blocks {c['fromBlock']}…{c['toBlock']}",
        f"  block hash      {c['toBlockHash']}",
        *(
            [f"  contract state  read at block {c['stateBlock']} (the node keeps no older state)"]
            if "stateBlock" in c
            else []
        ),
        f"  history digest  {c['historyDigest']}",
        f"  report hash     {report.report_hash}",
        f"  events          {c['events']} replayed in {report.timing['replaySeconds']} s "
        f"({report.timing['eventsPerSecond']:,.0f} events/s); "
        f"{report.timing['stateCalls']} state reads",
        "",
        "Invariants (docs/design.md):",
    ]
    for check, result in c["invariants"].items():
        mark = "ok  " if result["ok"] else "FAIL"
        lines.append(
            f"  {mark} {check}: {result['statement']} "
            f"({result['checks']} checks, {result['failures']} failures)"
        )
    state = c["state"]
    lines += ["", "Rebuilt state:"]
    for token in state["tokens"]:
        lines.append(
            f"  {token['symbol']:<8} supply {token['supply']:>16,}  holders {token['holders']}"
        )
    for market in state["markets"]:
        lines.append(
            f"  {market['symbol']:<8} value {market['pointValue']}  settlement "
            f"{market['settlementBalance']:,}  fee credit {market['feeCredit']:,}"
        )
    lines.append(
        f"  swaps {state['swaps']} (orders checked {state['ordersChecked']}), fees "
        f"{state['feesCharged']:,} charged / {state['feesCredited']:,} credited"
    )
    if state.get("settlementSurplus"):
        lines.append(
            f"  surplus {state['settlementSurplus']:,} sCNY units held beyond every account "
            "(sent to the exchange directly; not a violation; governance may sweep it)"
        )
    if report.database is not None:
        db = report.database
        lines += [
            "",
            f"Indexer database {db['url']}: "
            + ("matches" if db["ok"] else f"{len(db['findings'])} differences"),
        ]
        for table, counts in db["tables"].items():
            lines.append(f"  {table:<22} {counts}")
    if report.findings:
        lines += ["", f"DISCREPANCIES ({len(report.findings)}):"]
        lines += [f"  {f.line()}" for f in report.findings[:200]]
        if len(report.findings) > 200:
            lines.append(f"  … and {len(report.findings) - 200} more (see the JSON report)")
    else:
        lines += ["", "No discrepancy: the chain's state is explained by its events."]
    return "\n".join(lines)
