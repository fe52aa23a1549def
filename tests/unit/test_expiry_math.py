"""The Python twin of PointsToken's expiry keys (backend/chain/expiry.py), pinned to SPEC16's
example and to the calendar's edges (year ends, leap days, every rounding)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tongdui.chain import expiry


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_points_issued_on_2026_12_02_for_24_months_rounded_to_the_quarter_expire_on_2029_01_01():
    issued = at("2026-12-02T10:00:00")
    assert expiry.month_of(issued) == 683
    key = expiry.key_for(issued, 24, 3)
    assert key == 707
    assert expiry.expires_at(key) == at("2029-01-01T00:00:00")
    assert expiry.last_day_iso(key) == "2028-12-31"


def test_the_month_index_counts_from_january_1970_in_utc():
    assert expiry.month_of(0) == 0
    assert expiry.month_of(at("1970-12-31T23:59:59")) == 11
    assert expiry.month_of(at("1971-01-01T00:00:00")) == 12
    assert expiry.month_start(683) == at("2026-12-01T00:00:00")


@pytest.mark.parametrize(
    ("rounding", "issued", "last"),
    [
        (1, "2027-01-15", "2028-01-31"),
        (3, "2027-01-15", "2028-03-31"),
        (6, "2027-01-15", "2028-06-30"),
        (12, "2027-01-15", "2028-12-31"),
        (3, "2027-03-31", "2028-03-31"),
        (1, "2027-02-28", "2028-02-29"),
    ],
)
def test_twelve_months_round_up_to_the_end_of_their_month_quarter_half_or_year(
    rounding: int, issued: str, last: str
):
    key = expiry.key_for(at(f"{issued}T12:00:00"), 12, rounding)
    assert expiry.last_day_iso(key) == last


def test_a_rule_of_zero_months_never_expires():
    key = expiry.key_for(at("2026-12-02T00:00:00"), 0, 1)
    assert key == expiry.NEVER
    assert expiry.expires_at(key) is None
    assert expiry.last_day_iso(key) is None
    assert not expiry.is_expired(key, 2**40)


def test_points_are_spendable_until_the_last_second_of_their_last_month():
    key = 707
    assert not expiry.is_expired(key, at("2028-12-31T23:59:59"))
    assert expiry.is_expired(key, at("2029-01-01T00:00:00"))


def test_a_rule_with_an_unknown_rounding_or_too_many_months_is_refused_with_what_to_send():
    assert expiry.rule_problem(24, 3) is None
    assert expiry.rule_problem(0, 1) is None
    assert expiry.rule_problem(0, 0) is None
    problem = expiry.rule_problem(12, 2)
    assert problem is not None and "3 (quarter)" in problem
    too_long = expiry.rule_problem(5000, 1)
    assert too_long is not None and "1200" in too_long
