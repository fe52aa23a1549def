"""Order intake: every check the contract would make, done before an order is accepted.

Why check off chain at all when ``settle`` rejects bad orders anyway: a rejected order costs
gas and the user learns late; here they learn at once, with a stable code and a sentence.
The chain stays the gate: anything that changes between intake and settlement (a merchant
withdrawing cover, a user moving points away) ends as ``rejected`` with the contract's reason.

Checks run per owner under a lock, so one owner's concurrent orders see each other's pending
amounts (balance, nonce, limits). An order is committed before the caller hears 202.
If the node cannot be reached, the chain-side checks are skipped and the order is queued
(``settle`` still decides): intake keeps working while the node is down.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import requests
from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..chain.eip712 import Domain, SwapOrder, order_digest, recover_signer
from ..chain.errors import MESSAGES
from ..core.db import INT64_MAX, transaction
from ..core.errors import ChainUnavailableError, ValidationError
from ..services import Services
from .models import PENDING_STATES, RECEIVED, RelayerOrder
from .reads import CallReverted, read_many
from .schemas import SwapOrderIn

log = logging.getLogger("tongdui.relayer")

# What a dead node looks like through web3's HTTP provider.
CHAIN_DOWN: tuple[type[BaseException], ...] = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ChainUnavailableError,
)
_LOCKS = [threading.Lock() for _ in range(64)]
_TOKENS: dict[tuple[int, str], Any] = {}


def refuse(code: str, message: str, status: int = 400, **details: Any) -> ValidationError:
    """A 4xx with a stable code (raise the result)."""
    error = ValidationError(message, code=code, **details)
    error.status = status
    return error


def exchange_domain(services: Services) -> Domain:
    return Domain(services.chain_id, services.platform.exchange.address)


def to_order(body: SwapOrderIn) -> SwapOrder:
    """The typed order, with the index's int64 bounds checked (MALFORMED_ORDER)."""
    for name in ("amount_in", "min_amount_out", "deadline", "counter"):
        if getattr(body, name) > INT64_MAX:
            raise refuse(
                "MALFORMED_ORDER",
                f"{name} is larger than this relayer accepts "
                "(2^63-1); points amounts and unix times are far below that.",
                status=422,
                field=name,
            )
    return SwapOrder(
        owner=to_checksum_address(body.owner),
        from_token=to_checksum_address(body.from_token),
        to_token=to_checksum_address(body.to_token),
        amount_in=body.amount_in,
        min_amount_out=body.min_amount_out,
        nonce=body.nonce,
        deadline=body.deadline,
        counter=body.counter,
    )


class OrderIntake:
    """Validates and persists signed orders; ``submit`` is what ``POST /orders`` calls."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.domain = exchange_domain(services)

    def submit(self, body: SwapOrderIn) -> tuple[RelayerOrder, bool]:
        """Returns (the order row, True if it is new). Raises ValidationError with a code."""
        self._check_domain(body)
        order = to_order(body)
        order_hash = "0x" + order_digest(self.domain, order).hex()
        existing = self.find(order_hash)
        if existing is not None:
            return existing, False
        self._check_signature(order, order_hash, body.signature)
        if order.deadline < time.time():
            raise refuse("ORDER_EXPIRED", MESSAGES["ORDER_EXPIRED"], deadline=order.deadline)
        if order.amount_in == 0:
            raise refuse("ZERO_AMOUNT", MESSAGES["ZERO_AMOUNT"])
        if order.from_token == order.to_token:
            raise refuse("SAME_TOKEN", MESSAGES["SAME_TOKEN"])
        with _LOCKS[hash(order.owner) % len(_LOCKS)]:
            with self.services.sessions() as session:
                self._check_pending_nonce(session, order)
                try:
                    gross = self._check_chain(session, order)
                except CHAIN_DOWN:
                    log.warning(
                        "node unreachable: order %s queued without chain checks", order_hash
                    )
                    gross = 0
            return self._insert(order, order_hash, body.signature, gross)

    def find(self, order_hash: str) -> RelayerOrder | None:
        with self.services.sessions() as session:
            return session.scalar(
                select(RelayerOrder).where(RelayerOrder.order_hash == order_hash.lower())
            )

    # ── checks ──────────────────────────────────────────────────────────────────────────────

    def _check_domain(self, body: SwapOrderIn) -> None:
        if body.chain_id is not None and body.chain_id != self.domain.chain_id:
            raise refuse(
                "WRONG_CHAIN",
                f"The order was signed for chain {body.chain_id}, but "
                f"this relayer serves chain {self.domain.chain_id}; switch your wallet's "
                "network and sign again.",
                expected=self.domain.chain_id,
            )
        if (
            body.verifying_contract is not None
            and body.verifying_contract.lower() != self.domain.verifying_contract.lower()
        ):
            raise refuse(
                "WRONG_DOMAIN",
                "The order was signed for another exchange contract "
                f"({body.verifying_contract}); sign for {self.domain.verifying_contract} "
                "(see GET /orders/domain).",
                expected=self.domain.verifying_contract,
            )

    @staticmethod
    def _check_signature(order: SwapOrder, order_hash: str, signature: str) -> None:
        try:
            signer = recover_signer(bytes.fromhex(order_hash[2:]), bytes.fromhex(signature[2:]))
        except Exception as error:  # malformed r/s/v: no signer at all
            raise refuse(
                "INVALID_SIGNER",
                "The signature is not a valid secp256k1 signature; "
                "sign the order's EIP-712 digest with the owner's wallet.",
            ) from error
        if signer != order.owner:
            raise refuse(
                "INVALID_SIGNER",
                MESSAGES["INVALID_SIGNER"] + " (If you did, check the domain: GET /orders/domain.)",
                signer=signer,
                owner=order.owner,
            )

    @staticmethod
    def _pending(session: Session, *conditions: Any) -> Any:
        return select(
            func.coalesce(func.sum(RelayerOrder.amount_in), 0),
            func.coalesce(func.sum(RelayerOrder.quoted_gross), 0),
        ).where(RelayerOrder.state.in_(PENDING_STATES), *conditions)

    def _check_pending_nonce(self, session: Session, order: SwapOrder) -> None:
        taken = session.scalar(
            select(RelayerOrder.order_hash).where(
                RelayerOrder.owner == order.owner,
                RelayerOrder.nonce == str(order.nonce),
                RelayerOrder.state.in_(PENDING_STATES),
            )
        )
        if taken is not None:
            raise refuse(
                "NONCE_USED",
                f"Nonce {order.nonce} is already taken by your pending "
                f"order {taken}; sign with a fresh nonce.",
                status=409,
                order=taken,
            )

    def _token(self, address: str) -> Any:
        """Building a web3 Contract costs ~30 ms of ABI work: keep one per token."""
        key = (id(self.services.w3), address)
        if key not in _TOKENS:
            _TOKENS[key] = self.services.platform.points_token(address)
        return _TOKENS[key]

    def _check_chain(self, session: Session, order: SwapOrder) -> int:
        """The on-chain checks (one batched read); returns the quoted gross value."""
        exchange = self.services.platform.exchange.functions
        used, (counter, window_start, window_used), quoted, balance, market, risk = read_many(
            self.services.w3,
            [
                exchange.isNonceUsed(order.owner, order.nonce),
                exchange.userState(order.owner),
                exchange.quote(order.from_token, order.to_token, order.amount_in),
                self._token(order.from_token).functions.balanceOf(order.owner),
                exchange.market(order.from_token),
                exchange.riskConfig(),
            ],
        )
        if used:
            raise refuse("NONCE_USED", MESSAGES["NONCE_USED"], status=409, nonce=str(order.nonce))
        if order.counter != counter:
            code = "ORDER_CANCELLED" if order.counter < counter else "WRONG_COUNTER"
            raise refuse(
                code,
                f"The order carries counter {order.counter} but your current "
                f"counter is {counter}: sign the order again with counter {counter}.",
                counter=counter,
            )
        if isinstance(quoted, CallReverted):
            raise refuse(quoted.error.code, quoted.error.message, **quoted.error.args)
        amount_out, _fee, gross = quoted
        if amount_out == 0:
            raise refuse("ZERO_OUTPUT", MESSAGES["ZERO_OUTPUT"], amount_in=order.amount_in)
        if amount_out < order.min_amount_out:
            raise refuse(
                "INSUFFICIENT_OUTPUT",
                f"The swap would give {amount_out} points, fewer "
                f"than your minimum {order.min_amount_out}; quote again and re-sign.",
                amount_out=amount_out,
                min_amount_out=order.min_amount_out,
            )

        pending_in, _ = session.execute(
            self._pending(
                session,
                RelayerOrder.owner == order.owner,
                RelayerOrder.from_token == order.from_token,
            )
        ).one()
        if balance < order.amount_in + pending_in:
            raise refuse(
                "INSUFFICIENT_BALANCE",
                f"You hold {balance} points of this program and "
                f"{pending_in} are promised to pending orders, so {order.amount_in} more "
                "cannot be swapped; lower the amount or wait for them to settle.",
                balance=balance,
                pending=int(pending_in),
                needed=order.amount_in,
            )

        _, pending_cover = session.execute(
            self._pending(session, RelayerOrder.from_token == order.from_token)
        ).one()
        cover = market[5] - int(pending_cover)
        if cover < gross:
            raise refuse(
                "INSUFFICIENT_COVER",
                MESSAGES["INSUFFICIENT_COVER"],
                balance=market[5],
                pending=int(pending_cover),
                needed=gross,
            )

        _step, _interval, window, max_value = risk
        if max_value:
            used_value = window_used if time.time() < window_start + window else 0
            _, owner_gross = session.execute(
                self._pending(session, RelayerOrder.owner == order.owner)
            ).one()
            total = used_value + int(owner_gross) + gross
            if total > max_value:
                raise refuse(
                    "USER_LIMIT_EXCEEDED",
                    f"This swap would bring your swapped value "
                    f"in the current window to {total}, above the limit {max_value}; "
                    "swap less or wait for the window to end.",
                    used=used_value + int(owner_gross),
                    limit=max_value,
                    needed=gross,
                )
        return int(gross)

    # ── persistence ─────────────────────────────────────────────────────────────────────────

    def _insert(
        self, order: SwapOrder, order_hash: str, signature: str, gross: int
    ) -> tuple[RelayerOrder, bool]:
        now = time.time()
        row = RelayerOrder(
            order_hash=order_hash,
            owner=order.owner,
            from_token=order.from_token,
            to_token=order.to_token,
            amount_in=order.amount_in,
            min_amount_out=order.min_amount_out,
            nonce=str(order.nonce),
            deadline=order.deadline,
            counter=order.counter,
            signature=signature.lower(),
            quoted_gross=gross,
            state=RECEIVED,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        try:
            with transaction(self.services.sessions) as session:
                session.add(row)
        except IntegrityError as error:
            existing = self.find(order_hash)
            if existing is not None:  # the same order raced in from another request
                return existing, False
            raise refuse(
                "NONCE_USED",
                f"Nonce {order.nonce} is already taken by another pending "
                "order of yours; sign with a fresh nonce.",
                status=409,
            ) from error
        return row, True
