"""The demo products' names and terms, stored off chain (the chain holds only their hash).

Apart from :mod:`tongdui.demo` because it needs the database: the contract tests seed the same
demo chain from brownie's environment, which has web3 but no SQLAlchemy.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from web3 import Web3

from ..chain.client import Platform
from ..core.db import transaction
from ..demo_data import DEMO_PRODUCTS, product_terms_hash
from .models import VoucherProductTerms


def seed_demo_voucher_terms(sessions: Any, platform: Platform) -> None:
    """Stores the demo products' names and terms off chain (idempotent)."""
    tokens = {
        platform.points_token(view["token"]).functions.symbol().call(): view["token"]
        for view in platform.merchants()
    }
    with transaction(sessions) as session:
        for product in DEMO_PRODUCTS:
            token = tokens.get(product.symbol)
            if token is None:
                continue
            token = Web3.to_checksum_address(token)
            digest = product_terms_hash(product)
            known = session.scalar(
                select(VoucherProductTerms.id).where(
                    VoucherProductTerms.token == token, VoucherProductTerms.terms_hash == digest
                )
            )
            if known is None:
                session.add(
                    VoucherProductTerms(
                        token=token,
                        terms_hash=digest,
                        name=product.name,
                        terms=product.terms,
                        created_at=time.time(),
                    )
                )
