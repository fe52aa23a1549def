"""Cross-chain swaps (issue 17): the bridge member's quote, start, reveal the secret, status.

Thin: the checks live in ``tongdui.crosschain.service``, the chain work in its coordinator.
Only an instance started with ``--cross-chain`` has a bridge; elsewhere these answer
``CROSSCHAIN_OFF``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ...crosschain.errors import CrossChainOffError
from ...crosschain.quotes import Quote
from ...crosschain.service import CrossChain
from ..schemas import Error

router = APIRouter(prefix="/crosschain", tags=["cross-chain"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": Error,
        "description": "CROSSCHAIN_QUOTE_EXPIRED, CROSSCHAIN_QUOTE_INVALID, CROSSCHAIN_QUOTE_USED, "
        "CROSSCHAIN_BAD_LOCK, CROSSCHAIN_WRONG_SECRET, CROSSCHAIN_MALFORMED, "
        "CROSSCHAIN_AMOUNT_TOO_SMALL, INVALID_REQUEST.",
    },
    404: {"model": Error, "description": "CROSSCHAIN_SWAP_NOT_FOUND; CROSSCHAIN_OFF (no bridge)."},
    409: {"model": Error, "description": "CROSSCHAIN_NO_LIQUIDITY, CROSSCHAIN_NOT_CLAIMABLE."},
    503: {"model": Error, "description": "CHAIN_UNAVAILABLE."},
}


def _bridge(request: Request) -> CrossChain:
    crosschain: CrossChain | None = getattr(request.app.state, "crosschain", None)
    if crosschain is None:
        raise CrossChainOffError(
            "this instance runs no cross-chain bridge: start it with `tongdui up --demo "
            "--cross-chain`"
        )
    return crosschain


class QuoteIn(BaseModel):
    user: str = Field(pattern=r"^0x[0-9a-fA-F]{40}$")
    amount_in: int = Field(alias="amountIn", gt=0, le=2**63 - 1)


class QuoteBody(BaseModel):
    quoteId: str
    user: str
    tokenA: str
    amountIn: int
    tokenB: str
    amountOut: int
    bridgeA: str
    bridgeB: str
    chainB: int
    timelockA: int
    timelockB: int
    expiry: int


class PermitIn(BaseModel):
    deadline: int = Field(ge=0)
    v: int = Field(ge=0, le=255)
    r: str
    s: str


class StartIn(BaseModel):
    quote: QuoteBody
    quote_signature: str = Field(alias="quoteSignature", max_length=200)
    hashlock: str = Field(max_length=66)
    lock_signature: str = Field(alias="lockSignature", max_length=200)
    permit: PermitIn


class SecretIn(BaseModel):
    secret: str = Field(max_length=66)


@router.get("/bridge", responses=_ERRORS)
def bridge_info(request: Request) -> dict[str, Any]:
    """The bridge member, the pair it quotes, both chains and the timelock margin."""
    return _bridge(request).info()


@router.post("/quotes", responses=_ERRORS)
async def create_quote(request: Request, body: QuoteIn) -> dict[str, Any]:
    """The bridge member's signed quote: Q points on B for P points on A, valid ~60 s."""
    crosschain = _bridge(request)
    return await run_in_threadpool(crosschain.quote, body.user, body.amount_in)


@router.post("/swaps", status_code=202, responses=_ERRORS)
async def start_swap(request: Request, body: StartIn) -> dict[str, Any]:
    """Start a swap: the quote, the hashlock and the user's signed Lock and permit."""
    crosschain = _bridge(request)
    return await run_in_threadpool(
        crosschain.start,
        Quote(**body.quote.model_dump()),
        body.quote_signature,
        body.hashlock,
        body.lock_signature,
        body.permit.model_dump(),
    )


@router.get("/swaps", responses=_ERRORS)
def list_swaps(request: Request) -> dict[str, Any]:
    """The newest swaps with both legs (lock ids and the shared hashlock) for the auditors."""
    return {"swaps": _bridge(request).swaps()}


@router.get("/swaps/{swap_id}", responses=_ERRORS)
def swap_status(request: Request, swap_id: Annotated[int, Path(ge=1)]) -> dict[str, Any]:
    """One swap's state and both legs."""
    return _bridge(request).status(swap_id)


@router.post("/swaps/{swap_id}/claim", responses=_ERRORS)
async def reveal_secret(
    request: Request, swap_id: Annotated[int, Path(ge=1)], body: SecretIn
) -> dict[str, Any]:
    """The user's secret: the relayer claims on B for the user, then the bridge claims on A."""
    crosschain = _bridge(request)
    return await run_in_threadpool(crosschain.reveal, swap_id, body.secret)
