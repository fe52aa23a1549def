"""Every error code the backend can put in an answer, collected from where codes are made, so
the pages' dictionary can be held to it: the exception tree (``core/errors.py`` and every
``code = "…"`` class attribute), each contract custom error in the ABIs (``chain/errors.py``
turns every one into a code), the sentences of ``MESSAGES``, and the codes the routes, the
intake and the relayer name in ``code=``, ``refuse("…")`` and ``reason_code=``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tongdui.chain.errors import MESSAGES, _code, error_table

BACKEND = Path(__file__).resolve().parents[2] / "backend"
CODE = re.compile(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})"')
# a line that names a code: an assignment or keyword, a refusal, a stored reason, a status map
NAMES_A_CODE = re.compile(
    r"\bcode\b\s*(=|:|\))|reason_code\s*=|refuse\(|_fail_request\(|error_response\(|^\s*\d{3}: \""
)
# the pages' own codes (api.js, provider.js): no network, and the wallet's answers
PAGE_CODES = {"NETWORK", "NO_WALLET", "WALLET_REJECTED", "WALLET_ERROR", "NO_ACCOUNT"}
# strings on such lines that are not codes
NOT_CODES = {"GET", "POST", "PUT", "HTTP", "JSON"}


def source_codes() -> set[str]:
    """Codes written in the backend's source, on lines that make an error (a ``refuse(`` or
    a call whose code is on the next line counts too)."""
    found: set[str] = set()
    for path in BACKEND.rglob("*.py"):
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            if NAMES_A_CODE.search(line):
                follows = lines[i + 1] if line.rstrip().endswith("(") and i + 1 < len(lines) else ""
                found.update(CODE.findall(line + follows))
    return found - NOT_CODES


def contract_codes() -> set[str]:
    """One code per custom error in every platform ABI (OpenZeppelin's included)."""
    return {_code(name) for name, _, _ in error_table().values()}


# made by expression, not on a line of its own: an unknown selector, an unmapped HTTP status
COMPUTED_CODES = {"UNKNOWN_ERROR", "HTTP_ERROR"}


def backend_error_codes() -> set[str]:
    return source_codes() | contract_codes() | set(MESSAGES) | COMPUTED_CODES | PAGE_CODES
