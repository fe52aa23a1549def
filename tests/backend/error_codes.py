"""Every error code the backend can put in an answer: the one catalogue
(``tongdui.core.error_codes.ErrorCode``), plus the pages' own codes. Held to where codes are
made by tests/backend/test_error_catalogue.py: each contract custom error in the ABIs
(``chain/errors.py`` turns every one into a code) and each code the backend's source still
writes as a string on a line that makes an error has a member.
"""

from __future__ import annotations

import re
from pathlib import Path

from tongdui.chain.errors import _code, error_table
from tongdui.core.error_codes import ErrorCode

BACKEND = Path(__file__).resolve().parents[2] / "backend"
CODE = re.compile(r'"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})"')
# a line that names a code: an assignment or keyword, a refusal, a stored reason, a status map
NAMES_A_CODE = re.compile(
    r"\bcode\b\"?\s*(=|:|\))|reason_code\s*=|refuse\(|_fail_request\(|error_response\("
    r"|^\s*\d{3}: \""
)
# the pages' own codes (api.js, provider.js): no network, and the wallet's answers
PAGE_CODES = {"NETWORK", "NO_WALLET", "WALLET_REJECTED", "WALLET_ERROR", "NO_ACCOUNT"}
# strings on such lines that are not codes
NOT_CODES = {"GET", "POST", "PUT", "HTTP", "JSON", "HEAD"}


def source_codes() -> set[str]:
    """Codes still written as strings in the backend's source, on lines that make an error (a
    ``refuse(`` or a call whose code is on the next line counts too): each must be a member."""
    found: set[str] = set()
    for path in BACKEND.rglob("*.py"):
        if path.name == "error_codes.py":
            continue
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            if NAMES_A_CODE.search(line):
                follows = lines[i + 1] if line.rstrip().endswith("(") and i + 1 < len(lines) else ""
                found.update(CODE.findall(line + follows))
    return found - NOT_CODES


def contract_codes() -> set[str]:
    """One code per custom error in every platform ABI (OpenZeppelin's included)."""
    return {_code(name) for name, _, _ in error_table().values()}


def backend_error_codes() -> set[str]:
    return {str(code) for code in ErrorCode} | PAGE_CODES
