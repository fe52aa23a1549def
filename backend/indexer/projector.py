"""Derived state from decoded events: the one place that knows what each event means.

The projector reads events in the form stored in ``events`` (JSON args, integers as decimal
strings), so indexing a fresh chunk, undoing a reorg and rebuilding everything from the
``events`` table all go through the same code (DESIGN invariant 5: every value can be rebuilt
from events alone).

Sums are gathered in memory per batch and written with one read and a few bulk statements per
table at ``flush``; per-event rows are bulk-inserted; latest values go through the ORM (there
are few of them). A sum row whose numbers are all zero is deleted, so undoing events and never
having seen them leave the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eth_utils import keccak
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..chain.errors import code_for_selector
from ..core.db import check_int64
from . import htlc
from .models import (
    MERCHANT_TOTAL_COLUMNS,
    AccountFreeze,
    AddressEvent,
    Attestation,
    Balance,
    GovernanceMember,
    GovernanceProposal,
    GovernanceVote,
    IndexTotal,
    Merchant,
    MerchantIssuer,
    MerchantTotals,
    OrderCounter,
    OrderRejection,
    PayeeCredit,
    PlatformParameter,
    PointValueChange,
    SettlementAccount,
    Swap,
    SwapUser,
    TokenSupply,
    UsedNonce,
)
from .sum_writer import flush_keyed, flush_pairs

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ISSUER_ROLE = "0x" + keccak(text="ISSUER_ROLE").hex()  # PointsToken.ISSUER_ROLE
FREEZE_AUTHORITY = {0: "by_merchant", 1: "by_governance"}  # IPointsToken.FreezeAuthority
BPS = 10_000
DEFAULT_VOTING_PERIOD = 7 * 24 * 3600  # ConsortiumGovernance.DEFAULT_VOTING_PERIOD
MERCHANT_STATUS = {1: "active", 2: "suspended"}

EventRecord = Mapping[str, Any]  # the columns of one ``events`` row
TOTAL = {name: i for i, name in enumerate(MERCHANT_TOTAL_COLUMNS)}  # column → position

# Events that only change latest values: replayed alone after a reorg to recompute them.
LATEST_VALUE_EVENTS = frozenset(
    {
        "MerchantAdmitted",
        "MerchantStatusChanged",
        "MerchantAdminChanged",
        "MarketListed",
        "MarketStatusChanged",
        "PointValueChanged",
        "IssuanceCapChanged",
        "IssuanceSuspended",
        "AccountFrozen",
        "RoleGranted",
        "RoleRevoked",
        "IssuersRevoked",
        "CounterIncremented",
        "FeeChanged",
        "FeeSharesChanged",
        "PlatformPayeeChanged",
        "UserLimitChanged",
        "ValueBoundsChanged",
        "MinOrderValueChanged",
        "CoverFloorChanged",
        "ThresholdChanged",
        "Paused",
        "Unpaused",
        "MemberAdded",
        "MemberRemoved",
        "ConfigurationChanged",
        "VotingPeriodChanged",
        "ProposalCreated",
        "ProposalApproved",
        "ApprovalRevoked",
        "CancelVoted",
        "ProposalExecuted",
        "ProposalCancelled",
    }
    | htlc.EVENTS
)


def split_fee(fee: int, shares: Mapping[str, int], has_relayer: bool) -> dict[str, int]:
    """FeeSplit.split: merchant and relayer shares rounded down, the platform the rest."""
    source = fee * shares["sourceMerchantBps"] // BPS
    target = fee * shares["targetMerchantBps"] // BPS
    relayer = fee * shares["relayerBps"] // BPS if has_relayer else 0
    return {
        "platform": fee - source - target - relayer,
        "source": source,
        "target": target,
        "relayer": relayer,
    }


class Projector:
    """Applies events of one batch to the derived tables of ``session``; call ``flush`` last.

    ``latest_only`` replays only latest-value state (used after a reorg, where sums are undone
    by ``unapply`` and per-event rows by deleting them).
    """

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

    # ─── entry points ────────────────────────────────────────────────────────────────────

    def apply(self, events: Iterable[EventRecord]) -> None:
        for event in events:
            handler = getattr(self, "_on_" + event["event"], None)
            if handler is not None:
                handler(event, event["args"])
            elif event["event"] in htlc.BY_EVENT:
                htlc.BY_EVENT[event["event"]](self, event, event["args"])

    def unapply(self, events: Sequence[EventRecord]) -> None:
        """Subtracts the sums of ``events`` (a suffix of the log being removed). Reads the swaps
        rows for their fee split, so call it before deleting them."""
        keys = [(e["block_number"], e["log_index"]) for e in events if e["event"] == "Swapped"]
        swaps = {}
        if keys:
            first = min(block for block, _ in keys)
            table: Any = Swap.__table__
            for row in self.session.execute(select(table).where(table.c.block_number >= first)):
                swaps[(row.block_number, row.log_index)] = row._asdict()
        for event in events:
            name, args = event["event"], event["args"]
            if name == "Transfer":
                self._transfer(event["contract"], args, -1)
            elif name == "Swapped":
                self._swap_sums(swaps[(event["block_number"], event["log_index"])], -1)
            elif name in ("Issued", "Redeemed"):
                self._issue_sums(name, event["contract"], args, -1)
            elif name == "OrderRejected":
                self.counters["rejected_orders"] -= 1
            else:
                self._settlement_sums(name, args, -1)

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

    # ─── sums ────────────────────────────────────────────────────────────────────────────

    def _transfer(self, token: str, args: Mapping[str, Any], sign: int) -> None:
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

    def _settlement_sums(self, name: str, args: Mapping[str, Any], sign: int) -> None:
        if name == "SettlementDeposited":
            self.settlements[args["token"]][0] += int(args["amount"]) * sign
        elif name == "SettlementWithdrawn":
            self.settlements[args["token"]][0] -= int(args["amount"]) * sign
        elif name == "MerchantFeesWithdrawn":
            self.settlements[args["token"]][1] -= int(args["amount"]) * sign
        elif name == "PayeeCreditWithdrawn":
            self.payees[args["payee"]] -= int(args["amount"]) * sign

    def _swap_sums(self, row: Mapping[str, Any], sign: int) -> None:
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

    def _issue_sums(self, name: str, token: str, args: Mapping[str, Any], sign: int) -> None:
        count, points = (
            ("issues", "points_issued") if name == "Issued" else ("redemptions", "points_redeemed")
        )
        totals = self.totals[token]
        totals[TOTAL[count]] += sign
        totals[TOTAL[points]] += int(args["amount"]) * sign

    def _address_row(self, address: str, event: EventRecord, kind: str) -> None:
        self.rows[AddressEvent].append(
            {
                "address": address,
                "block_number": event["block_number"],
                "log_index": event["log_index"],
                "kind": kind,
            }
        )

    def _on_Transfer(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if self.latest_only:
            return
        token = event["contract"]
        self._transfer(token, args, 1)
        sender, receiver = args["from"], args["to"]
        # History shows holder-to-holder moves of points; mints and burns are told by Issued,
        # Redeemed and Swapped, and the settlement token's moves are merchants' business.
        if token in self.merchants_by_token and ZERO_ADDRESS not in (sender, receiver):
            self._address_row(sender, event, "transfer")
            if receiver != sender:
                self._address_row(receiver, event, "transfer")

    def _on_Issued(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if not self.latest_only:
            self._issue_sums("Issued", event["contract"], args, 1)
            self._address_row(args["to"], event, "issue")

    def _on_Redeemed(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if not self.latest_only:
            self._issue_sums("Redeemed", event["contract"], args, 1)
            self._address_row(args["holder"], event, "redeem")

    def _on_SettlementDeposited(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if not self.latest_only:
            self._settlement_sums(event["event"], args, 1)

    _on_SettlementWithdrawn = _on_SettlementDeposited
    _on_MerchantFeesWithdrawn = _on_SettlementDeposited
    _on_PayeeCreditWithdrawn = _on_SettlementDeposited

    # ─── per-event rows ──────────────────────────────────────────────────────────────────

    def _row(self, model: type, event: EventRecord, **values: Any) -> None:
        self.rows[model].append(
            {
                "block_number": event["block_number"],
                "log_index": event["log_index"],
                "tx_hash": event["tx_hash"],
                "block_timestamp": event["block_timestamp"],
                **values,
            }
        )

    def _on_Swapped(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if self.latest_only:
            return
        fee, relayer = int(args["fee"]), args["relayer"]
        shares = self.params["fee_shares"].value
        parts = split_fee(fee, shares, relayer != ZERO_ADDRESS)
        gross, amount_out = int(args["grossValue"]), int(args["amountOut"])
        swap = {
            "order_hash": args["orderHash"],
            "owner": args["owner"],
            "from_token": args["fromToken"],
            "to_token": args["toToken"],
            "nonce": args["nonce"],
            "amount_in": check_int64(int(args["amountIn"]), "amountIn"),
            "amount_out": check_int64(amount_out, "amountOut"),
            "gross_value": check_int64(gross, "grossValue"),
            "paid_to_target": gross - fee,
            "fee": fee,
            "dust": int(args["dust"]),
            "relayer": relayer,
            "platform_payee": self.params["platform_payee"].value,
            "platform_fee": parts["platform"],
            "source_merchant_fee": parts["source"],
            "target_merchant_fee": parts["target"],
            "relayer_fee": parts["relayer"],
        }
        self._row(Swap, event, **swap)
        self._swap_sums(swap, 1)
        self._address_row(args["owner"], event, "swap")
        nonce = int(args["nonce"])
        self._row(
            UsedNonce,
            event,
            owner=args["owner"],
            word=str(nonce >> 8),
            mask=f"0x{1 << (nonce & 0xFF):064x}",
            source="swap",
        )

    def _on_OrderRejected(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        """Keyed by order hash. Only a rejection whose nonce the contract consumed (after
        verifying the owner's signature) is the owner's: it uses the nonce and enters the
        owner's history. Any other names an owner and nonce only a relayer claimed."""
        if not self.latest_only:
            reason = args["reason"]
            self._row(
                OrderRejection,
                event,
                order_hash=args["orderHash"],
                owner=args["owner"],
                nonce=args["nonce"],
                reason=reason,
                reason_code=code_for_selector(bytes.fromhex(reason[2:])),
            )
            self.counters["rejected_orders"] += 1
            if args["nonceConsumed"]:
                nonce = int(args["nonce"])
                self._row(
                    UsedNonce,
                    event,
                    owner=args["owner"],
                    word=str(nonce >> 8),
                    mask=f"0x{1 << (nonce & 0xFF):064x}",
                    source="reject",
                )
                self._address_row(args["owner"], event, "rejected")

    def _on_NoncesCancelled(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if not self.latest_only:
            mask = f"0x{int(args['mask']):064x}"
            self._row(
                UsedNonce, event, owner=args["owner"], word=args["word"], mask=mask, source="cancel"
            )

    def _on_Attested(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if not self.latest_only:
            self._row(
                Attestation,
                event,
                id=int(args["id"]),
                auditor=args["auditor"],
                attested_block=int(args["blockNumber"]),
                attested_block_hash=args.get("blockHash"),  # absent before issue 13
                history_digest=args["historyDigest"],
                report_hash=args["reportHash"],
            )

    # ─── merchants and markets ───────────────────────────────────────────────────────────

    def _on_MerchantAdmitted(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        token = args["token"]
        merchant = Merchant(
            id=int(args["id"]),
            token=token,
            name=args["name"],
            symbol=args["symbol"],
            admin=args["admin"],
            status="active",
            market_active=False,
            point_value=0,
            issuance_cap=self.pending_caps.pop(token, 0),
            issuance_suspended=False,
            admitted_block=event["block_number"],
            admitted_at=event["block_timestamp"],
        )
        self.session.add(merchant)
        self.merchants_by_token[token] = merchant
        self.merchants_by_id[merchant.id] = merchant
        self.new_tokens.append(token)

    def _on_MerchantStatusChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        merchant = self.merchants_by_id.get(int(args["id"]))
        if merchant is not None:
            merchant.status = MERCHANT_STATUS.get(int(args["status"]), args["status"])

    def _on_MerchantAdminChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        merchant = self.merchants_by_id.get(int(args["id"]))
        if merchant is not None:
            merchant.admin = args["admin"]

    def _on_MarketListed(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        value = check_int64(int(args["pointValue"]), "pointValue")
        merchant = self.merchants_by_token.get(args["token"])
        if merchant is not None:
            merchant.point_value, merchant.market_active = value, True
        if not self.latest_only:
            self._row(PointValueChange, event, token=args["token"], old_value=None, new_value=value)

    def _on_MarketStatusChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        merchant = self.merchants_by_token.get(args["token"])
        if merchant is not None:
            merchant.market_active = bool(args["active"])

    def _on_PointValueChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        value = check_int64(int(args["newValue"]), "newValue")
        merchant = self.merchants_by_token.get(args["token"])
        if merchant is not None:
            merchant.point_value = value
        if not self.latest_only:
            old = int(args["oldValue"])
            self._row(PointValueChange, event, token=args["token"], old_value=old, new_value=value)

    def _on_IssuanceCapChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        cap = check_int64(int(args["cap"]), "issuance cap")
        merchant = self.merchants_by_token.get(event["contract"])
        if merchant is None:  # the token's constructor runs before MerchantAdmitted
            self.pending_caps[event["contract"]] = cap
        else:
            merchant.issuance_cap = cap

    def _on_IssuanceSuspended(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        merchant = self.merchants_by_token.get(event["contract"])
        if merchant is not None:
            merchant.issuance_suspended = bool(args["suspended"])

    # ─── freezes and issuer keys (points tokens) ───────────────────────────────────────────

    def _on_AccountFrozen(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        key = (event["contract"], args["account"])
        row = self.session.get(AccountFreeze, key)
        if row is None:
            row = AccountFreeze(
                token=key[0], account=key[1], by_merchant=False, by_governance=False
            )
            self.session.add(row)
        setattr(row, FREEZE_AUTHORITY[int(args["authority"])], bool(args["frozen"]))
        if not (row.by_merchant or row.by_governance):
            self.session.delete(row)

    def _on_RoleGranted(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        key = (event["contract"], args["account"])
        if args["role"] == ISSUER_ROLE and self.session.get(MerchantIssuer, key) is None:
            self.session.add(MerchantIssuer(token=key[0], issuer=key[1]))

    def _on_RoleRevoked(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if args["role"] == ISSUER_ROLE:
            row = self.session.get(MerchantIssuer, (event["contract"], args["account"]))
            if row is not None:
                self.session.delete(row)

    def _on_IssuersRevoked(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self.session.flush()  # rows added earlier in this batch are deleted too
        self.session.execute(
            delete(MerchantIssuer).where(MerchantIssuer.token == event["contract"])
        )
        self.session.expire_all()

    def _on_CounterIncremented(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        counter = self.session.get(OrderCounter, args["owner"])
        if counter is None:
            self.session.add(OrderCounter(owner=args["owner"], counter=args["counter"]))
        else:
            counter.counter = args["counter"]

    # ─── platform parameters ─────────────────────────────────────────────────────────────

    def _set_param(self, name: str, value: Any, event: EventRecord) -> None:
        param = self.params.get(name)
        if param is None:
            param = PlatformParameter(name=name, value=value, block_number=event["block_number"])
            self.session.add(param)
            self.params[name] = param
        else:
            param.value, param.block_number = value, event["block_number"]

    def _on_FeeChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("fee_bps", int(args["feeBps"]), event)

    def _on_FeeSharesChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("fee_shares", {k: int(v) for k, v in args.items()}, event)

    def _on_PlatformPayeeChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("platform_payee", args["payee"], event)

    def _on_UserLimitChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("user_limit", dict(args), event)

    def _on_ValueBoundsChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("value_bounds", dict(args), event)

    def _on_MinOrderValueChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("min_order_value", int(args["minOrderValue"]), event)

    def _on_CoverFloorChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("cover_floor_bps", int(args["coverFloorBps"]), event)

    def _on_ThresholdChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("governance_threshold", int(args["threshold"]), event)

    def _on_Paused(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param(f"paused:{event['contract']}", event["event"] == "Paused", event)

    _on_Unpaused = _on_Paused

    # ─── governance ──────────────────────────────────────────────────────────────────────

    def _on_MemberAdded(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        if self.session.get(GovernanceMember, args["member"]) is None:
            self.session.add(
                GovernanceMember(member=args["member"], added_block=event["block_number"])
            )

    def _on_MemberRemoved(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        member = self.session.get(GovernanceMember, args["member"])
        if member is not None:
            self.session.delete(member)

    def _on_ConfigurationChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        """A membership or threshold change voids every vote cast before it (on chain, votes
        count only in their epoch): the open proposals' counts start again from 0."""
        self._set_param("governance_epoch", int(args["epoch"]), event)
        pending = select(GovernanceProposal).where(GovernanceProposal.status == "pending")
        for proposal in self.session.scalars(pending):
            proposal.approvals, proposal.cancel_votes = 0, 0

    def _on_VotingPeriodChanged(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._set_param("governance_voting_period", int(args["votingPeriod"]), event)

    def _param(self, name: str, default: int) -> int:
        param = self.params.get(name)
        return default if param is None else int(param.value)

    def _on_ProposalCreated(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        period = self._param("governance_voting_period", DEFAULT_VOTING_PERIOD)
        self.session.add(
            GovernanceProposal(
                id=int(args["id"]),
                proposer=args["proposer"],
                description=args["description"],
                calls=args["calls"],
                status="pending",
                approvals=0,
                cancel_votes=0,
                created_block=event["block_number"],
                created_at=event["block_timestamp"],
                closed_block=None,
                deadline=int(event["block_timestamp"]) + period,
            )
        )

    def _vote(self, event: EventRecord, args: Mapping[str, Any], kind: str, step: int) -> None:
        proposal = self.session.get(GovernanceProposal, int(args["id"]))
        if proposal is not None:
            if kind == "cancel":
                proposal.cancel_votes += step
            else:
                proposal.approvals += step
        if not self.latest_only:
            self._row(
                GovernanceVote,
                event,
                proposal_id=int(args["id"]),
                member=args["member"],
                kind=kind,
                epoch=self._param("governance_epoch", 0),
            )

    def _on_ProposalApproved(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._vote(event, args, "approved", 1)

    def _on_ApprovalRevoked(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._vote(event, args, "revoked", -1)

    def _on_CancelVoted(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._vote(event, args, "cancel", 1)

    def _close(self, event: EventRecord, args: Mapping[str, Any], status: str) -> None:
        proposal = self.session.get(GovernanceProposal, int(args["id"]))
        if proposal is not None:
            proposal.status, proposal.closed_block = status, event["block_number"]

    def _on_ProposalExecuted(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._close(event, args, "executed")

    def _on_ProposalCancelled(self, event: EventRecord, args: Mapping[str, Any]) -> None:
        self._close(event, args, "cancelled")
