"""``POST /orders/bulk``: up to 500 signed orders in one request, each accepted or refused on
its own, for integrators (a merchant's system forwarding its members' signed orders).

Open as ``POST /orders`` is: an order authenticates itself by its owner's signature, so a
merchant API key would add no authority over it. Thin as the other relayer routes: the checks
and the store are ``relayer.bulk_intake``; here each item is validated on its own (a malformed
one is one ``MALFORMED_ORDER`` result, with its field problems) and the outcomes are answered.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError as PydanticValidationError

from ...core.error_codes import ErrorCode
from ...core.errors import TongduiError
from ...relayer.bulk_intake import BulkOutcome, check_bulk_size, submit_many
from ...relayer.intake_checks import refuse
from ...relayer.schemas import (
    MAX_BULK_ORDERS,
    BulkOrderError,
    BulkOrderResult,
    BulkOrdersIn,
    BulkOrdersOut,
    SwapOrderIn,
)
from ...services import Services
from ..body_limit import BULK_ORDERS_BYTES
from ..deps import ServicesDep
from ..problems import validation_problems
from ..schemas import code_responses
from .orders import CodedValidation, json_answer, order_out

router = APIRouter(tags=["relayer"], route_class=CodedValidation)

# what refuses the request as a whole; each order's own codes are those of POST /orders
BULK_CODES = (
    ErrorCode.MALFORMED_ORDER,
    ErrorCode.TOO_MANY_ORDERS,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.INTERNAL_ERROR,
)


@router.post(
    "/orders/bulk",
    response_model=BulkOrdersOut,
    responses={
        200: {"description": "One result per order, in order (each its own status)"},
        **code_responses(*BULK_CODES),
    },
    summary=f"Submit up to {MAX_BULK_ORDERS} signed SwapOrders; each is accepted or refused "
    "on its own",
    description="For integrators forwarding their members' signed orders: `orders` holds 1 to "
    f"{MAX_BULK_ORDERS} `SwapOrderIn` (more answers 413 `TOO_MANY_ORDERS`: split them into "
    f"requests of at most {MAX_BULK_ORDERS}; the body may be up to {BULK_ORDERS_BYTES // 1024} "
    "KiB). The answer is 200 with one result per order, in order: `status` is what "
    "`POST /orders` would answer for that order alone (202 stored now, 200 already stored, "
    "4xx refused), with `order` when stored and `error` (the code, sentence and details "
    "`POST /orders` would give) when refused; a malformed item is a `MALFORMED_ORDER` result, "
    "not a refusal of the others. An order twice in one bulk is stored once (the copy answers "
    "200). Posting the same bulk again answers 200 for each order stored the first time. "
    "Follow each order with `GET /orders/{hash}`.",
)
async def post_orders_bulk(body: BulkOrdersIn, services: ServicesDep) -> Response:
    check_bulk_size(len(body.orders))  # before any item is parsed
    answer = await run_in_threadpool(bulk_answer, services, body.orders)
    return json_answer(answer, 200)


def bulk_answer(services: Services, items: list[Any]) -> BulkOrdersOut:
    """Every item validated, the valid ones submitted together, one result per item."""
    parsed = [parse_order(index, item) for index, item in enumerate(items)]
    outcomes = iter(submit_many(services, [p for p in parsed if isinstance(p, SwapOrderIn)]))
    results = [
        result(index, next(outcomes) if isinstance(item, SwapOrderIn) else BulkOutcome(None, item))
        for index, item in enumerate(parsed)
    ]
    accepted = sum(1 for r in results if r.order is not None)
    return BulkOrdersOut(results=results, accepted=accepted, refused=len(results) - accepted)


def parse_order(index: int, item: Any) -> SwapOrderIn | TongduiError:
    """The item as a ``SwapOrderIn``, or its ``MALFORMED_ORDER`` with every field problem
    (fields named ``orders.<index>.<field>``, as the request's own validation would)."""
    try:
        return SwapOrderIn.model_validate(item)
    except PydanticValidationError as error:
        problems = validation_problems(
            [{**e, "loc": ("orders", index, *e["loc"])} for e in error.errors()]
        )
        first = problems[0]
        return refuse(
            ErrorCode.MALFORMED_ORDER,
            f"{first['field']}: {first['problem']} (see details for every problem)",
            errors=problems,
        )


def result(index: int, outcome: BulkOutcome) -> BulkOrderResult:
    answer = outcome.result
    if isinstance(answer, TongduiError):
        error = BulkOrderError(code=answer.code, message=answer.message, details=answer.details)
        return BulkOrderResult(
            index=index,
            status=answer.status,
            order_hash=outcome.order_hash,
            order=None,
            error=error,
        )
    if isinstance(answer, BaseException):
        raise answer  # store_orders returns refusals only: anything else is a bug (500)
    row, created = answer
    return BulkOrderResult(
        index=index,
        status=202 if created else 200,
        order_hash=row.order_hash,
        order=order_out(row),
        error=None,
    )
