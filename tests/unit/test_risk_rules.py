"""The risk rules as pure functions: each kind trips on the facts it names and not on
others, refusals win over holds, and the facts read are as many as the strictest rule needs."""

from __future__ import annotations

from tongdui.core.error_codes import ErrorCode
from tongdui.risk.rules import Action, Facts, Kind, Rule, evaluate, needs, tripped

A = "0x" + "aa" * 20
B = "0x" + "bb" * 20
SKY, BEAN = "0x" + "11" * 20, "0x" + "22" * 20
NOW = 1_000_000.0


def facts(**fields: object) -> Facts:
    values: dict[str, object] = {"owner": A, "tokens": (SKY, BEAN), "amount": 100, "now": NOW}
    values.update(fields)
    return Facts(**values)  # type: ignore[arg-type]


def test_an_amount_rule_trips_only_above_its_threshold() -> None:
    rule = Rule(1, Kind.AMOUNT, Action.REFUSE, max_amount=100)
    assert tripped(rule, facts(amount=100)) is None
    assert "101 points" in (tripped(rule, facts(amount=101)) or "")
    assert rule.code == ErrorCode.RISK_AMOUNT


def test_address_velocity_counts_the_request_itself_and_only_uses_inside_the_window() -> None:
    rule = Rule(1, Kind.VELOCITY_ADDRESS, Action.HOLD, max_count=3, window=60)
    two_recent = (NOW - 1, NOW - 2, NOW - 3600)
    assert tripped(rule, facts(address_uses=two_recent)) is None  # 2 + this one = 3
    three_recent = (NOW - 1, NOW - 2, NOW - 59)
    assert tripped(rule, facts(address_uses=three_recent)) is not None
    assert rule.code == ErrorCode.RISK_VELOCITY


def test_member_velocity_counts_the_members_uses_at_the_rules_merchant_only() -> None:
    rule = Rule(1, Kind.VELOCITY_MEMBER, Action.HOLD, merchant_token=SKY, max_count=2, window=60)
    assert tripped(rule, facts()) is None  # linked to no member: the rule has nothing to count
    busy = {SKY: ((NOW - 5, NOW - 6),)}
    assert tripped(rule, facts(member_uses=busy)) is not None
    elsewhere = {BEAN: ((NOW - 5, NOW - 6),)}
    assert tripped(rule, facts(member_uses=elsewhere)) is None
    consortium = Rule(2, Kind.VELOCITY_MEMBER, Action.HOLD, max_count=2, window=60)
    assert tripped(consortium, facts(member_uses=elsewhere)) is not None


def test_a_new_address_is_cooling_until_its_window_has_passed_since_first_seen() -> None:
    rule = Rule(1, Kind.COOLING, Action.HOLD, window=3600)
    assert tripped(rule, facts(first_seen=None)) is not None  # never seen: its first use
    assert tripped(rule, facts(first_seen=NOW - 10)) is not None
    assert tripped(rule, facts(first_seen=NOW - 3600)) is None


def test_a_block_list_catches_the_owner_and_a_gifts_recipient() -> None:
    rule = Rule(1, Kind.BLOCKLIST, Action.REFUSE, addresses=frozenset({B}))
    assert tripped(rule, facts()) is None
    assert tripped(rule, facts(owner=B)) is not None
    assert tripped(rule, facts(counterparty=B)) is not None
    assert rule.code == ErrorCode.RISK_BLOCKED


def test_a_merchants_rule_ignores_requests_that_do_not_touch_its_token() -> None:
    other = "0x" + "33" * 20
    rule = Rule(1, Kind.AMOUNT, Action.REFUSE, merchant_token=other, max_amount=1)
    assert tripped(rule, facts(amount=10**9)) is None


def test_a_refusing_rule_wins_over_an_earlier_holding_rule() -> None:
    hold = Rule(1, Kind.COOLING, Action.HOLD, window=3600)
    refuse = Rule(2, Kind.AMOUNT, Action.REFUSE, max_amount=10)
    verdict = evaluate([hold, refuse], facts(amount=11))
    assert verdict is not None and verdict.refused and verdict.code == ErrorCode.RISK_AMOUNT
    only_hold = evaluate([hold, refuse], facts(amount=5))
    assert only_hold is not None and not only_hold.refused
    assert only_hold.code == ErrorCode.RISK_COOLING
    assert evaluate([hold, refuse], facts(amount=5, first_seen=NOW - 7200)) is None


def test_the_first_configured_rule_names_the_code_among_rules_of_one_action() -> None:
    velocity = Rule(7, Kind.VELOCITY_ADDRESS, Action.HOLD, max_count=1, window=60)
    cooling = Rule(3, Kind.COOLING, Action.HOLD, window=60)
    verdict = evaluate([velocity, cooling], facts(address_uses=(NOW - 1,), first_seen=NOW - 1))
    assert verdict is not None and verdict.rule.id == 3


def test_the_facts_read_are_bounded_by_the_strictest_velocity_rule() -> None:
    rules = [
        Rule(1, Kind.VELOCITY_ADDRESS, Action.HOLD, max_count=5, window=60),
        Rule(2, Kind.VELOCITY_ADDRESS, Action.REFUSE, max_count=20, window=3600),
        Rule(3, Kind.VELOCITY_MEMBER, Action.HOLD, merchant_token=SKY, max_count=4, window=600),
        Rule(4, Kind.AMOUNT, Action.REFUSE, max_amount=5),
    ]
    need = needs(rules)
    assert (need.address_uses, need.address_window) == (20, 3600)
    assert (need.member_uses, need.member_window, need.member_tokens) == (4, 600, {SKY})
    assert not need.first_seen
    assert needs([Rule(5, Kind.AMOUNT, Action.HOLD, max_amount=1)]).address_uses == 0
    # the newest 20 uses decide the 5-per-minute rule exactly as all of them would
    uses = tuple(NOW - i for i in range(1, 30))
    for rule in rules[:2]:
        for cut in range(30):
            some = uses[:cut]
            assert (tripped(rule, facts(address_uses=some[:20])) is None) == (
                tripped(rule, facts(address_uses=some)) is None
            )
