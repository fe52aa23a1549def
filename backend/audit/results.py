"""What an audit produces: the replay's result and the report, as plain data.

Data only, on purpose: the modules that read a replay (``dbcompare``, ``read_indexes``,
``served_tables``, ``statements``) import these types from here, and ``run`` (which drives the
replay and the comparisons) imports them too, so no module that reads a result ever imports
the one that makes it (as silverback's ``state.py`` is imported by ``runner.py``, never the
reverse; ``tests/unit/test_import_cycles.py`` holds the package to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from eth_utils import keccak

from .decode import Log
from .findings import Finding
from .replay import Replay
from .report_text import render_text

REPORT_VERSION = 1


@dataclass
class ReplayResult:
    chain_id: int
    from_block: int
    to_block: int
    to_block_hash: str
    replay: Replay
    digest: str
    events: int
    seconds: float
    digests_at: dict[int, str] = field(default_factory=dict)
    logs: list[Log] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


@dataclass
class AuditReport:
    canonical: dict[str, Any]
    database: dict[str, Any] | None
    timing: dict[str, Any]
    findings: list[Finding]
    result: ReplayResult

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def report_hash(self) -> str:
        return report_hash(self.canonical)

    def to_json(self) -> dict[str, Any]:
        """The JSON report. ``ok`` is the chain's verdict (part of the canonical, attested
        report); ``passed`` is the whole run's, the database included: exactly what the CLI's
        exit code says (0 passed, 1 not), and what the auditor page shows."""
        return {
            **self.canonical,
            "reportHash": self.report_hash,
            "passed": self.ok,
            "exitCode": 0 if self.ok else 1,
            "database": self.database,
            "timing": self.timing,
        }

    def text(self) -> str:
        return render_text(self)


def report_hash(canonical: dict[str, Any]) -> str:
    return "0x" + keccak(orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS)).hex()
