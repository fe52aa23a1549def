"""The audit's expiry buckets (audit/expiry_state.py) on made-up logs: FIFO debits that skip
expired keys, transfers that carry keys, sweeps matched with their burns, a refund re-keyed
to its escrow's earliest key, and the findings for what the contract would never do."""

from __future__ import annotations

from datetime import UTC, datetime

from tongdui.audit.decode import Log
from tongdui.audit.expiry_state import ExpiryReplay
from tongdui.chain import expiry

TOKEN, ZERO = "0x" + "11" * 20, "0x" + "00" * 20
ALICE, BOB = "0x" + "a1" * 20, "0x" + "b0" * 20


def at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def log(moment: int, number: int = 1) -> Log:
    return Log(number, 0, 0, b"", b"\x01" * 32, TOKEN, [], b"", moment, "PointsToken", "X", {})


def test_debits_take_the_earliest_unexpired_keys_and_transfers_carry_them() -> None:
    replay = ExpiryReplay([])
    replay.set_rule(TOKEN, 1, 1, 1)
    replay.transfer(TOKEN, ZERO, ALICE, 100, log(at("2027-01-10T00:00:00")))  # key Feb 2027
    replay.set_rule(TOKEN, 12, 1, 2)
    replay.transfer(TOKEN, ZERO, ALICE, 50, log(at("2027-01-11T00:00:00")))  # key Jan 2028
    replay.transfer(TOKEN, ALICE, BOB, 120, log(at("2027-01-12T00:00:00")))
    state = replay.token(TOKEN)
    feb, jan = (
        expiry.key_for(at("2027-01-10T00:00:00"), 1, 1),
        expiry.key_for(at("2027-01-11T00:00:00"), 12, 1),
    )
    assert state.keys_of(BOB) == [(feb, 100), (jan, 20)]
    assert state.keys_of(ALICE) == [(jan, 30)]
    assert replay.findings == []


def test_a_sweep_removes_the_expired_bucket_and_its_burn_is_not_a_debit() -> None:
    replay = ExpiryReplay([])
    replay.set_rule(TOKEN, 1, 1, 1)
    replay.transfer(TOKEN, ZERO, ALICE, 100, log(at("2027-01-10T00:00:00")))
    key = replay.token(TOKEN).keys_of(ALICE)[0][0]
    later = log(at("2027-03-05T00:00:00"), 5)
    replay.advance(later.timestamp)
    assert [(e.key, e.amount) for e in replay.expirations] == [(key, 100)]
    assert replay.token(TOKEN).expired(ALICE, later.timestamp) == 100
    replay.swept(TOKEN, ALICE, key, 100, later)
    replay.transfer(TOKEN, ALICE, ZERO, 100, later)
    assert replay.token(TOKEN).keys_of(ALICE) == [] and replay.unmatched_sweeps() == []
    assert replay.findings == []


def test_a_debit_of_expired_points_and_an_early_sweep_are_findings() -> None:
    replay = ExpiryReplay([])
    replay.set_rule(TOKEN, 1, 1, 1)
    replay.transfer(TOKEN, ZERO, ALICE, 100, log(at("2027-01-10T00:00:00")))
    key = replay.token(TOKEN).keys_of(ALICE)[0][0]
    replay.transfer(TOKEN, ALICE, BOB, 10, log(at("2027-03-05T00:00:00")))
    replay.swept(TOKEN, ALICE, key, 100, log(at("2027-01-20T00:00:00")))
    fields = [f.field for f in replay.findings]
    assert fields == ["unexpired balance", "key"], [f.line() for f in replay.findings]


def test_a_refund_is_moved_to_the_escrows_earliest_key() -> None:
    replay = ExpiryReplay([])
    replay.set_rule(TOKEN, 1, 1, 1)
    replay.transfer(TOKEN, ZERO, ALICE, 100, log(at("2027-01-10T00:00:00")))
    replay.transfer(TOKEN, ALICE, ZERO, 60, log(at("2027-01-11T00:00:00")))  # escrow burn
    escrow_key = replay.last_debit_key[(TOKEN, ALICE)]
    replay.set_rule(TOKEN, 24, 3, 3)
    replay.transfer(TOKEN, ZERO, ALICE, 60, log(at("2027-01-12T00:00:00")))  # refund mint
    replay.rekey_last_mint(TOKEN, ALICE, escrow_key, log(at("2027-01-12T00:00:00")))
    assert replay.token(TOKEN).keys_of(ALICE) == [(escrow_key, 100)]
