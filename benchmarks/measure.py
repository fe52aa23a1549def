"""Small measuring helpers: percentiles, a figure record, the machine a run happened on."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Figure:
    """One row of the results table: a measured value, its baseline and the goal."""

    bench: str
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    met: bool | None = None
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.baseline:
            return None
        return self.value / self.baseline

    def ratio_text(self) -> str:
        """×2.92 for a figure above its baseline; ÷477 for a latency far below it (×0.00
        said nothing)."""
        ratio = self.ratio
        if not ratio:
            return ""
        return f"×{ratio:.2f}" if ratio >= 0.1 else f"÷{1 / ratio:,.0f}"

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}

    def line(self) -> str:
        ratio = f"  {self.ratio_text()} vs {self.baseline_name}" if self.ratio else ""
        goal = f"  goal {self.goal}: {'met' if self.met else 'NOT met'}" if self.goal else ""
        return f"  {self.name}: {self.value:,.1f} {self.unit}{ratio}{goal}"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def anvil_version() -> str:
    from tongdui.chain.anvil import anvil_binary

    try:
        out = subprocess.run([anvil_binary(), "--version"], capture_output=True, text=True)
        return out.stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def machine() -> dict[str, Any]:
    """What the figures were measured on (they mean little without it)."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "anvil": anvil_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
