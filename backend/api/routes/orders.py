"""Relayer API: signed swap orders, gifts and cancellations in; their state out.

Thin on purpose: validation lives in ``tongdui.relayer.intake`` (its checks in
``intake_checks``) and ``signed_requests``; settlement happens in the ``Relayer`` loop. A
malformed body answers ``MALFORMED_ORDER`` / ``MALFORMED_REQUEST`` (422) instead of the generic
``INVALID_REQUEST``, because wallets switch on these codes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy import select

from ...chain.eip712 import (
    CANCEL_NONCES_FIELDS,
    DOMAIN_FIELDS,
    INCREMENT_COUNTER_FIELDS,
    SWAP_ORDER_FIELDS,
    TRANSFER_WITH_AUTHORIZATION_FIELDS,
)
from ...core.error_codes import ErrorCode
from ...core.errors import NotFoundError, ValidationError
from ...relayer.intake import OrderIntake, exchange_domain
from ...relayer.intake_checks import checksum
from ...relayer.models import PENDING_STATES, RelayerOrder, RelayerRequest
from ...relayer.schemas import (
    CancelAllIn,
    CancelIn,
    DomainOut,
    GiftIn,
    OrderList,
    OrderOut,
    Reason,
    RequestOut,
    SwapOrderIn,
)
from ...relayer.signed_requests import (
    accept_cancel_all,
    accept_cancellation,
    accept_gift,
    cancelled_all_orders,
    cancelled_orders,
    find_request,
    token_domain,
)
from ...services import Services
from ..deps import ServicesDep, SessionDep
from ..problems import validation_problems
from ..schemas import Address as QueryAddress
from ..schemas import code_responses


class CodedValidation(APIRoute):
    """Body validation errors answer MALFORMED_ORDER (orders) or MALFORMED_REQUEST."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        code = (
            ErrorCode.MALFORMED_ORDER
            if self.path.startswith("/orders")
            else ErrorCode.MALFORMED_REQUEST
        )

        async def coded(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                problems = validation_problems(error.errors())
                first = problems[0] if problems else {"field": "body", "problem": "invalid"}
                failure = ValidationError(
                    f"{first['field']}: {first['problem']} (see details for every problem)",
                    code=code,
                    status=code.status,
                    errors=problems,
                )
                raise failure from error

        return coded


router = APIRouter(tags=["relayer"], route_class=CodedValidation)

# every code the relayer's routes refuse with, documented under its catalogue status
RELAYER_CODES = (
    ErrorCode.INVALID_SIGNER,
    ErrorCode.INVALID_SIGNATURE,
    ErrorCode.INVALID_RECIPIENT,
    ErrorCode.WRONG_CHAIN,
    ErrorCode.WRONG_DOMAIN,
    ErrorCode.ORDER_EXPIRED,
    ErrorCode.ORDER_CANCELLED,
    ErrorCode.WRONG_COUNTER,
    ErrorCode.INSUFFICIENT_BALANCE,
    ErrorCode.INSUFFICIENT_OUTPUT,
    ErrorCode.INSUFFICIENT_COVER,
    ErrorCode.USER_LIMIT_EXCEEDED,
    ErrorCode.ORDER_VALUE_TOO_LOW,
    ErrorCode.CAP_EXCEEDED,
    ErrorCode.ZERO_AMOUNT,
    ErrorCode.SAME_TOKEN,
    ErrorCode.ZERO_OUTPUT,
    ErrorCode.UNKNOWN_MARKET,
    ErrorCode.MARKET_INACTIVE,
    ErrorCode.EXPIRED,
    ErrorCode.NOT_YET_VALID,
    ErrorCode.NONCE_USED,
    ErrorCode.AUTHORIZATION_USED,
    ErrorCode.COUNTER_MISMATCH,
    ErrorCode.MALFORMED_ORDER,
    ErrorCode.MALFORMED_REQUEST,
    ErrorCode.RISK_VELOCITY,
    ErrorCode.RISK_AMOUNT,
    ErrorCode.RISK_COOLING,
    ErrorCode.RISK_BLOCKED,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.INTERNAL_ERROR,
    ErrorCode.CHAIN_UNAVAILABLE,
)
_ERRORS = code_responses(*RELAYER_CODES)
_NOT_FOUND = code_responses(ErrorCode.NOT_FOUND)


def json_answer(model: BaseModel, status: int) -> Response:
    """The model as its response_model would serialize it (camelCase aliases), without
    FastAPI's second validation of what the route built and its extra hop to a worker
    thread: the two busiest routes under load (submit, and a wallet polling its orders)."""
    return Response(model.model_dump_json(by_alias=True), status, media_type="application/json")


def order_out(row: RelayerOrder) -> OrderOut:
    reason = (
        Reason(code=row.reason_code, message=row.reason_message or "") if row.reason_code else None
    )
    return OrderOut(
        order_hash=row.order_hash,
        state=row.state,
        owner=row.owner,
        from_token=row.from_token,
        to_token=row.to_token,
        amount_in=row.amount_in,
        min_amount_out=row.min_amount_out,
        nonce=row.nonce,
        deadline=row.deadline,
        counter=row.counter,
        tx_hash=row.tx_hash,
        block_number=row.block_number,
        amount_out=row.amount_out,
        fee=row.fee,
        gross_value=row.gross_value,
        reason=reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def request_out(services: Any, row: RelayerRequest) -> RequestOut:
    payload = json.loads(row.payload)
    payload.pop("signature", None)
    reason = (
        Reason(code=row.reason_code, message=row.reason_message or "") if row.reason_code else None
    )
    return RequestOut(
        request_hash=row.request_hash,
        kind=row.kind,
        state=row.state,
        owner=row.owner,
        request=payload,
        tx_hash=row.tx_hash,
        block_number=row.block_number,
        reason=reason,
        cancelled_orders=(
            cancelled_orders(services, row)
            if row.kind == "cancel"
            else cancelled_all_orders(services, row)
            if row.kind == "cancel_all"
            else []
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@router.get(
    "/orders/domain",
    response_model=DomainOut,
    responses=_ERRORS,
    summary="Chain id, exchange, EIP-712 domain and types to sign orders with",
    description="Each `…Types` holds exactly one primary type and what it uses, without "
    "`EIP712Domain` (ethers' `signTypedData(domain, types, value)` refuses more); an "
    "`eth_signTypedData_v4` document adds `domainTypes`. Every uint is a decimal string.",
)
def get_domain(services: ServicesDep) -> DomainOut:
    domain = exchange_domain(services)
    return DomainOut(
        chain_id=domain.chain_id,
        exchange=domain.verifying_contract,
        domain=domain.as_json(),
        types={"SwapOrder": SWAP_ORDER_FIELDS},
        cancel_types={"CancelNonces": CANCEL_NONCES_FIELDS},
        cancel_all_types={"IncrementCounter": INCREMENT_COUNTER_FIELDS},
        gift_types={"TransferWithAuthorization": TRANSFER_WITH_AUTHORIZATION_FIELDS},
        domain_types={"EIP712Domain": DOMAIN_FIELDS},
    )


@router.post(
    "/orders",
    response_model=OrderOut,
    status_code=202,
    responses={
        200: {"model": OrderOut, "description": "The same order was already here (idempotent)"},
        **_ERRORS,
    },
    summary="Submit a signed SwapOrder; 202 with its hash once it is stored",
    description="Checks schema, domain, signature, deadline, nonce, counter, balance, quote, "
    "merchant cover and user limits, stores the order and answers 202. Posting the same "
    "order again answers 200 with its current state. Follow it with GET /orders/{hash}.",
)
async def post_order(body: SwapOrderIn, services: ServicesDep) -> Response:
    row, created = await run_in_threadpool(OrderIntake(services).submit, body)
    return json_answer(order_out(row), 202 if created else 200)


@router.get(
    "/orders/{order_hash}",
    response_model=OrderOut,
    responses={**_NOT_FOUND, 500: _ERRORS[500]},
    summary="An order's state, transaction, block, amounts and rejection reason",
)
def get_order(order_hash: str, session: SessionDep) -> OrderOut:
    row = session.scalar(select(RelayerOrder).where(RelayerOrder.order_hash == order_hash.lower()))
    if row is None:
        raise NotFoundError(
            f"No order {order_hash} was submitted to this relayer; check the "
            "hash that POST /orders answered."
        )
    return order_out(row)


@router.get(
    "/orders",
    response_model=OrderList,
    responses={**_ERRORS},
    summary="An owner's pending orders and most recent finished ones",
)
async def list_orders(
    services: ServicesDep,
    owner: Annotated[QueryAddress, Query(description="the owner (the forms /balances takes)")],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Response:
    answer = await run_in_threadpool(_owner_orders, services, owner, limit)
    return json_answer(answer, 200)


def _owner_orders(services: Services, owner: str, limit: int) -> OrderList:
    who = checksum(owner)
    with services.sessions() as session:
        pending = session.scalars(
            select(RelayerOrder)
            .where(RelayerOrder.owner == who, RelayerOrder.state.in_(PENDING_STATES))
            .order_by(RelayerOrder.id.desc())
        ).all()
        recent = session.scalars(
            select(RelayerOrder)
            .where(RelayerOrder.owner == who, RelayerOrder.state.not_in(PENDING_STATES))
            .order_by(RelayerOrder.updated_at.desc())
            .limit(limit)
        ).all()
    return OrderList(orders=[order_out(row) for row in [*pending, *recent]])


def _answer(services: Any, response: Response, accepted: tuple[RelayerRequest, bool]) -> RequestOut:
    row, created = accepted
    response.status_code = 202 if created else 200
    return request_out(services, row)


@router.post(
    "/gifts",
    response_model=RequestOut,
    status_code=202,
    responses={
        200: {"model": RequestOut, "description": "The same gift was already here"},
        **_ERRORS,
    },
    summary="Relay a gift of points signed as EIP-3009 TransferWithAuthorization",
)
def post_gift(body: GiftIn, services: ServicesDep, response: Response) -> RequestOut:
    return _answer(services, response, accept_gift(services, body))


@router.post(
    "/cancellations",
    response_model=RequestOut,
    status_code=202,
    responses={
        200: {"model": RequestOut, "description": "The same cancellation was already here"},
        **_ERRORS,
    },
    summary="Relay a signed CancelNonces; queued orders with those nonces are rejected at once",
)
def post_cancellation(body: CancelIn, services: ServicesDep, response: Response) -> RequestOut:
    return _answer(services, response, accept_cancellation(services, body))


@router.post(
    "/cancel-all",
    response_model=RequestOut,
    status_code=202,
    responses={
        200: {"model": RequestOut, "description": "The same cancel-all was already here"},
        **_ERRORS,
    },
    summary="Relay a signed IncrementCounter: every order signed so far is void, gas-free",
    description="Sign `IncrementCounter {owner, counter, deadline}` under the exchange's "
    "domain with `counter` = your current counter (`GET /counters/{owner}`); queued orders "
    "signed under it are rejected at once (ORDER_CANCELLED). A counter that is no longer "
    "current answers COUNTER_MISMATCH (409).",
)
def post_cancel_all(body: CancelAllIn, services: ServicesDep, response: Response) -> RequestOut:
    return _answer(services, response, accept_cancel_all(services, body))


class CounterOut(BaseModel):
    """An owner's cancel-all counter: orders must be signed with it; a cancel-all signs it."""

    owner: str
    counter: int


@router.get(
    "/counters/{owner}",
    response_model=CounterOut,
    responses=_ERRORS,
    summary="The owner's current cancel-all counter (what orders and a cancel-all sign)",
)
def get_counter(
    owner: Annotated[str, Path(pattern="^0x[0-9a-fA-F]{40}$")], services: ServicesDep
) -> CounterOut:
    who = checksum(owner)
    state = services.platform.exchange.functions.userState(who).call()
    return CounterOut(owner=who, counter=int(state[0]))


@router.get(
    "/cancel-all/{request_hash}",
    response_model=RequestOut,
    responses={**_NOT_FOUND, 500: _ERRORS[500]},
    summary="A relayed cancel-all's state",
)
def get_cancel_all(request_hash: str, services: ServicesDep) -> RequestOut:
    return _request(services, "cancel_all", request_hash)


def _request(services: Any, kind: str, request_hash: str) -> RequestOut:
    row = find_request(services, request_hash)
    if row is None or row.kind != kind:
        raise NotFoundError(f"No {kind} {request_hash} was submitted to this relayer.")
    return request_out(services, row)


@router.get(
    "/gifts/domain",
    response_model=dict[str, Any],
    responses=_ERRORS,
    summary="The EIP-712 domain a gift of `token` is signed under",
)
def get_gift_domain(
    services: ServicesDep,
    token: Annotated[QueryAddress, Query(description="points token")],
) -> dict[str, Any]:
    return token_domain(services, token).as_json()


@router.get(
    "/gifts/{request_hash}",
    response_model=RequestOut,
    responses={**_NOT_FOUND, 500: _ERRORS[500]},
    summary="A relayed gift's state",
)
def get_gift(request_hash: str, services: ServicesDep) -> RequestOut:
    return _request(services, "gift", request_hash)


@router.get(
    "/cancellations/{request_hash}",
    response_model=RequestOut,
    responses={**_NOT_FOUND, 500: _ERRORS[500]},
    summary="A relayed cancellation's state",
)
def get_cancellation(request_hash: str, services: ServicesDep) -> RequestOut:
    return _request(services, "cancel", request_hash)
