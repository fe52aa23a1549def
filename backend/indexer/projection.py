"""What every handler of the projector shares: one batch's gathered sums and rows, and how
they are written.

Sums are gathered in memory per batch and written with one read and a few bulk statements per
table at ``flush``; per-event rows are bulk-inserted; latest values go through the ORM (there
are few of them). A sum row whose numbers are all zero is deleted, so undoing events and never
having seen them leave the same rows. The handlers of each contract family (``project_*.py``)
are functions of a ``Projection``; ``projector.Projector`` dispatches events to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..chain.artifacts import all_abis
from ..chain.constants import ZERO_ADDRESS
from .expiry_buckets import Buckets
from .models import (
    MERCHANT_TOTAL_COLUMNS,
    AddressEvent,
    Balance,
    IndexTotal,
    Merchant,
    MerchantTotals,
    PayeeCredit,
    PlatformParameter,
    SettlementAccount,
    SwapUser,
    TokenSupply,
)
from .sum_writer import flush_keyed, flush_pairs

DOMAIN_FIXED = "OpenZeppelin's IERC5267 declares it; the EIP-712 domain is fixed at deployment"

EventRecord = Mapping[str, Any]  # the columns of one ``events`` row
TOTAL = {name: i for i, name in enumerate(MERCHANT_TOTAL_COLUMNS)}  # column → position
Handler = Callable[["Projection", EventRecord, Mapping[str, Any]], None]


@cache
def declaring(event: str) -> tuple[str, ...]:
    """The contracts whose committed ABI declares ``event`` (for names several share)."""
    return tuple(
        sorted(
            kind
            for kind, entries in all_abis().items()
            if any(e.get("type") == "event" and e.get("name") == event for e in entries)
        )
    )


class Projection:
    """One batch's state over ``session``: the family handlers gather into it; ``flush``
    writes it. ``latest_only`` marks a replay of latest-value state alone (after a reorg)."""

    def __init__(self, session: Session, *, latest_only: bool = False) -> None:
        self.session = session
        self.latest_only = latest_only
        self.balances: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.supplies: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.settlements: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.payees: defaultdict[str, int] = defaultdict(int)
        self.totals: defaultdict[str, list[int]] = defaultdict(
            lambda: [0] * len(MERCHANT_TOTAL_COLUMNS)
        )
        self.swap_users: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.counters: defaultdict[str, int] = defaultdict(int)
        self.rows: defaultdict[type, list[dict[str, Any]]] = defaultdict(list)
        self.params = {p.name: p for p in session.scalars(select(PlatformParameter))}
        merchants = list(session.scalars(select(Merchant)))
        self.merchants_by_token = {m.token: m for m in merchants}
        self.merchants_by_id = {m.id: m for m in merchants}
        self.pending_caps: dict[str, int] = {}  # a token's cap, set before it is admitted
        self.new_tokens: list[str] = []
        self.expiry = Buckets(session)  # issue 16: buckets by expiry key (project_expiry)

    def flush(self) -> None:
        """Writes everything gathered since the last flush into the session's transaction."""
        session = self.session
        flush_pairs(session, Balance.__table__, ("token", "holder"), "amount", self.balances)
        flush_keyed(
            session,
            TokenSupply.__table__,
            "token",
            self.supplies,
            ("minted", "burned"),
            supply=True,
        )
        flush_keyed(
            session,
            SettlementAccount.__table__,
            "token",
            self.settlements,
            ("settlement_balance", "fee_credit"),
        )
        flush_keyed(
            session,
            PayeeCredit.__table__,
            "payee",
            {k: [v] for k, v in self.payees.items()},
            ("credit",),
        )
        flush_keyed(session, MerchantTotals.__table__, "token", self.totals, MERCHANT_TOTAL_COLUMNS)
        flush_keyed(
            session,
            IndexTotal.__table__,
            "name",
            {k: [v] for k, v in self.counters.items()},
            ("value",),
        )
        flush_pairs(session, SwapUser.__table__, ("token", "owner"), "swaps", self.swap_users)
        self.expiry.flush()
        connection = self.session.connection()
        for model, rows in self.rows.items():
            if rows:
                connection.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]
        self.balances.clear()
        self.supplies.clear()
        self.settlements.clear()
        self.payees.clear()
        self.totals.clear()
        self.swap_users.clear()
        self.counters.clear()
        self.rows.clear()
        self.session.flush()

    def transfer(self, token: str, args: Mapping[str, Any], sign: int) -> None:
        value = int(args["value"]) * sign
        sender, receiver = args["from"], args["to"]
        if sender == ZERO_ADDRESS:
            self.supplies[token][0] += value
        else:
            self.balances[(token, sender)] -= value
        if receiver == ZERO_ADDRESS:
            self.supplies[token][1] += value
        else:
            self.balances[(token, receiver)] += value

    def settlement_sums(self, name: str, args: Mapping[str, Any], sign: int) -> None:
        if name == "SettlementDeposited":
            self.settlements[args["token"]][0] += int(args["amount"]) * sign
        elif name == "SettlementWithdrawn":
            self.settlements[args["token"]][0] -= int(args["amount"]) * sign
        elif name == "MerchantFeesWithdrawn":
            self.settlements[args["token"]][1] -= int(args["amount"]) * sign
        elif name == "PayeeCreditWithdrawn":
            self.payees[args["payee"]] -= int(args["amount"]) * sign

    def swap_sums(self, row: Mapping[str, Any], sign: int) -> None:
        source, target = self.settlements[row["from_token"]], self.settlements[row["to_token"]]
        source[0] -= row["gross_value"] * sign
        source[1] += row["source_merchant_fee"] * sign
        target[0] += row["paid_to_target"] * sign
        target[1] += row["target_merchant_fee"] * sign
        self.payees[row["platform_payee"]] += row["platform_fee"] * sign
        if row["relayer_fee"]:
            self.payees[row["relayer"]] += row["relayer_fee"] * sign
        out, into = self.totals[row["from_token"]], self.totals[row["to_token"]]
        for column, value in (
            ("swaps_out", 1),
            ("points_out", row["amount_in"]),
            ("value_out", row["gross_value"]),
            ("fees_paid", row["fee"]),
            ("source_fees", row["source_merchant_fee"]),
            ("platform_fees", row["platform_fee"]),
            ("relayer_fees", row["relayer_fee"]),
        ):
            out[TOTAL[column]] += value * sign
        for column, value in (
            ("swaps_in", 1),
            ("points_in", row["amount_out"]),
            ("value_in", row["paid_to_target"]),
            ("target_fees", row["target_merchant_fee"]),
        ):
            into[TOTAL[column]] += value * sign
        self.swap_users[(row["from_token"], row["owner"])] += sign
        if row["to_token"] != row["from_token"]:
            self.swap_users[(row["to_token"], row["owner"])] += sign

    def issue_sums(self, name: str, token: str, args: Mapping[str, Any], sign: int) -> None:
        count, points = (
            ("issues", "points_issued") if name == "Issued" else ("redemptions", "points_redeemed")
        )
        totals = self.totals[token]
        totals[TOTAL[count]] += sign
        totals[TOTAL[points]] += int(args["amount"]) * sign

    def address_row(self, address: str, event: EventRecord, kind: str) -> None:
        self.rows[AddressEvent].append(
            {
                "address": address,
                "block_number": event["block_number"],
                "log_index": event["log_index"],
                "kind": kind,
            }
        )

    def row(self, model: type, event: EventRecord, **values: Any) -> None:
        self.rows[model].append(
            {
                "block_number": event["block_number"],
                "log_index": event["log_index"],
                "tx_hash": event["tx_hash"],
                "block_timestamp": event["block_timestamp"],
                **values,
            }
        )

    def set_param(self, name: str, value: Any, event: EventRecord) -> None:
        param = self.params.get(name)
        if param is None:
            param = PlatformParameter(name=name, value=value, block_number=event["block_number"])
            self.session.add(param)
            self.params[name] = param
        else:
            param.value, param.block_number = value, event["block_number"]

    def param(self, name: str, default: int) -> int:
        param = self.params.get(name)
        return default if param is None else int(param.value)
