"""Tongdui's benchmarks: gas, relayed swaps end to end, indexing, audit replay, API reads, and
how those figures move as history grows. ``python -m benchmarks [--quick]`` runs them all and
writes ``benchmarks/results/latest.json`` and ``latest.md``; see docs/benchmarks.md.

Every figure is measured beside a baseline taken in the same run on the same machine and chain,
so the ratio says something even where the absolute figure depends on the hardware.
"""
