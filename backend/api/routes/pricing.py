"""The pricing assistant: a point value to suggest to a merchant, under
``/merchants/{token}/pricing/…``, with its API key (``read`` scope).

The chain's bounds and cover are read once per block for everyone asking (``BlockReads``), the
flows from the index; the report is made by ``pricing.report``. Accepting a suggestion is the
merchant API's ``PUT point-value`` (``routes/merchant.py``): the chain has the final say.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ...merchant.keys import Scope
from ...pricing import report
from ...query import pricing as pricing_query
from ..auth import MerchantAuth, require
from ..deps import MinBlockDep, ServicesDep, SessionDep
from ..merchant_schemas import PricingSuggestion
from ..schemas import errors

router = APIRouter(prefix="/merchants/{token}", tags=["merchant API"])

WindowDays = Annotated[
    int, Query(alias="windowDays", ge=1, le=90, description="days the policy weighs")
]
SeriesDays = Annotated[
    int, Query(alias="seriesDays", ge=1, le=365, description="days of the chart")
]


@router.get(
    "/pricing/suggestion",
    response_model=PricingSuggestion,
    responses=errors(401, 403, 404, 422, 503),
    summary="A suggested point value from the chain's flows and cover, within governance's bounds",
    description="Accept it with PUT point-value (one signed change); the chain's bounds decide. "
    "The bounds are read at most `TONGDUI_READ_CACHE_SECONDS` behind the head; `minBlock` (the "
    "block of your last change) asks for them at least that new.",
)
def pricing_suggestion(
    services: ServicesDep,
    session: SessionDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.READ))],
    min_block: MinBlockDep,
    window_days: WindowDays = 7,
    series_days: SeriesDays = 30,
) -> PricingSuggestion:
    def read(block: int) -> report.ChainFacts:
        return report.chain_facts(services.platform, auth.token, block)

    _, facts = services.reads.get(("pricing", auth.token), read, min_block or 0)
    now, day = facts.bounds.now, pricing_query.DAY
    span = max(window_days, series_days)
    series = pricing_query.daily_series(session, auth.token, now - (span - 1) * day, now)
    return report.build(facts, series, window_days, series_days)
