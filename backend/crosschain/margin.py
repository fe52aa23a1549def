"""How far apart the two timelocks must be, and how they are chosen.

The user locks on A until ``T_A``; the bridge member locks on B until ``T_B < T_A``. The user
can claim on B until ``T_B`` and so reveal the secret as late as ``T_B - 1``; the bridge member
must then still claim on A before ``T_A``. Between those two moments lie: B's finality (the
coordinator only believes a claim it sees ``confirmations_b`` blocks deep), the coordinator's
worst delay (a restart: it was killed and comes back), A's finality (the claim on A must be
mined and final before ``T_A``, else a reorg could undo it after a refund became possible),
and the skew between the two chains' clocks (each contract compares with its own
``block.timestamp``). So

    margin = finality_A + finality_B + worst_coordinator_delay + clock_skew
    finality_X = confirmations_X × block_period_X  (plus one block to be mined at all)

and ``T_A ≥ T_B + margin`` is required twice: by ``HashedTimelock.lock`` on B
(``counterpartTimelock ≥ timelock + safetyMargin``, the contract's immutable margin) and by
the coordinator, which refuses to lock on B when the user's lock on A leaves less (it would
rather let both sides refund than take the risk).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import ConfigurationError


@dataclass(frozen=True)
class ChainTiming:
    """One chain's finality as the coordinator waits for it."""

    block_period: float  # seconds per block (1 s on the demo chains)
    confirmations: int  # blocks behind the head before an event is believed

    def finality(self) -> int:
        return round((self.confirmations + 1) * max(self.block_period, 1.0))


@dataclass(frozen=True)
class TimelockPolicy:
    """The margin rule and the lock durations the bridge member quotes."""

    chain_a: ChainTiming
    chain_b: ChainTiming
    worst_delay: int = 30  # s: a coordinator restart (process manager + catch-up)
    clock_skew: int = 15  # s: the chains' block timestamps may differ by this much
    lock_b_duration: int = 600  # s the bridge member's lock on B stays open (at least)
    # the deployed contracts' own bounds (HashedTimelock.safetyMargin / minLockDuration)
    contract_margin: int = 0
    contract_min_lock: int = 0

    def rule_margin(self) -> int:
        """The margin rule: both chains' finality + worst coordinator delay + clock skew."""
        return (
            self.chain_a.finality() + self.chain_b.finality() + self.worst_delay + self.clock_skew
        )

    def margin(self) -> int:
        """What T_A − T_B must be: the rule's margin, or the contracts' if that is larger."""
        return max(self.rule_margin(), self.contract_margin)

    def duration_b(self) -> int:
        """How long the bridge member's lock lasts: room above the contract's minimum for the
        user's lock and its confirmations to land first."""
        return max(self.lock_b_duration, self.contract_min_lock + 120)

    def check_contract_margin(self, contract_margin: int) -> None:
        """The deployed contract must enforce at least the margin this coordinator needs."""
        if contract_margin < self.rule_margin():
            raise ConfigurationError(
                f"HashedTimelock's safetyMargin is {contract_margin} s but the coordinator needs "
                f"{self.rule_margin()} s (finality of both chains + worst delay + clock skew): "
                "deploy it with a larger margin (TONGDUI_HTLC_SAFETY_MARGIN_SECONDS), or lower "
                "the confirmations/worst delay settings"
            )

    def choose(self, now_b: int, quote_ttl: int) -> tuple[int, int]:
        """(T_A, T_B) for a quote made at B's time ``now_b``, valid ``quote_ttl`` seconds.

        T_B is counted from the quote's expiry, so the user's lock, however late it lands
        within the quote's life, still leaves the bridge member's lock its full duration;
        T_A adds the margin (and the skew once more, since T_A is read on the other chain).
        """
        timelock_b = now_b + quote_ttl + self.duration_b()
        return timelock_b + self.margin() + self.clock_skew, timelock_b

    def leaves_margin(self, timelock_a: int, timelock_b: int) -> bool:
        return timelock_a >= timelock_b + self.margin()
