"""Gasless gifts (EIP-3009 ``transferWithAuthorization``) and cancellations by signature
(one nonce mask: ``CancelNonces``; everything signed so far: ``IncrementCounter``).

Each is checked here first (signature, validity window, replay, and for a gift the risk
rules, ``risk``) so that a person hears what is wrong at once, then stored and relayed one per
transaction by the ``Relayer``. A cancellation also voids, immediately, the owner's orders
that are still queued (or held) here with a cancelled nonce (or, for a cancel-all, signed
under the cancelled counter): they are rejected (ORDER_CANCELLED) and never submitted.
"""

from __future__ import annotations

import json
import time
from typing import Any

from eth_utils import to_checksum_address
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from web3.exceptions import BadFunctionCallOutput, ContractLogicError

from ..chain.eip712 import (
    CancelNonces,
    Domain,
    IncrementCounter,
    digest,
    gift_struct_hash,
    recover_signer,
)
from ..chain.signature_rules import canonical_hex, canonical_signature
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError, ValidationError
from ..risk.book import Request as RiskRequest
from ..risk.book import RiskBook
from ..risk.intercept import record
from ..risk.store import active_rules
from ..services import Services
from .gift_rules import check_recipient, reserved_gift
from .intake import exchange_domain
from .intake_checks import refuse
from .models import (
    HELD,
    RECEIVED,
    REJECTED,
    REQ_HELD,
    REQ_RECEIVED,
    RelayerOrder,
    RelayerRequest,
)
from .schemas import CancelAllIn, CancelIn, GiftIn
from .serial import owners_transaction

VOIDABLE = (RECEIVED, HELD)  # not yet submitted: a cancellation voids them here at once
CANCELLED_MESSAGE = "The owner cancelled this order's nonce by a signed cancellation."
CANCELLED_ALL_MESSAGE = "The owner cancelled every order signed so far (signed cancel-all)."


_TOKEN_NAMES: dict[tuple[int, str], str] = {}


def _token_name(services: Services, token: str) -> str:
    key = (services.chain_id, token)
    if key not in _TOKEN_NAMES:  # a token's name never changes
        try:
            name = services.platform.points_token(token).functions.name().call()
        except (BadFunctionCallOutput, ContractLogicError) as error:
            # no contract there, or one without name(): not a points token (was a 500)
            raise NotFoundError(
                f"{token} is not a points token of this platform: see GET /merchants",
                code=ErrorCode.TOKEN_NOT_FOUND,
            ) from error
        _TOKEN_NAMES[key] = str(name)
    return _TOKEN_NAMES[key]


def token_domain(services: Services, token: str) -> Domain:
    """A points token's own EIP-712 domain (ERC20Permit: its name, version "1")."""
    return Domain(services.chain_id, token, name=_token_name(services, token), version="1")


def _signer(message_digest: bytes, signature: str) -> str | None:
    """The signer of a signature the contract accepts (``INVALID_SIGNATURE`` for any other)."""
    canonical = canonical_signature(signature)
    try:
        return recover_signer(message_digest, canonical)
    except Exception:
        return None


def _store(
    services: Services,
    kind: str,
    request_hash: str,
    owner: str,
    payload: dict[str, Any],
    reserve: tuple[str, bytes] | None = None,
    risk: RiskRequest | None = None,
) -> tuple[RelayerRequest, bool]:
    """Stores a request; with ``reserve`` (token, EIP-3009 nonce), only if no other pending
    gift of ``owner`` holds that nonce (checked and stored under the owner's serialization,
    as orders' nonces are: of two such gifts sent together one would revert on chain). With
    ``risk``, the risk rules judge it there too, as they judge orders: refused with the rule's
    code, or stored ``held`` for review (the interception is committed either way)."""
    now = time.time()
    row = RelayerRequest(
        request_hash=request_hash,
        kind=kind,
        owner=owner,
        payload=json.dumps(payload),
        state=REQ_RECEIVED,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    rules = active_rules(services.sessions) if risk is not None else []
    refusal: ValidationError | None = None
    try:
        with owners_transaction(services.sessions, [owner]) as session:
            if reserve is not None:
                taken = reserved_gift(session, owner, *reserve)
                if taken is not None and taken != request_hash:
                    raise refuse(
                        ErrorCode.AUTHORIZATION_USED,
                        f"This gift's nonce is already taken by your pending gift {taken}; "
                        "sign it again with a fresh random nonce.",
                        request=taken,
                    )
            if risk is not None and rules:
                book = RiskBook(session, rules, [risk], now)
                verdict = book.judge(risk)
                if verdict is not None:
                    record(session, services.chain_id, risk, verdict, now)
                    if verdict.refused:
                        refusal = refuse(verdict.code, verdict.message, rule=verdict.rule.id)
                    else:
                        row.state, row.reason_code = REQ_HELD, verdict.code.value
                        row.reason_message = verdict.message
                if refusal is None:
                    book.accepted(risk)
                    book.flush()
            if refusal is None:
                session.add(row)
    except IntegrityError:
        existing = find_request(services, request_hash)
        if existing is None:
            raise
        return existing, False
    if refusal is not None:
        raise refusal
    return row, True


def find_request(services: Services, request_hash: str) -> RelayerRequest | None:
    with services.sessions() as session:
        return session.scalar(
            select(RelayerRequest).where(RelayerRequest.request_hash == request_hash.lower())
        )


def accept_gift(services: Services, body: GiftIn) -> tuple[RelayerRequest, bool]:
    """Validates a signed EIP-3009 transfer and queues it."""
    token, sender, to = (to_checksum_address(a) for a in (body.token, body.from_, body.to))
    check_recipient(to)
    if not services.platform.exchange.functions.market(token).call()[2]:
        raise refuse(ErrorCode.UNKNOWN_MARKET, ErrorCode.UNKNOWN_MARKET.message, token=token)
    nonce = bytes.fromhex(body.nonce[2:])
    request_hash = (
        "0x"
        + digest(
            token_domain(services, token),
            gift_struct_hash(sender, to, body.value, body.valid_after, body.valid_before, nonce),
        ).hex()
    )
    existing = find_request(services, request_hash)
    if existing is not None:
        return existing, False
    if _signer(bytes.fromhex(request_hash[2:]), body.signature) != sender:
        raise refuse(
            ErrorCode.INVALID_SIGNER,
            "The signature does not match the giver (`from`): sign "
            "the TransferWithAuthorization with that wallet under the token's domain "
            '(its name, version "1").',
        )
    now = time.time()
    if body.valid_before <= now:
        raise refuse(
            ErrorCode.EXPIRED,
            "The gift's validBefore has passed; sign it again with a later validBefore.",
            valid_before=body.valid_before,
        )
    if body.valid_after >= now:
        raise refuse(
            ErrorCode.NOT_YET_VALID,
            "The gift is not valid yet (validAfter is in the future); submit it after that time.",
            valid_after=body.valid_after,
        )
    if body.value == 0:
        raise refuse(ErrorCode.ZERO_AMOUNT, "A gift must be at least one point.")
    points = services.platform.points_token(token).functions
    if points.authorizationState(sender, nonce).call():
        raise refuse(
            ErrorCode.AUTHORIZATION_USED,
            "This gift's nonce was already used or cancelled; "
            "sign it again with a fresh random nonce.",
        )
    balance = points.balanceOf(sender).call()
    if balance < body.value:
        raise refuse(
            ErrorCode.INSUFFICIENT_BALANCE,
            f"The giver holds {balance} points, fewer than the {body.value} to give.",
            balance=balance,
            needed=body.value,
        )
    payload = {
        "token": token,
        "from": sender,
        "to": to,
        "value": body.value,
        "validAfter": body.valid_after,
        "validBefore": body.valid_before,
        "nonce": body.nonce.lower(),
        "signature": canonical_hex(body.signature),
    }
    risk = RiskRequest("gift", request_hash, sender, token, token, body.value, counterparty=to)
    return _store(
        services, "gift", request_hash, sender, payload, reserve=(token, nonce), risk=risk
    )


def accept_cancellation(services: Services, body: CancelIn) -> tuple[RelayerRequest, bool]:
    """Validates a signed CancelNonces, voids matching queued orders, and queues the relay."""
    owner = to_checksum_address(body.owner)
    request = CancelNonces(owner, body.word, body.mask, body.deadline)
    request_hash = "0x" + digest(exchange_domain(services), request.struct_hash()).hex()
    existing = find_request(services, request_hash)
    if existing is not None:
        return existing, False
    if _signer(bytes.fromhex(request_hash[2:]), body.signature) != owner:
        raise refuse(
            ErrorCode.INVALID_SIGNER,
            "The signature does not match the owner: sign the "
            "CancelNonces with that wallet under the exchange's domain "
            "(GET /orders/domain).",
        )
    if body.deadline < time.time():
        raise refuse(
            ErrorCode.ORDER_EXPIRED,
            "The cancellation's deadline has passed; sign it again with a later deadline.",
            deadline=body.deadline,
        )
    if body.mask == 0:
        raise refuse(
            ErrorCode.MALFORMED_REQUEST,
            "The mask selects no nonce: set bit n & 255 for each nonce n of word n >> 8.",
        )
    payload = {
        "owner": owner,
        "word": str(body.word),
        "mask": str(body.mask),
        "deadline": body.deadline,
        "signature": canonical_hex(body.signature),
    }
    row, created = _store(services, "cancel", request_hash, owner, payload)
    void_cancelled_orders(services, owner, body.word, body.mask)
    return row, created


def cancelled_by(nonce: int, word: int, mask: int) -> bool:
    return nonce >> 8 == word and bool(mask >> (nonce & 0xFF) & 1)


def void_cancelled_orders(services: Services, owner: str, word: int, mask: int) -> list[str]:
    """Rejects the owner's queued (not yet submitted) orders whose nonce is cancelled."""
    with services.sessions() as session:
        queued = session.execute(
            select(RelayerOrder.order_hash, RelayerOrder.nonce).where(
                RelayerOrder.owner == owner, RelayerOrder.state.in_(VOIDABLE)
            )
        ).all()
    hashes = [h for h, nonce in queued if cancelled_by(int(nonce), word, mask)]
    return _reject_queued(services, hashes, CANCELLED_MESSAGE)


def cancelled_orders(services: Services, row: RelayerRequest) -> list[str]:
    """The orders a cancellation voided (for the status answer)."""
    payload = json.loads(row.payload)
    word, mask = int(payload["word"]), int(payload["mask"])
    with services.sessions() as session:
        candidates = session.execute(
            select(RelayerOrder.order_hash, RelayerOrder.nonce).where(
                RelayerOrder.owner == row.owner,
                RelayerOrder.reason_code == ErrorCode.ORDER_CANCELLED,
            )
        ).all()
    return [h for h, nonce in candidates if cancelled_by(int(nonce), word, mask)]


def accept_cancel_all(services: Services, body: CancelAllIn) -> tuple[RelayerRequest, bool]:
    """Validates a signed IncrementCounter, voids the owner's queued orders signed under that
    counter, and queues the relay (``incrementCounterWithSig``)."""
    owner = to_checksum_address(body.owner)
    request = IncrementCounter(owner, body.counter, body.deadline)
    request_hash = "0x" + digest(exchange_domain(services), request.struct_hash()).hex()
    existing = find_request(services, request_hash)
    if existing is not None:
        return existing, False
    if _signer(bytes.fromhex(request_hash[2:]), body.signature) != owner:
        raise refuse(
            ErrorCode.INVALID_SIGNER,
            "The signature does not match the owner: sign the IncrementCounter with that "
            "wallet under the exchange's domain (GET /orders/domain).",
        )
    if body.deadline < time.time():
        raise refuse(
            ErrorCode.ORDER_EXPIRED,
            "The cancel-all's deadline has passed; sign it again with a later deadline.",
            deadline=body.deadline,
        )
    current = int(services.platform.exchange.functions.userState(owner).call()[0])
    if body.counter != current:
        raise refuse(
            ErrorCode.COUNTER_MISMATCH,
            f"The cancel-all was signed for counter {body.counter}, but your counter is "
            f"{current}: sign it again with counter {current}.",
            counter=current,
        )
    payload = {
        "owner": owner,
        "counter": str(body.counter),
        "deadline": body.deadline,
        "signature": body.signature.lower(),
    }
    row, created = _store(services, "cancel_all", request_hash, owner, payload)
    void_orders_under_counter(services, owner, body.counter)
    return row, created


def void_orders_under_counter(services: Services, owner: str, counter: int) -> list[str]:
    """Rejects the owner's queued (not yet submitted) orders signed under ``counter`` or an
    older one: once the cancel-all lands they can never settle."""
    with services.sessions() as session:
        queued = session.execute(
            select(RelayerOrder.order_hash, RelayerOrder.counter).where(
                RelayerOrder.owner == owner, RelayerOrder.state.in_(VOIDABLE)
            )
        ).all()
    hashes = [h for h, signed_counter in queued if int(signed_counter) <= counter]
    return _reject_queued(services, hashes, CANCELLED_ALL_MESSAGE)


def _reject_queued(services: Services, hashes: list[str], message: str) -> list[str]:
    """Marks the still-queued orders among ``hashes`` rejected as ORDER_CANCELLED."""
    if hashes:
        with transaction(services.sessions) as session:
            session.execute(
                update(RelayerOrder)
                .where(RelayerOrder.order_hash.in_(hashes), RelayerOrder.state.in_(VOIDABLE))
                .values(
                    state=REJECTED,
                    reason_code=ErrorCode.ORDER_CANCELLED,
                    reason_message=message,
                    updated_at=time.time(),
                )
            )
    return hashes


def cancelled_all_orders(services: Services, row: RelayerRequest) -> list[str]:
    """The orders a cancel-all voided here (for the status answer)."""
    with services.sessions() as session:
        return list(
            session.scalars(
                select(RelayerOrder.order_hash).where(
                    RelayerOrder.owner == row.owner,
                    RelayerOrder.reason_code == ErrorCode.ORDER_CANCELLED,
                    RelayerOrder.reason_message == CANCELLED_ALL_MESSAGE,
                    RelayerOrder.counter <= int(json.loads(row.payload)["counter"]),
                )
            )
        )
