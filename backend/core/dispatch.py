"""Dispatch tables gathered from one module per contract family.

Why shared: the indexer's projector and the audit's replay each keep their own handlers (the
audit must not share the indexer's code path), but both gather them the same way, from a
family module's ``HANDLERS`` ((contract kind, event) → handler) and ``IGNORED`` ((kind,
event) → the reason it changes nothing), refusing a row two families both claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

EventKey = tuple[str, str]  # (contract kind, event name)


def gather_tables(
    families: Iterable[ModuleType],
) -> tuple[dict[EventKey, Any], dict[EventKey, str]]:
    """(handlers, ignored) of every family; a (kind, event) in two families is refused."""
    handlers: dict[EventKey, Any] = {}
    ignored: dict[EventKey, str] = {}
    for family in families:
        rows = getattr(family, "HANDLERS", {})
        reasons = getattr(family, "IGNORED", {})
        for key in (*rows, *reasons):
            if key in handlers or key in ignored:
                raise ValueError(f"{family.__name__}: {key} has a row in another family already")
        handlers.update(rows)
        ignored.update(reasons)
    return handlers, ignored
