"""A clearing statement covers whole days in a merchant's clock (China: UTC+8 by default),
and its JSON and CSV forms flatten to the same rows, which verification compares."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from tongdui.audit.statement_files import flatten, read_statement, to_csv
from tongdui.audit.statement_periods import day_bounds


def _utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_a_day_in_china_starts_at_16_00_utc_the_day_before() -> None:
    start, end = day_bounds(date(2026, 3, 1), date(2026, 3, 1))
    assert (start, end) == (_utc("2026-02-28T16:00:00"), _utc("2026-03-01T16:00:00"))


def test_a_period_runs_from_the_first_days_midnight_to_after_the_last_day() -> None:
    start, end = day_bounds(date(2026, 1, 30), date(2026, 2, 2), utc_offset_hours=0)
    assert (start, end) == (_utc("2026-01-30T00:00:00"), _utc("2026-02-03T00:00:00"))
    assert end - start == 4 * 86_400


def test_a_statement_flattens_to_dotted_rows_with_plain_text_values() -> None:
    statement = {"period": {"from": "2026-03-01", "complete": True}, "fees": 30, "note": None}
    assert flatten(statement) == {
        "period.from": "2026-03-01",
        "period.complete": "true",
        "fees": "30",
        "note": "",
    }


def test_the_json_and_the_csv_of_a_statement_read_back_the_same() -> None:
    statement = {"merchant": {"SKYM": {"issued": 5, "swappedOut": {"points": 2}}}, "ok": False}
    assert read_statement(json.dumps(statement)) == read_statement(to_csv(statement))
    assert to_csv(statement).splitlines()[0] == "field,value"
