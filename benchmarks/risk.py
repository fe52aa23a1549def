"""What the risk rules add to intake's transaction, beside the pending-amounts query intake
already makes for every group (the baseline, in the same run on the same database).

``python -m benchmarks.risk [--owners N] [--orders-per-owner M] [--groups G]``: a fresh SQLite
database with N owners × M orders and gifts over the last two days, every owner linked to a CRM
member with M recorded uses; then G groups of one order each (intake's group under light load)
are judged by all five kinds of rule at once (``RiskBook`` + ``judge``), and separately only
loaded by ``PendingBook``. Each in its own transaction, rolled back.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from tongdui.chain.eip712 import SwapOrder
from tongdui.core.db import make_engine, migrate, session_factory
from tongdui.members.models import MemberLink
from tongdui.relayer.models import RelayerOrder, RelayerRequest
from tongdui.relayer.order_store import PendingBook
from tongdui.risk.book import Request, RiskBook
from tongdui.risk.models import RiskMemberUse
from tongdui.risk.rules import Action, Kind, Rule

SKY, BEAN = "0x" + "a1" * 20, "0x" + "b2" * 20
RULES = [
    Rule(1, Kind.VELOCITY_ADDRESS, Action.HOLD, max_count=10, window=60),
    Rule(2, Kind.VELOCITY_ADDRESS, Action.REFUSE, max_count=100, window=86_400),
    Rule(3, Kind.VELOCITY_MEMBER, Action.HOLD, merchant_token=SKY, max_count=20, window=3600),
    Rule(4, Kind.COOLING, Action.HOLD, window=86_400),
    Rule(5, Kind.AMOUNT, Action.REFUSE, max_amount=1_000_000),
    Rule(6, Kind.BLOCKLIST, Action.REFUSE, addresses=frozenset({"0x" + "dd" * 20})),
]


def owner(i: int) -> str:
    return "0x" + f"{i:040x}"


def seed(url: str, owners: int, per_owner: int) -> None:
    sessions = session_factory(make_engine(url))
    now, rng = time.time(), random.Random(7)
    with sessions() as session, session.begin():
        orders: list[dict[str, Any]] = []
        gifts: list[dict[str, Any]] = []
        uses: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for i in range(owners):
            who = owner(i)
            links.append(
                {
                    "merchant_token": SKY,
                    "member_hash": f"{i:064x}",
                    "address": who,
                    "linked_at": datetime.now(UTC),
                }
            )
            for n in range(per_owner):
                at = now - rng.uniform(0, 2 * 86_400)
                row = {"owner": who, "created_at": at, "updated_at": at}
                if n % 5 == 4:
                    gifts.append(
                        {
                            **row,
                            "request_hash": f"0x{i:032x}{n:032x}",
                            "kind": "gift",
                            "payload": "{}",
                            "state": "done",
                            "attempts": 0,
                        }
                    )
                else:
                    orders.append(
                        {
                            **row,
                            "order_hash": f"0x{i:032x}{n:032x}",
                            "from_token": SKY,
                            "to_token": BEAN,
                            "amount_in": 100,
                            "min_amount_out": 1,
                            "nonce": str(n),
                            "deadline": int(now) + 600,
                            "counter": 0,
                            "signature": "0x",
                            "quoted_gross": 1000,
                            "state": "settled",
                            "attempts": 0,
                        }
                    )
                uses.append(
                    {"merchant_token": SKY, "member_hash": f"{i:064x}", "address": who, "at": at}
                )
        session.execute(insert(RelayerOrder), orders)
        session.execute(insert(RelayerRequest), gifts)
        session.execute(insert(RiskMemberUse), uses)
        session.execute(insert(MemberLink), links)


def run(owners: int, per_owner: int, groups: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-bench-risk-"))
    url = f"sqlite:///{folder / 'risk.db'}"
    migrate(url)
    seed(url, owners, per_owner)
    sessions = session_factory(make_engine(url))
    rng = random.Random(11)
    picks = [owner(rng.randrange(owners)) for _ in range(groups)]
    timings: dict[str, float] = {}
    verdicts = 0
    for name in ("pending", "risk", "pending", "risk"):  # twice each: the second, warm, counts
        start = time.perf_counter()
        for who in picks:
            with sessions() as session, session.begin():
                if name == "pending":
                    order = SwapOrder(who, SKY, BEAN, 100, 1, 1, int(time.time()) + 600, 0)
                    PendingBook(session.connection(), [order])
                else:
                    request = Request("order", "0x" + "00" * 32, who, SKY, BEAN, 100)
                    book = RiskBook(session, RULES, [request], time.time())
                    verdicts += book.judge(request) is not None
                session.rollback()
        timings[name] = (time.perf_counter() - start) / groups * 1e6
    return {
        "orders_and_gifts": owners * per_owner,
        "pending_us": timings["pending"],
        "risk_us": timings["risk"],
        "tripped": verdicts / 2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--owners", type=int, default=2000)
    parser.add_argument("--orders-per-owner", type=int, default=50)
    parser.add_argument("--groups", type=int, default=2000)
    args = parser.parse_args()
    figures = run(args.owners, args.orders_per_owner, args.groups)
    print(
        f"{figures['orders_and_gifts']:.0f} stored orders and gifts, {args.groups} groups: "
        f"risk facts + judgement {figures['risk_us']:.0f} µs per group beside the pending-"
        f"amounts query {figures['pending_us']:.0f} µs (ratio "
        f"{figures['risk_us'] / figures['pending_us']:.2f}); {figures['tripped']:.0f} tripped"
    )


if __name__ == "__main__":
    main()
