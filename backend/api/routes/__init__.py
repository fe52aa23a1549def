"""API routes, one module per area; ``ROUTERS`` is what ``create_app`` mounts.

Each module defines ``router = APIRouter(...)``; add it to the list below.
"""

from __future__ import annotations

from fastapi import APIRouter

from ...web import router as web_pages
from . import (
    audit,
    consortium_risk,
    crosschain,
    expiry,
    health,
    members,
    merchant,
    merchant_expiry,
    merchant_vouchers,
    merchants,
    onboarding,
    operations,
    orders,
    orders_bulk,
    payments,
    pricing,
    query,
    risk,
    statements,
    vouchers,
    web_chain,
    webhooks,
)

ROUTERS: list[APIRouter] = [
    query.router,
    merchants.router,
    merchant.router,
    pricing.router,
    members.router,
    health.router,
    orders.router,
    orders_bulk.router,  # issue 19
    web_chain.router,
    statements.router,
    audit.router,
    crosschain.router,
    operations.router,
    onboarding.router,
    webhooks.router,
    risk.router,
    consortium_risk.router,
    vouchers.router,  # issue 16
    merchant_vouchers.router,
    payments.router,  # issue 16, points + cash (w7-cash)
    # points expiry (issue 16)
    expiry.router,
    merchant_expiry.router,
    web_pages,
]
