"""The timelock margin rule (docs/design.md): T_A − T_B covers both chains' finality, the
coordinator's worst delay and the clock skew; the contracts' larger margin wins; a contract
that enforces less than the rule is refused at start."""

from __future__ import annotations

import pytest

from tongdui.core.errors import ConfigurationError
from tongdui.crosschain.margin import ChainTiming, TimelockPolicy

ONE_SECOND_BLOCKS = ChainTiming(block_period=1.0, confirmations=2)


def test_the_margin_is_both_finalities_plus_the_worst_delay_plus_the_skew() -> None:
    policy = TimelockPolicy(ONE_SECOND_BLOCKS, ChainTiming(5.0, 3), worst_delay=30, clock_skew=15)
    assert policy.rule_margin() == 3 + 20 + 30 + 15


def test_a_quotes_timelocks_leave_the_margin_even_for_a_lock_made_at_the_quotes_expiry() -> None:
    policy = TimelockPolicy(ONE_SECOND_BLOCKS, ONE_SECOND_BLOCKS)
    timelock_a, timelock_b = policy.choose(now_b=1_000_000, quote_ttl=60)
    assert policy.leaves_margin(timelock_a, timelock_b)
    assert timelock_b - (1_000_000 + 60) == policy.duration_b()


def test_the_contracts_larger_margin_and_minimum_duration_are_used() -> None:
    policy = TimelockPolicy(
        ONE_SECOND_BLOCKS, ONE_SECOND_BLOCKS, contract_margin=1_800, contract_min_lock=900
    )
    assert policy.margin() == 1_800
    assert policy.duration_b() >= 900 + 120
    timelock_a, timelock_b = policy.choose(now_b=0, quote_ttl=60)
    assert timelock_a - timelock_b >= 1_800


def test_a_timelock_pair_closer_than_the_margin_is_not_locked_against() -> None:
    policy = TimelockPolicy(ONE_SECOND_BLOCKS, ONE_SECOND_BLOCKS)
    assert not policy.leaves_margin(10_000 + policy.margin() - 1, 10_000)


def test_a_contract_enforcing_less_than_the_rule_is_refused() -> None:
    policy = TimelockPolicy(ONE_SECOND_BLOCKS, ONE_SECOND_BLOCKS)
    with pytest.raises(ConfigurationError, match="safetyMargin"):
        policy.check_contract_margin(policy.rule_margin() - 1)
    policy.check_contract_margin(policy.rule_margin())
