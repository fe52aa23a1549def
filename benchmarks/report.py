"""Writes the results: benchmarks/results/latest.json and latest.md (the README's table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .measure import Figure

RESULTS = Path(__file__).resolve().parent / "results"


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def markdown(figures: list[Figure], machine: dict[str, Any], mode: str) -> str:
    lines = [
        f"Measured {machine['date']} in {mode} mode on {machine['cpu']} ({machine['cores']} "
        f"cores), Python {machine['python']}, {machine['anvil']}.",
        "",
        "| benchmark | figure | baseline | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        ratio = f.ratio_text()
        base = f"{_fmt(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline else ""
        goal = f"{f.goal}: {'✅ met' if f.met else '❌ not met'}" if f.goal else ""
        lines.append(f"| {f.name} | {_fmt(f.value, f.unit)} | {base} | {ratio} | {goal} |")
    notes = [f"- {f.name}: {f.notes}" for f in figures if f.notes]
    if notes:
        lines += ["", "Notes:", *dict.fromkeys(notes)]
    return "\n".join(lines) + "\n"


def write(figures: list[Figure], machine: dict[str, Any], mode: str, out: Path = RESULTS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {"mode": mode, "machine": machine, "figures": [f.as_json() for f in figures]},
            indent=2,
            default=str,
        )
        + "\n"
    )
    (out / "latest.md").write_text(markdown(figures, machine, mode))
    if mode == "full":
        (out / "full.json").write_text((out / "latest.json").read_text())
        (out / "full.md").write_text((out / "latest.md").read_text())
