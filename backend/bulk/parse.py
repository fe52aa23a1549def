"""Reading and checking a bulk issuance file (CSV or JSON) before anything is issued.

Policy: a file with any row error is refused whole (``BULK_FILE_INVALID``, every error listed
with its line and field), so a merchant never has to work out which half of a file went
through. Rows whose idempotency key this merchant already used (in an earlier upload) are not
errors: they are skipped and counted, which is what makes re-uploading a file safe.

CSV: a header naming ``amount``, ``idempotency_key`` and ``member_id`` or ``address`` (or
both columns, one filled per row). JSON: a list of objects with the same fields.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from web3 import Web3

from ..core.db import INT64_MAX
from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError

MAX_ROWS = 100_000
MAX_KEY = 100


class BulkFileInvalidError(TongduiError, ValueError):
    code = ErrorCode.BULK_FILE_INVALID


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class BulkInput:
    line: int  # CSV: the file's line (header is 1); JSON: the item's position from 1
    member_id: str | None
    address: str | None
    amount: int
    idempotency_key: str


def _records(data: bytes, fmt: str) -> list[tuple[int, dict[str, Any]]]:
    text = data.decode("utf-8-sig")
    if fmt == "json":
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise BulkFileInvalidError(
                f"the file is not valid JSON ({error.msg} at line {error.lineno}): send a "
                "JSON list of rows",
                errors=[],
            ) from error
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise BulkFileInvalidError(
                "a JSON file must be a list of objects, one per row", errors=[]
            )
        return [(n, item) for n, item in enumerate(items, start=1)]
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or [])
    if not {"amount", "idempotency_key"} <= fields or not fields & {"member_id", "address"}:
        raise BulkFileInvalidError(
            "the CSV header must name amount, idempotency_key and member_id or address "
            f"(it names {', '.join(sorted(fields)) or 'nothing'})",
            errors=[],
        )
    return [(reader.line_num, dict(row)) for row in reader]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    cleaned = str(value).strip()
    return cleaned or None


def _row(line: int, record: dict[str, Any], errors: list[RowError]) -> BulkInput | None:
    before = len(errors)
    member, address = _text(record.get("member_id")), _text(record.get("address"))
    key, raw_amount = _text(record.get("idempotency_key")), record.get("amount")
    if (member is None) == (address is None):
        errors.append(RowError(line, "member_id", "give either a member id or an address"))
    if address is not None and not Web3.is_address(address):
        errors.append(RowError(line, "address", f"{address!r} is not a wallet address"))
    if member is not None and len(member) > 128:
        errors.append(RowError(line, "member_id", "a member id is at most 128 characters"))
    amount = 0
    with contextlib.suppress(ValueError):
        amount = int(str(raw_amount).strip()) if not isinstance(raw_amount, bool) else 0
    if isinstance(raw_amount, float) or not 0 < amount <= INT64_MAX:
        errors.append(RowError(line, "amount", f"{raw_amount!r} is not a whole number above 0"))
    if key is None or len(key) > MAX_KEY:
        errors.append(RowError(line, "idempotency_key", f"give a key of 1 to {MAX_KEY} characters"))
    if len(errors) > before:
        return None
    assert key is not None
    checksum = Web3.to_checksum_address(address) if address is not None else None
    return BulkInput(line, member, checksum, amount, key)


def parse_bulk_file(data: bytes, fmt: str) -> list[BulkInput]:
    """Every row, checked; ``BulkFileInvalidError`` listing every row error if any."""
    records = _records(data, fmt)
    if len(records) > MAX_ROWS:
        raise BulkFileInvalidError(
            f"the file has {len(records):,} rows; at most {MAX_ROWS:,}: split it", errors=[]
        )
    if not records:
        raise BulkFileInvalidError("the file has no rows", errors=[])
    errors: list[RowError] = []
    rows: list[BulkInput] = []
    seen: dict[str, int] = {}
    for line, record in records:
        row = _row(line, record, errors)
        if row is None:
            continue
        if row.idempotency_key in seen:
            errors.append(
                RowError(
                    line,
                    "idempotency_key",
                    f"the key is used twice in this file (first on line "
                    f"{seen[row.idempotency_key]})",
                )
            )
            continue
        seen[row.idempotency_key] = line
        rows.append(row)
    if errors:
        raise bulk_errors(errors)
    return rows


def bulk_errors(errors: list[RowError]) -> BulkFileInvalidError:
    return BulkFileInvalidError(
        f"{len(errors)} error(s) in the file, first on line {errors[0].line} "
        f"({errors[0].field}: {errors[0].message}): fix them and upload again; nothing was issued",
        errors=[{"line": e.line, "field": e.field, "message": e.message} for e in errors[:1000]],
    )
