"""PointsToken's expiry buckets against a small Python model, on random programs (issue 16).

Each Hypothesis example runs a random program of issues, transfers (keys carried), redeems,
the exchange's burns (earliest key returned) and keyed mints, rule changes, sweeps and jumps
of time, some landing exactly on a month boundary, against the same program on
points_token_expiry_model.Buckets. After every step every holder's buckets (bucketsOf),
balanceOf, expiredBalanceOf and the supply must be the model's, and the supply must be
Σ balanceOf + Σ expiredBalanceOf. Views are read at the step's own block so the month they
see is the one the model uses.

TONGDUI_EXPIRY_EXAMPLES programs (default 12) of TONGDUI_EXPIRY_STEPS steps (default 25).
"""

from __future__ import annotations

import os
from typing import Any

from brownie import accounts, chain, web3
from brownie.exceptions import VirtualMachineError
from eth_utils import keccak
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from tests.contracts.points_token_expiry_model import (
    NEVER,
    Buckets,
    Insufficient,
    expiry_of,
    key_for,
    month_of,
)

EXAMPLES = int(os.environ.get("TONGDUI_EXPIRY_EXAMPLES", "12"))
STEPS = int(os.environ.get("TONGDUI_EXPIRY_STEPS", "25"))
RULES = [(0, 0), (1, 1), (2, 1), (3, 3), (6, 6), (12, 12), (24, 3), (5, 12)]
DAY = 86_400

amounts = st.integers(1, 50) | st.integers(1, 5_000)
steps = st.one_of(
    st.tuples(st.just("issue"), st.integers(0, 2), amounts),
    st.tuples(st.just("rule"), st.sampled_from(RULES)),
    st.tuples(st.just("transfer"), st.integers(0, 2), st.integers(0, 2), amounts),
    st.tuples(st.just("redeem"), st.integers(0, 2), amounts),
    st.tuples(st.just("burn"), st.integers(0, 2), amounts),
    st.tuples(st.just("mint_key"), st.integers(0, 2), amounts, st.integers(-3, 30)),
    st.tuples(st.just("sweep"), st.integers(0, 2)),
    st.tuples(st.just("sleep"), st.integers(1, 70)),  # days
    st.tuples(st.just("boundary"), st.sampled_from((-1, 0, 1))),  # to the next expiry
)


def error_name(exc: VirtualMachineError) -> str:
    return (exc.revert_msg or "").split(":")[0].strip()


def test_the_buckets_are_the_models_after_every_step(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    token, admin = tokens["SKYM"], admins["SKYM"]
    exchange = platform.exchange.address
    web3.provider.make_request("anvil_impersonateAccount", [exchange])
    web3.provider.make_request("anvil_setBalance", [exchange, hex(10**18)])
    as_exchange = accounts.at(exchange, force=True)
    holders = [accounts.add(keccak(text=f"tongdui expiry model {i}").hex()) for i in range(3)]
    for holder in holders:
        accounts[0].transfer(holder, "1 ether")
    opening_supply = token.totalSupply()  # the seeded users' points, untouched here
    chain.snapshot()

    def check(model: Buckets) -> None:
        block = web3.eth.block_number
        month = month_of(int(web3.eth.get_block(block)["timestamp"]))
        spendable = expired = 0
        for holder in holders:
            keys, values = token.bucketsOf(holder, block_identifier=block)
            assert list(zip(keys, values, strict=True)) == model.of(holder.address)
            balance = token.balanceOf(holder, block_identifier=block)
            gone = token.expiredBalanceOf(holder, block_identifier=block)
            assert (balance, gone) == (
                model.spendable(holder.address, month),
                model.expired(holder.address, month),
            )
            spendable, expired = spendable + balance, expired + gone
        supply = token.totalSupply(block_identifier=block) - opening_supply
        assert supply == model.supply == spendable + expired

    def send(fn: Any, *args: Any, sender: Any) -> tuple[Any, str | None, int]:
        try:
            tx = fn(*args, {"from": sender})
            return tx, None, tx.timestamp
        except VirtualMachineError as exc:
            return None, error_name(exc), int(chain[-1].timestamp)

    def run(program: list[tuple[Any, ...]]) -> None:
        chain.revert()
        model = Buckets()
        rule = (0, 0)
        token.setExpiryRule(*rule, {"from": admin})
        keys_seen: list[int] = []
        for number, step in enumerate(program, 1):
            kind = step[0]
            note(f"step {number}: {step}")
            if kind == "issue":
                holder, amount = holders[step[1]], step[2]
                tx, error, when = send(token.issue, holder, amount, sender=admin)
                assert error is None
                model.mint(holder.address, key_for(when, *rule), amount)
                keys_seen.append(key_for(when, *rule))
            elif kind == "rule":
                rule = step[1]
                token.setExpiryRule(*rule, {"from": admin})
            elif kind in ("transfer", "redeem", "burn"):
                holder = holders[step[1]]
                if kind == "transfer":
                    receiver, amount = holders[step[2]], step[3]
                    tx, error, when = send(token.transfer, receiver, amount, sender=holder)
                elif kind == "redeem":
                    amount = step[2]
                    tx, error, when = send(token.redeem, amount, sender=holder)
                else:
                    amount = step[2]
                    tx, error, when = send(token.exchangeBurn, holder, amount, sender=as_exchange)
                month = month_of(when)
                try:
                    if kind == "transfer":
                        swept = model.transfer(holder.address, receiver.address, amount, month)
                    else:
                        earliest, swept = model.burn(holder.address, amount, month)
                except Insufficient:
                    assert error == "ERC20InsufficientBalance", error
                    continue
                assert error is None, error
                expired = (
                    [(e["key"], e["amount"]) for e in tx.events["PointsExpired"]]
                    if ("PointsExpired" in tx.events)
                    else []
                )
                assert expired == swept
                if kind == "burn":
                    assert tx.return_value == earliest
            elif kind == "mint_key":
                holder, amount = holders[step[1]], step[2]
                key = max(1, month_of(int(chain[-1].timestamp)) + step[3])
                tx, error, when = send(
                    token.exchangeMintWithKey, holder, amount, key, sender=as_exchange
                )
                assert error is None
                model.mint(holder.address, key, amount)
                keys_seen.append(key)
            elif kind == "sweep":
                holder = holders[step[1]]
                tx, error, when = send(token.sweepExpired, holder, sender=admin)
                assert error is None
                swept = model.sweep(holder.address, month_of(when))
                assert tx.return_value == sum(a for _, a in swept)
            elif kind == "sleep":
                chain.sleep(step[1] * DAY)
                chain.mine()
            elif kind == "boundary":
                now = int(chain[-1].timestamp)
                ahead = sorted(expiry_of(k) for k in keys_seen if k != NEVER)
                target = next((t for t in ahead if t + step[1] > now + 1), None)
                if target is not None:
                    web3.provider.make_request("evm_mine", [target + step[1]])
            check(model)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(program=st.lists(steps, min_size=STEPS, max_size=STEPS))
    def random_programs(program: list[tuple[Any, ...]]) -> None:
        run(program)

    random_programs()
