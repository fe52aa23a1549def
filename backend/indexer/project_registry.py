"""The indexer's handlers of MerchantRegistry: the merchants, their tokens, admins and
status. A token admitted here is followed from then on (``follower``). ``HANDLERS`` are this
family's rows of ``projector.HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..chain.constants import MERCHANT_STATUS
from .models import Merchant
from .projection import EventRecord, Handler, Projection


def on_MerchantAdmitted(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
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
        issuance_cap=projection.pending_caps.pop(token, 0),
        issuance_suspended=False,
        admitted_block=event["block_number"],
        admitted_at=event["block_timestamp"],
    )
    projection.session.add(merchant)
    projection.merchants_by_token[token] = merchant
    projection.merchants_by_id[merchant.id] = merchant
    projection.new_tokens.append(token)


def on_MerchantStatusChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    merchant = projection.merchants_by_id.get(int(args["id"]))
    if merchant is not None:
        merchant.status = MERCHANT_STATUS.get(int(args["status"]), args["status"])


def on_MerchantAdminChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    merchant = projection.merchants_by_id.get(int(args["id"]))
    if merchant is not None:
        merchant.admin = args["admin"]


HANDLERS: dict[tuple[str, str], Handler] = {
    ("MerchantRegistry", "MerchantAdmitted"): on_MerchantAdmitted,
    ("MerchantRegistry", "MerchantStatusChanged"): on_MerchantStatusChanged,
    ("MerchantRegistry", "MerchantAdminChanged"): on_MerchantAdminChanged,
}
