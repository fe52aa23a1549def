"""The state the audit's replay rebuilds, and what every handler of it shares.

``ReplayBase`` holds the platform's state as the events leave it (tokens, markets, merchants,
credits, nonces, swaps, attestations) and the findings; the handlers of each contract family
(``replay_tokens``, ``replay_registry``, ``replay_exchange``, ``replay_swaps``,
``replay_governance``) are functions of it, and ``replay.Replay`` dispatches logs to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from .decode import Log
from .expiry_state import ExpiryReplay
from .findings import Finding
from .htlc_state import HtlcReplay
from .orders import SignedOrder
from .state import FeeConfig, MarketState, MerchantState, SwapRecord, TokenState
from .vouchers import VoucherReplay

Handler = Callable[["ReplayBase", Log], None]

# Reasons shared by several families' ``IGNORED`` rows.
PAUSE_FROM_LOGS = "a pause is checked from the logs themselves (served_tables.parameter_rows)"
DOMAIN_FIXED = "OpenZeppelin's IERC5267 declares it; the EIP-712 domain is fixed at deployment"


class ReplayBase:
    """The rebuilt state and findings; ``replay.Replay`` adds the dispatch of logs."""

    def __init__(self, settlement: str, exchange: str) -> None:
        self.settlement_address = settlement
        self.exchange_address = exchange
        self.tokens: dict[str, TokenState] = {settlement: TokenState(settlement, "settlement")}
        self.markets: dict[str, MarketState] = {}
        self.merchants: dict[int, MerchantState] = {}
        self.payee_credits: dict[str, int] = {}
        self.fees = FeeConfig()
        self.value_bounds = (0, 0, 0)  # (maxStepBps, minInterval, maxDailyStepBps)
        self.user_limit = (0, 0)  # (maxValuePerWindow, window)
        self.min_order_value = 0
        self.cover_floor_bps = 0
        self.surplus_swept = 0  # settlement units governance swept out (not an account's)
        self.nonce_words: dict[tuple[str, int], int] = {}
        # (owner, nonce) → "swap" | "cancel" | "reject" (a signed order rejected in a batch)
        self.nonce_source: dict[tuple[str, int], str] = {}
        self.counters: dict[str, int] = {}
        self.windows: dict[str, tuple[int, int]] = {}  # owner → (limitUpdatedAt, limitUsed)
        self.swaps: list[SwapRecord] = []
        self.used_nonce_rows: list[dict[str, Any]] = []
        self.value_history: list[dict[str, Any]] = []
        self.rejections: list[dict[str, Any]] = []
        self.attestations: list[dict[str, Any]] = []
        self.members: set[str] = set()
        self.threshold = 0
        self.orders: dict[bytes, list[SignedOrder]] = {}  # tx hash → orders it carried
        self.findings: list[Finding] = []
        self.event_counts: Counter[str] = Counter()
        self.fees_charged = 0
        self.fees_credited = 0
        self.swap_value_paid = 0  # Σ V
        # the hashed timelocks (issue 17; handlers in audit/htlc.py)
        self.htlc = HtlcReplay(self.merchants, self.tokens, self.findings)
        self.vouchers = VoucherReplay()  # issue 16 (handlers in audit/replay_vouchers.py)
        self.swap_value_received = 0  # Σ (paid to target + fee)
        # points expiry (issue 16): buckets by key (handlers in audit/replay_expiry.py)
        self.expiry = ExpiryReplay(self.findings)
        self.orders_checked = 0
        self.last_block = -1

    def find(
        self, check: str, log: Log, field_: str, expected: Any, actual: Any, message: str
    ) -> None:
        self.findings.append(
            Finding(
                check,
                f"{log.kind}.{log.name}",
                f"block {log.block_number} log {log.log_index} tx 0x{log.tx_hash.hex()}",
                field_,
                expected,
                actual,
                message,
            )
        )

    def token(self, address: str) -> TokenState:
        state = self.tokens.get(address)
        if state is None:
            state = self.tokens[address] = TokenState(address, "points")
        return state

    def market(self, log: Log, token: str) -> MarketState | None:
        market = self.markets.get(token)
        if market is None:
            self.find(
                "invariant-5",
                log,
                "token",
                "a listed market",
                token,
                "event for a market that was never listed",
            )
        return market

    def surplus(self) -> int:
        """Settlement units the exchange holds beyond every account (sent to it directly)."""
        held = self.tokens[self.settlement_address].balances.get(self.exchange_address, 0)
        return max(0, held - self.exchange_liabilities())

    def owners(self) -> set[str]:
        return (
            {s.owner for s in self.swaps}
            | set(self.counters)
            | {owner for owner, _ in self.nonce_words}
        )

    def exchange_liabilities(self) -> int:
        return sum(m.settlement_balance + m.fee_credit for m in self.markets.values()) + sum(
            self.payee_credits.values()
        )
