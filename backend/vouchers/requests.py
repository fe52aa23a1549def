"""Voucher gifts: checked, stored as a relayer request (kind ``voucher_gift``) and relayed one
per transaction by ``relayer.request_relay`` (estimated first, so a gift the contract would
refuse fails at once with its reason).

Checks: the signature is the giver's, the deadline is ahead, the nonce unused (VoucherBook's
bitmap, shared with purchases), the voucher active, not expired and the giver's.
"""

from __future__ import annotations

import json
import time
from typing import Any

from eth_utils import to_checksum_address
from hexbytes import HexBytes
from sqlalchemy.exc import IntegrityError

from ..chain.eip712 import recover_signer
from ..chain.signature_rules import canonical_hex, canonical_signature
from ..chain.voucher_eip712 import VoucherGift, voucher_digest
from ..core.db import transaction
from ..relayer.gift_rules import check_recipient
from ..relayer.intake_checks import refuse
from ..relayer.models import REQ_RECEIVED, RelayerRequest
from ..relayer.signed_requests import find_request
from ..services import Services
from . import codes
from .book import book, book_domain, nonce_used, voucher
from .schemas import GiftIn

VOUCHER_GIFT = "voucher_gift"


def signer_of(message_digest: bytes, signature: str) -> str | None:
    try:
        return recover_signer(message_digest, canonical_signature(signature))
    except Exception:
        return None


def check_voucher_usable(services: Services, voucher_id: int, holder: str) -> None:
    """Active, not past its expiry, held by ``holder``."""
    view = voucher(services.platform, voucher_id)
    if view.status == "none":
        raise refuse(codes.NOT_FOUND, codes.NOT_FOUND.message, voucher_id=voucher_id)
    if view.status != "active":
        raise refuse(codes.NOT_ACTIVE, codes.NOT_ACTIVE.message, voucher_status=view.status)
    if view.expires_at and view.expires_at < time.time():
        raise refuse(codes.HAS_EXPIRED, codes.HAS_EXPIRED.message, expires_at=view.expires_at)
    if view.owner != holder:
        raise refuse(codes.NOT_HOLDER, codes.NOT_HOLDER.message, holder=view.owner)


def accept_voucher_gift(services: Services, body: GiftIn) -> tuple[RelayerRequest, bool]:
    gift = VoucherGift(
        to_checksum_address(body.gift.from_),
        to_checksum_address(body.gift.to),
        body.gift.voucher_id,
        body.gift.nonce,
        body.gift.deadline,
    )
    domain = book_domain(services.platform, services.chain_id)
    request_hash = "0x" + voucher_digest(domain, gift).hex()
    existing = find_request(services, request_hash)
    if existing is not None:
        return existing, False
    check_recipient(gift.to)
    if signer_of(bytes.fromhex(request_hash[2:]), body.signature) != gift.sender:
        raise refuse(codes.INVALID_SIGNER, codes.INVALID_SIGNER.message)
    if gift.deadline <= time.time():
        raise refuse(codes.REQUEST_EXPIRED, "The gift's deadline has passed; sign it again.")
    if nonce_used(services.platform, gift.sender, gift.nonce):
        raise refuse(codes.NONCE_USED, codes.NONCE_USED.message, nonce=str(gift.nonce))
    check_voucher_usable(services, gift.voucher_id, gift.sender)
    now = time.time()
    payload = {
        "from": gift.sender,
        "to": gift.to,
        "voucherId": gift.voucher_id,
        "nonce": str(gift.nonce),
        "deadline": gift.deadline,
        "signature": canonical_hex(body.signature),
    }
    row = RelayerRequest(
        request_hash=request_hash,
        kind=VOUCHER_GIFT,
        owner=gift.sender,
        payload=json.dumps(payload),
        state=REQ_RECEIVED,
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction(services.sessions) as session:
            session.add(row)
    except IntegrityError:
        found = find_request(services, request_hash)
        if found is None:
            raise
        return found, False
    return row, True


def voucher_gift_call(services: Services, payload: dict[str, Any]) -> Any:
    """The ``giftWithSig`` call of a stored gift (``request_relay`` estimates and sends it)."""
    return book(services.platform).functions.giftWithSig(
        (
            payload["from"],
            payload["to"],
            int(payload["voucherId"]),
            int(payload["nonce"]),
            int(payload["deadline"]),
        ),
        HexBytes(payload["signature"]),
    )
