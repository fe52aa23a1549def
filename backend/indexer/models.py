"""The indexer's tables: the raw event log, its checkpoint, and state derived from the events.

Three kinds of table, and the way each is undone on a reorg:

* **the log** — ``events`` (one row per log, unique on ``(block_number, log_index)``),
  ``indexed_blocks`` (block hashes for reorg checks) and ``index_checkpoint`` (the last block
  fully indexed, written in the same transaction as the rows);
* **per-event rows** — ``swaps``, ``order_rejections``, ``used_nonces``,
  ``point_value_history``, ``governance_votes``, ``attestations``, ``address_events``: keyed
  by the event that made them, so a reorg deletes those above the common ancestor;
* **running state** — sums (``balances``, ``token_supplies``, ``settlement_accounts``,
  ``payee_credits``, ``merchant_totals``, ``swap_users``, ``index_totals``: undone by
  subtracting the removed events' deltas; a row whose numbers are all zero is deleted, so a
  replay and an undo give the same rows) and latest values (``merchants``,
  ``governance_proposals``, ``governance_members``, ``order_counters``,
  ``platform_parameters``, ``htlc_locks``: recomputed from the remaining events).

Everything but the log is derived: ``tongdui.indexer.store.rebuild`` recreates it from
``events`` alone. Addresses are checksummed; amounts are int64 (``Amount``); uint256 values
that need not be amounts (nonces, bitmap words) are decimal strings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Amount, Base
from ..vouchers import index_models as vouchers

ADDRESS = String(42)
HASH = String(66)
UINT256 = String(78)  # decimal digits of a uint256


class IndexCheckpoint(Base):
    """The last block whose logs are all in ``events`` (one row, ``id = 1``)."""

    __tablename__ = "index_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(HASH)


class IndexedBlock(Base):
    """Hashes of recent indexed blocks (those with logs, and each checkpoint) for reorg checks."""

    __tablename__ = "indexed_blocks"

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    block_hash: Mapped[str] = mapped_column(HASH)


class Event(Base):
    """Every log of the platform's contracts, decoded; ``args`` keeps uint256 as strings."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_contract_event", "contract", "event"),
        Index("ix_events_event", "event"),
        Index("ix_events_tx_hash", "tx_hash"),
    )

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    block_hash: Mapped[str] = mapped_column(HASH)
    block_timestamp: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(HASH)
    tx_index: Mapped[int] = mapped_column(Integer)
    contract: Mapped[str] = mapped_column(ADDRESS)
    event: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)


# ─── running sums ─────────────────────────────────────────────────────────────────────────


class Balance(Base):
    """Holdings of every points token and of the settlement token (from ``Transfer``)."""

    __tablename__ = "balances"
    __table_args__ = (Index("ix_balances_holder", "holder"),)

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    holder: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    amount: Mapped[int] = mapped_column(Amount)


class TokenSupply(Base):
    """Minted (``Transfer`` from 0), burned (to 0) and supply = minted − burned, per token."""

    __tablename__ = "token_supplies"

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    minted: Mapped[int] = mapped_column(Amount)
    burned: Mapped[int] = mapped_column(Amount)
    supply: Mapped[int] = mapped_column(Amount)


class SettlementAccount(Base):
    """A merchant's settlement balance and fee credit inside the exchange, per points token."""

    __tablename__ = "settlement_accounts"

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    settlement_balance: Mapped[int] = mapped_column(Amount)
    fee_credit: Mapped[int] = mapped_column(Amount)


class MerchantTotals(Base):
    """Running totals behind a merchant's statistics, so that reading them costs the same with
    ten swaps or ten million (``*_out``: swaps from its points; ``*_in``: swaps into them;
    ``platform_fees``/``relayer_fees``: of swaps from its points, so sums over merchants are the
    platform's)."""

    __tablename__ = "merchant_totals"

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    swaps_out: Mapped[int] = mapped_column(Amount)
    points_out: Mapped[int] = mapped_column(Amount)
    value_out: Mapped[int] = mapped_column(Amount)
    fees_paid: Mapped[int] = mapped_column(Amount)
    source_fees: Mapped[int] = mapped_column(Amount)
    platform_fees: Mapped[int] = mapped_column(Amount)
    relayer_fees: Mapped[int] = mapped_column(Amount)
    swaps_in: Mapped[int] = mapped_column(Amount)
    points_in: Mapped[int] = mapped_column(Amount)
    value_in: Mapped[int] = mapped_column(Amount)
    target_fees: Mapped[int] = mapped_column(Amount)
    issues: Mapped[int] = mapped_column(Amount)
    points_issued: Mapped[int] = mapped_column(Amount)
    redemptions: Mapped[int] = mapped_column(Amount)
    points_redeemed: Mapped[int] = mapped_column(Amount)


MERCHANT_TOTAL_COLUMNS = (
    "swaps_out", "points_out", "value_out", "fees_paid", "source_fees", "platform_fees",
    "relayer_fees", "swaps_in", "points_in", "value_in", "target_fees", "issues",
    "points_issued", "redemptions", "points_redeemed",
)  # fmt: skip


class SwapUser(Base):
    """How many swaps each owner made from or into each merchant's points: counting a
    merchant's (or the platform's) distinct swap users reads users, not swaps."""

    __tablename__ = "swap_users"
    __table_args__ = (Index("ix_swap_users_owner", "owner"),)

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    owner: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    swaps: Mapped[int] = mapped_column(Amount)


class IndexTotal(Base):
    """Platform-wide counters by name (``rejected_orders``)."""

    __tablename__ = "index_totals"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Amount)


class PayeeCredit(Base):
    """Fee credit of the platform payee and of relayers, withdrawn by pull payment."""

    __tablename__ = "payee_credits"

    payee: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    credit: Mapped[int] = mapped_column(Amount)


# ─── latest values ────────────────────────────────────────────────────────────────────────


class Merchant(Base):
    """A merchant as its registry, token and market events describe it."""

    __tablename__ = "merchants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the registry's merchant id
    token: Mapped[str] = mapped_column(ADDRESS, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    symbol: Mapped[str] = mapped_column(String(64))
    admin: Mapped[str] = mapped_column(ADDRESS)
    status: Mapped[str] = mapped_column(String(16))  # "active" | "suspended"
    market_active: Mapped[bool] = mapped_column(Boolean)
    point_value: Mapped[int] = mapped_column(Amount)  # settlement units per point
    issuance_cap: Mapped[int] = mapped_column(Amount)
    issuance_suspended: Mapped[bool] = mapped_column(Boolean)
    admitted_block: Mapped[int] = mapped_column(BigInteger)
    admitted_at: Mapped[int] = mapped_column(BigInteger)  # unix seconds


class AccountFreeze(Base):
    """An account's freeze flags on one points token, one per authority (``AccountFrozen``):
    the merchant's and governance's flags are apart, and each clears only its own. A row is
    kept only while a flag is set."""

    __tablename__ = "account_freezes"

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    account: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    by_merchant: Mapped[bool] = mapped_column(Boolean)
    by_governance: Mapped[bool] = mapped_column(Boolean)


class MerchantIssuer(Base):
    """An issuer key of a points token in its current issuer epoch (``RoleGranted`` /
    ``RoleRevoked`` of ISSUER_ROLE; ``IssuersRevoked`` removes a token's every row)."""

    __tablename__ = "merchant_issuers"

    token: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    issuer: Mapped[str] = mapped_column(ADDRESS, primary_key=True)


class OrderCounter(Base):
    """A user's cancel-all counter (``CounterIncremented``); orders signed below it are void."""

    __tablename__ = "order_counters"

    owner: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    counter: Mapped[str] = mapped_column(UINT256)


class PlatformParameter(Base):
    """Latest value of each platform setting: ``fee_bps``, ``fee_shares``, ``platform_payee``,
    ``user_limit``, ``value_bounds``, ``min_order_value``, ``cover_floor_bps``,
    ``governance_threshold``, ``paused:<contract>``."""

    __tablename__ = "platform_parameters"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    block_number: Mapped[int] = mapped_column(BigInteger)


class GovernanceMember(Base):
    __tablename__ = "governance_members"

    member: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    added_block: Mapped[int] = mapped_column(BigInteger)


class GovernanceProposal(Base):
    """A consortium proposal. ``approvals`` and ``cancel_votes`` count the votes that count on
    chain: cast in the current configuration epoch and not revoked (a membership or threshold
    change sets both to 0). ``status`` is what events said; ``status_at`` adds "expired", which
    no event announces: a pending proposal past its ``deadline``."""

    __tablename__ = "governance_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposer: Mapped[str] = mapped_column(ADDRESS)
    description: Mapped[str] = mapped_column(String)
    calls: Mapped[list[Any]] = mapped_column(JSON)  # [[target, value, calldata hex], ...]
    status: Mapped[str] = mapped_column(String(16))  # "pending" | "executed" | "cancelled"
    approvals: Mapped[int] = mapped_column(Integer)
    created_block: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    closed_block: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # created_at + the voting period then in force; the last second it may pass
    deadline: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cancel_votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def status_at(self, timestamp: int) -> str:
        """The status at block time `timestamp`: "expired" if pending past the deadline."""
        if self.status == "pending" and self.deadline is not None and timestamp > self.deadline:
            return "expired"
        return self.status


class HtlcLock(Base):
    """A hashed timelock (``HtlcLocked``) and how it ended: ``HtlcClaimed`` (with the
    preimage, now public) or ``HtlcRefunded``. A latest-value table: a lock's row changes when
    it settles, so a reorg rebuilds the table from the remaining events (``indexer.htlc``)."""

    __tablename__ = "htlc_locks"
    __table_args__ = (
        Index("ix_htlc_locks_sender", "sender"),
        Index("ix_htlc_locks_receiver", "receiver"),
        Index("ix_htlc_locks_hashlock", "hashlock"),
    )

    lock_id: Mapped[str] = mapped_column(HASH, primary_key=True)
    htlc: Mapped[str] = mapped_column(ADDRESS)  # the HashedTimelock that holds it
    token: Mapped[str] = mapped_column(ADDRESS)
    sender: Mapped[str] = mapped_column(ADDRESS)
    receiver: Mapped[str] = mapped_column(ADDRESS)
    amount: Mapped[int] = mapped_column(Amount)
    hashlock: Mapped[str] = mapped_column(HASH)
    timelock: Mapped[int] = mapped_column(BigInteger)  # unix seconds
    counterpart_timelock: Mapped[int] = mapped_column(BigInteger)  # 0: none named
    state: Mapped[str] = mapped_column(String(16))  # "open" | "claimed" | "refunded"
    preimage: Mapped[str | None] = mapped_column(HASH, nullable=True)  # once claimed
    locked_block: Mapped[int] = mapped_column(BigInteger)
    locked_tx: Mapped[str] = mapped_column(HASH)
    locked_at: Mapped[int] = mapped_column(BigInteger)
    settled_block: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    settled_tx: Mapped[str | None] = mapped_column(HASH, nullable=True)
    settled_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


# ─── per-event rows ───────────────────────────────────────────────────────────────────────


class _EventKeyed:
    """Rows made by one event, keyed by it: a reorg deletes those above the ancestor."""

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    tx_hash: Mapped[str] = mapped_column(HASH)
    block_timestamp: Mapped[int] = mapped_column(BigInteger)


class Swap(_EventKeyed, Base):
    """A settled swap (``Swapped``) with the fee split as credited at that moment."""

    __tablename__ = "swaps"
    __table_args__ = (
        Index("ix_swaps_owner", "owner"),
        Index("ix_swaps_from_token", "from_token"),
        Index("ix_swaps_to_token", "to_token"),
    )

    order_hash: Mapped[str] = mapped_column(HASH, unique=True)
    owner: Mapped[str] = mapped_column(ADDRESS)
    from_token: Mapped[str] = mapped_column(ADDRESS)
    to_token: Mapped[str] = mapped_column(ADDRESS)
    nonce: Mapped[str] = mapped_column(UINT256)
    amount_in: Mapped[int] = mapped_column(Amount)
    amount_out: Mapped[int] = mapped_column(Amount)
    gross_value: Mapped[int] = mapped_column(Amount)  # V, paid by the source merchant
    paid_to_target: Mapped[int] = mapped_column(Amount)  # amount_out × value of B
    fee: Mapped[int] = mapped_column(Amount)  # F + D
    dust: Mapped[int] = mapped_column(Amount)  # D
    relayer: Mapped[str] = mapped_column(ADDRESS)  # 0x0…0 when submitted by the owner
    platform_payee: Mapped[str] = mapped_column(ADDRESS)
    platform_fee: Mapped[int] = mapped_column(Amount)
    source_merchant_fee: Mapped[int] = mapped_column(Amount)
    target_merchant_fee: Mapped[int] = mapped_column(Amount)
    relayer_fee: Mapped[int] = mapped_column(Amount)


class OrderRejection(_EventKeyed, Base):
    """An order refused inside a batch (``OrderRejected``), keyed by order hash. Final: when
    the contract verified the owner's signature it consumed the nonce (a ``used_nonces`` row
    with source ``reject`` at the same event); otherwise ``owner``/``nonce`` are only what
    the relayer claimed."""

    __tablename__ = "order_rejections"
    __table_args__ = (Index("ix_order_rejections_order_hash", "order_hash"),)

    order_hash: Mapped[str] = mapped_column(HASH)
    owner: Mapped[str] = mapped_column(ADDRESS)
    nonce: Mapped[str] = mapped_column(UINT256)
    reason: Mapped[str] = mapped_column(String(10))  # the error's 4-byte selector, 0x…
    reason_code: Mapped[str] = mapped_column(String(64))  # stable code, e.g. ORDER_EXPIRED


class UsedNonce(_EventKeyed, Base):
    """Bits set in an owner's nonce bitmap: by a swap or a signed rejection (one bit) or a
    cancellation (a mask).
    A nonce n is used iff some row of (owner, word = n >> 8) has bit n & 0xff in ``mask``."""

    __tablename__ = "used_nonces"
    __table_args__ = (Index("ix_used_nonces_owner_word", "owner", "word"),)

    owner: Mapped[str] = mapped_column(ADDRESS)
    word: Mapped[str] = mapped_column(UINT256)
    mask: Mapped[str] = mapped_column(HASH)  # 0x + 64 hex digits
    source: Mapped[str] = mapped_column(String(16))  # "swap" | "cancel" | "reject"


class PointValueChange(_EventKeyed, Base):
    """Each point value a market had: its listing (``old_value`` null) and every change."""

    __tablename__ = "point_value_history"
    __table_args__ = (Index("ix_point_value_history_token", "token"),)

    token: Mapped[str] = mapped_column(ADDRESS)
    old_value: Mapped[int | None] = mapped_column(Amount, nullable=True)
    new_value: Mapped[int] = mapped_column(Amount)


class GovernanceVote(_EventKeyed, Base):
    __tablename__ = "governance_votes"
    __table_args__ = (Index("ix_governance_votes_proposal_id", "proposal_id"),)

    proposal_id: Mapped[int] = mapped_column(Integer)
    member: Mapped[str] = mapped_column(ADDRESS)
    kind: Mapped[str] = mapped_column(String(16))  # "approved" | "revoked" | "cancel"
    # the configuration epoch the vote was cast in: it counts only while that epoch lasts
    epoch: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AddressEvent(Base):
    """One row per address an event belongs to in that address's history (the owner of a swap
    or a rejected order, the receiver of an issue, the holder of a redemption, both sides of a
    holder-to-holder transfer of points): ``/history`` walks this key, newest first, instead of
    searching every event's JSON arguments, so a page costs the same however long the log."""

    __tablename__ = "address_events"
    __table_args__ = (Index("ix_address_events_block_number", "block_number"),)

    address: Mapped[str] = mapped_column(ADDRESS, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # swap | issue | redeem | transfer | rejected


class Attestation(_EventKeyed, Base):
    """An auditor's published attestation (``Attested``)."""

    __tablename__ = "attestations"

    id: Mapped[int] = mapped_column(Integer, unique=True)
    auditor: Mapped[str] = mapped_column(ADDRESS)
    attested_block: Mapped[int] = mapped_column(BigInteger)
    attested_block_hash: Mapped[str | None] = mapped_column(HASH, nullable=True)
    history_digest: Mapped[str] = mapped_column(HASH)
    report_hash: Mapped[str] = mapped_column(HASH)


EVENT_KEYED_TABLES = (
    Swap,
    OrderRejection,
    UsedNonce,
    PointValueChange,
    GovernanceVote,
    Attestation,
    AddressEvent,
    *vouchers.EVENT_TABLES,
)
LATEST_VALUE_TABLES = (
    Merchant,
    AccountFreeze,
    MerchantIssuer,
    OrderCounter,
    PlatformParameter,
    GovernanceMember,
    GovernanceProposal,
    HtlcLock,
    *vouchers.LATEST_TABLES,
)
SUM_TABLES = (
    Balance,
    TokenSupply,
    SettlementAccount,
    PayeeCredit,
    MerchantTotals,
    SwapUser,
    IndexTotal,
)
