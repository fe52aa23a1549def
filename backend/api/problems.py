"""Request validation problems in the one shape the API answers them, for every route.

Apart from ``app`` so that a route with its own validation (``routes/orders``) can use it
without importing the application that mounts the route.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def validation_problems(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """pydantic's errors as the API answers them: ``field`` and ``problem`` (its English) for
    a person reading the JSON, ``type`` and ``limits`` (the pattern, the bound) so a page can
    say the problem in its user's language instead of showing pydantic's English."""
    return [
        {
            "field": ".".join(str(p) for p in item["loc"]),
            "problem": item["msg"],
            "type": item["type"],
            "limits": {
                k: v
                for k, v in (item.get("ctx") or {}).items()
                if isinstance(v, str | int | float) and not isinstance(v, bool)
            },
        }
        for item in errors
    ]
