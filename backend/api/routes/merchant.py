"""Merchant API: a merchant's own writes and reads, under ``/merchants/{token}/…``, with its API
key (``Authorization: Bearer <key>`` or ``X-API-Key``), each route needing one scope.

Writes are signed by the backend with the merchant's operator key (``TONGDUI_MERCHANT_KEYS``).
Routes are plain ``def``: FastAPI runs them in its threadpool, so waiting for a block never
stalls the event loop. ``wait`` (seconds, default 30, 0 = don't wait) bounds how long an answer
waits for the receipt; past it the answer is ``pending`` and
``GET /merchants/{token}/transactions/{hash}`` tells the outcome.
"""

from __future__ import annotations

import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request

from ...core.error_codes import ErrorCode
from ...core.errors import ContractRevertError, NotFoundError
from ...merchant.actions import MerchantActions, TxOutcome, known_transaction, receipt
from ...merchant.consent import redemption_typed_data
from ...merchant.idempotency import idempotent
from ...merchant.keys import Scope
from ...merchant.operators import MerchantOperators
from ...operations.record import logged
from ...query import chain as live
from ...query import index
from ...services import Services
from ..auth import MerchantAuth, require
from ..deps import ServicesDep, SessionDep
from ..idempotency_deps import Fingerprint, IdempotencyKey
from ..merchant_schemas import (
    Controls,
    FrozenAccount,
    FundsRequest,
    FundsTx,
    IssueRequest,
    KeyInfo,
    MerchantSwap,
    PointsTx,
    PointValueRequest,
    PointValueTx,
    RedeemRequest,
    RedemptionTypedData,
    SwapPage,
    TxResult,
    ValueBounds,
    WithdrawRequest,
)
from ..schemas import Address, TxHash, code_responses, errors

router = APIRouter(prefix="/merchants/{token}", tags=["merchant API"])

_operators_lock = threading.Lock()


def get_operators(request: Request) -> MerchantOperators:
    """The process's operator keys, built once from the settings."""
    with _operators_lock:
        operators = getattr(request.app.state, "merchant_operators", None)
        if operators is None:
            services: Services = request.app.state.services
            operators = MerchantOperators(
                services.w3,
                services.settings.merchant_private_keys(),
                lock_dir=services.settings.data_dir / "locks",
            )
            request.app.state.merchant_operators = operators
        return operators


OperatorsDep = Annotated[MerchantOperators, Depends(get_operators)]
Wait = Annotated[float, Query(ge=0, le=120, description="seconds to wait for the receipt")]
WRITE_ERRORS = {
    **errors(400, 401, 403, 422, 503),
    **code_responses(ErrorCode.IDEMPOTENCY_KEY_REUSED),
}
READ_ERRORS = errors(401, 403, 404, 422, 503)


def _result(services: Services, tx_hash: str, wait: float) -> TxResult:
    outcome: TxOutcome = receipt(services.platform, tx_hash, timeout=wait)
    return TxResult(
        tx_hash=outcome.tx_hash,
        status=outcome.status,  # type: ignore[arg-type]
        block_number=outcome.block_number,
        gas_used=outcome.gas_used,
    )


def _actions(
    services: Services, operators: MerchantOperators, auth: MerchantAuth
) -> MerchantActions:
    return MerchantActions(services.platform, operators, auth.token)


# ─── who am I ─────────────────────────────────────────────────────────────────────────────


@router.get(
    "/key",
    response_model=KeyInfo,
    responses=READ_ERRORS,
    summary="The calling key: its merchant and scopes, and whether the backend can sign",
    description="Answers any valid key of the merchant, whatever its scopes: the pages show "
    "only the forms those scopes allow.",
)
def get_key(
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(None))],
) -> KeyInfo:
    view = live.merchant(services.platform, auth.token)
    return KeyInfo(
        token=auth.token,
        symbol=view["symbol"],
        key_prefix=auth.key_prefix,
        scopes=sorted(auth.scopes),
        operator_key_held=operators.holds(view["admin"]),
    )


# ─── issue and redeem ─────────────────────────────────────────────────────────────────────


@router.post(
    "/issue",
    response_model=PointsTx,
    responses=WRITE_ERRORS,
    summary="Issue (发放) points to a user",
    description="Refused by the contract with CAP_EXCEEDED, ISSUANCE_SUSPENDED, "
    "ACCOUNT_FROZEN, ENFORCED_PAUSE …",
)
@logged("issue", target="to")
def issue(
    body: IssueRequest,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.ISSUE))],
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> PointsTx:
    def write() -> PointsTx:
        tx_hash = _actions(services, operators, auth).issue(body.to, body.amount)
        return PointsTx(
            **_result(services, tx_hash, wait).model_dump(), holder=body.to, amount=body.amount
        )

    return idempotent(services.sessions, auth.token, key, fingerprint, PointsTx, write)


@router.get(
    "/redemption-request",
    response_model=RedemptionTypedData,
    responses=READ_ERRORS,
    summary="The EIP-712 Redemption a holder signs to consent to a redemption",
)
def redemption_request(
    services: ServicesDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.REDEEM))],
    holder: Annotated[Address, Query()],
    amount: Annotated[int, Query(gt=0, lt=2**128)],
    deadline: Annotated[int, Query(gt=0, description="unix seconds")],
) -> RedemptionTypedData:
    data = redemption_typed_data(services.platform, auth.token, holder, amount, deadline)
    return RedemptionTypedData(
        typed_data=data,
        domain=data["domain"],
        types={"Redemption": data["types"]["Redemption"]},
        message=data["message"],
        nonce=data["message"]["nonce"],
    )


@router.post(
    "/redeem",
    response_model=PointsTx,
    responses=WRITE_ERRORS,
    summary="Redeem (核销) a holder's points with the holder's signed consent",
    description="Refused with INVALID_SIGNER (wrong signer or reused consent), EXPIRED, "
    "ERC20_INSUFFICIENT_BALANCE …",
)
@logged("redeem", target="holder")
def redeem(
    body: RedeemRequest,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.REDEEM))],
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> PointsTx:
    def write() -> PointsTx:
        tx_hash = _actions(services, operators, auth).redeem(
            body.holder, body.amount, body.deadline, body.signature
        )
        return PointsTx(
            **_result(services, tx_hash, wait).model_dump(), holder=body.holder, amount=body.amount
        )

    return idempotent(services.sessions, auth.token, key, fingerprint, PointsTx, write)


# ─── point value ──────────────────────────────────────────────────────────────────────────


def _bounds(services: Services, token: str) -> ValueBounds:
    return ValueBounds.of(live.value_bounds(services.platform, token))


@router.get(
    "/point-value",
    response_model=ValueBounds,
    responses=READ_ERRORS,
    summary="The point value and governance's bounds for changing it",
)
def get_point_value(
    services: ServicesDep, auth: Annotated[MerchantAuth, Depends(require(Scope.READ))]
) -> ValueBounds:
    return _bounds(services, auth.token)


@router.put(
    "/point-value",
    response_model=PointValueTx,
    responses=WRITE_ERRORS,
    summary="Set the point value, within governance's bounds",
    description="Outside the bounds: VALUE_STEP_TOO_LARGE or VALUE_CHANGE_TOO_SOON "
    "(422), with the bounds in `details.bounds` and the allowed range in the message.",
)
@logged("point-value")
def set_point_value(
    body: PointValueRequest,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.VALUE))],
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> PointValueTx:
    def write() -> PointValueTx:
        before = _bounds(services, auth.token)
        try:
            tx_hash = _actions(services, operators, auth).set_point_value(body.value)
        except ContractRevertError as error:
            if error.code in (ErrorCode.VALUE_STEP_TOO_LARGE, ErrorCode.VALUE_CHANGE_TOO_SOON):
                error.message = (
                    f"{error.message} Now {before.point_value}; allowed "
                    f"{before.min_allowed_value}–{before.max_allowed_value} "
                    f"(±{before.max_value_step_bps / 100:g}%), at most one change every "
                    f"{before.min_value_interval} s; next change allowed at unix "
                    f"{before.next_change_allowed_at}."
                )
                error.details["bounds"] = before.model_dump(by_alias=True)
            raise
        return PointValueTx(
            **_result(services, tx_hash, wait).model_dump(),
            old_value=before.point_value,
            new_value=body.value,
            bounds=_bounds(services, auth.token),
        )

    return idempotent(services.sessions, auth.token, key, fingerprint, PointValueTx, write)


# ─── settlement funds ─────────────────────────────────────────────────────────────────────


def _settlement_balance(services: Services, token: str) -> int:
    return int(live.market(services.platform, token)["settlementBalance"])


@router.post(
    "/deposit",
    response_model=FundsTx,
    responses=WRITE_ERRORS,
    summary="Move sCNY from the operator account into the settlement account",
    description="Approves the exchange first if needed. The operator account must hold "
    "the sCNY (INSUFFICIENT_SETTLEMENT_TOKENS otherwise).",
)
@logged("deposit")
def deposit(
    body: FundsRequest,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.FUNDS))],
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> FundsTx:
    def write() -> FundsTx:
        tx_hash = _actions(services, operators, auth).deposit(body.amount)
        return FundsTx(
            **_result(services, tx_hash, wait).model_dump(),
            amount=body.amount,
            settlement_balance=_settlement_balance(services, auth.token),
        )

    return idempotent(services.sessions, auth.token, key, fingerprint, FundsTx, write)


@router.post(
    "/withdraw",
    response_model=FundsTx,
    responses=WRITE_ERRORS,
    summary="Take sCNY out of the settlement account",
    description="Refused with INSUFFICIENT_SETTLEMENT_BALANCE beyond the balance.",
)
@logged("withdraw")
def withdraw(
    body: WithdrawRequest,
    services: ServicesDep,
    operators: OperatorsDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.FUNDS))],
    fingerprint: Fingerprint,
    key: IdempotencyKey = None,
    wait: Wait = 30,
) -> FundsTx:
    def write() -> FundsTx:
        tx_hash = _actions(services, operators, auth).withdraw(body.amount, body.to)
        return FundsTx(
            **_result(services, tx_hash, wait).model_dump(),
            amount=body.amount,
            settlement_balance=_settlement_balance(services, auth.token),
        )

    return idempotent(services.sessions, auth.token, key, fingerprint, FundsTx, write)


@router.get(
    "/transactions/{tx_hash}",
    response_model=TxResult,
    responses=READ_ERRORS,
    summary="Whether a transaction sent for this merchant is mined (and did not revert)",
)
def get_transaction(
    tx_hash: TxHash,
    services: ServicesDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.READ))],
) -> TxResult:
    result = _result(services, tx_hash, 0)
    if result.status == "pending" and not known_transaction(services.platform, tx_hash):
        # "pending" for a hash the node never saw sent a client polling for ever
        raise NotFoundError(
            f"The node knows no transaction {tx_hash}: it was never sent, or it was dropped. "
            "Check the hash the write answered with.",
            code=ErrorCode.TRANSACTION_NOT_FOUND,
            tx=tx_hash,
        )
    return result


# ─── swaps in and out ─────────────────────────────────────────────────────────────────────


@router.get(
    "/swaps",
    response_model=SwapPage,
    responses=READ_ERRORS,
    summary="Swaps out of (points given up) and into (points received) this program",
)
def list_swaps(
    session: SessionDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.READ))],
    direction: Annotated[Literal["in", "out", "both"], Query()] = "both",
    cursor: Annotated[str | None, Query(description="nextCursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SwapPage:
    rows, next_cursor = index.merchant_swaps(
        session, auth.token, direction=direction, cursor=cursor, limit=limit
    )
    items = []
    for r in rows:
        out = r.from_token == auth.token
        items.append(
            MerchantSwap(
                direction="out" if out else "in",
                order_hash=r.order_hash,
                owner=r.owner,
                from_token=r.from_token,
                to_token=r.to_token,
                amount_in=r.amount_in,
                amount_out=r.amount_out,
                gross_value=r.gross_value,
                paid_to_target=r.paid_to_target,
                fee=r.fee,
                merchant_fee=r.source_merchant_fee if out else r.target_merchant_fee,
                relayer=r.relayer,
                block_number=r.block_number,
                log_index=r.log_index,
                timestamp=r.block_timestamp,
                tx_hash=r.tx_hash,
            )
        )
    return SwapPage(items=items, next_cursor=next_cursor, as_of_block=index.checkpoint(session))


@router.get(
    "/controls",
    response_model=Controls,
    responses=READ_ERRORS,
    summary="The program's issuer keys and frozen accounts (by the merchant or the consortium)",
)
def get_controls(
    session: SessionDep, auth: Annotated[MerchantAuth, Depends(require(Scope.READ))]
) -> Controls:
    return Controls(
        issuers=index.issuers(session, auth.token),
        frozen=[
            FrozenAccount(
                account=row.account, by_merchant=row.by_merchant, by_governance=row.by_governance
            )
            for row in index.freezes(session, auth.token)
        ],
        as_of_block=index.checkpoint(session),
    )
