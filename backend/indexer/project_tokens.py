"""The indexer's handlers of the token contracts (PointsToken, SettlementToken): balances and
supplies, issue and redemption totals and history, issuance caps and suspensions, freezes and
the current issuer keys. ``HANDLERS`` and ``IGNORED`` are this family's rows of
``projector.HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete

from ..chain.constants import ISSUER_ROLE, ZERO_ADDRESS
from ..core.db import check_int64
from .models import AccountFreeze, MerchantIssuer
from .projection import DOMAIN_FIXED, EventRecord, Handler, Projection, declaring

FREEZE_AUTHORITY = {0: "by_merchant", 1: "by_governance"}  # IPointsToken.FreezeAuthority


def on_Transfer(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if projection.latest_only:
        return
    token = event["contract"]
    projection.transfer(token, args, 1)
    if token in projection.merchants_by_token:  # issue 16: the points' expiry buckets
        projection.expiry.transfer(
            token, args["from"], args["to"], int(args["value"]), event["block_timestamp"]
        )
    sender, receiver = args["from"], args["to"]
    # History shows holder-to-holder moves of points; mints and burns are told by Issued,
    # Redeemed and Swapped, and the settlement token's moves are merchants' business.
    if token in projection.merchants_by_token and ZERO_ADDRESS not in (sender, receiver):
        projection.address_row(sender, event, "transfer")
        if receiver != sender:
            projection.address_row(receiver, event, "transfer")


def on_Issued(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if not projection.latest_only:
        projection.issue_sums("Issued", event["contract"], args, 1)
        projection.address_row(args["to"], event, "issue")


def on_Redeemed(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if not projection.latest_only:
        projection.issue_sums("Redeemed", event["contract"], args, 1)
        projection.address_row(args["holder"], event, "redeem")


def on_IssuanceCapChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    cap = check_int64(int(args["cap"]), "issuance cap")
    merchant = projection.merchants_by_token.get(event["contract"])
    if merchant is None:  # the token's constructor runs before MerchantAdmitted
        projection.pending_caps[event["contract"]] = cap
    else:
        merchant.issuance_cap = cap


def on_IssuanceSuspended(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    merchant = projection.merchants_by_token.get(event["contract"])
    if merchant is not None:
        merchant.issuance_suspended = bool(args["suspended"])


def on_AccountFrozen(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    key = (event["contract"], args["account"])
    row = projection.session.get(AccountFreeze, key)
    if row is None:
        row = AccountFreeze(token=key[0], account=key[1], by_merchant=False, by_governance=False)
        projection.session.add(row)
    setattr(row, FREEZE_AUTHORITY[int(args["authority"])], bool(args["frozen"]))
    if not (row.by_merchant or row.by_governance):
        projection.session.delete(row)


def on_RoleGranted(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    key = (event["contract"], args["account"])
    if args["role"] == ISSUER_ROLE and projection.session.get(MerchantIssuer, key) is None:
        projection.session.add(MerchantIssuer(token=key[0], issuer=key[1]))


def on_RoleRevoked(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if args["role"] == ISSUER_ROLE:
        row = projection.session.get(MerchantIssuer, (event["contract"], args["account"]))
        if row is not None:
            projection.session.delete(row)


def on_IssuersRevoked(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    projection.session.flush()  # rows added earlier in this batch are deleted too
    projection.session.execute(
        delete(MerchantIssuer).where(MerchantIssuer.token == event["contract"])
    )
    projection.session.expire_all()


HANDLERS: dict[tuple[str, str], Handler] = {
    **{(kind, "Transfer"): on_Transfer for kind in declaring("Transfer")},
    ("PointsToken", "Issued"): on_Issued,
    ("PointsToken", "Redeemed"): on_Redeemed,
    ("PointsToken", "IssuanceCapChanged"): on_IssuanceCapChanged,
    ("PointsToken", "IssuanceSuspended"): on_IssuanceSuspended,
    ("PointsToken", "AccountFrozen"): on_AccountFrozen,
    # Every contract with roles emits these; only a points token has an ISSUER_ROLE.
    **{(kind, "RoleGranted"): on_RoleGranted for kind in declaring("RoleGranted")},
    **{(kind, "RoleRevoked"): on_RoleRevoked for kind in declaring("RoleRevoked")},
    ("PointsToken", "IssuersRevoked"): on_IssuersRevoked,
}

IGNORED: dict[tuple[str, str], str] = {
    **{(kind, "Approval"): "allowances are not indexed" for kind in declaring("Approval")},
    **{
        (kind, "RoleAdminChanged"): "role admins are not indexed"
        for kind in declaring("RoleAdminChanged")
    },
    **{(kind, "EIP712DomainChanged"): DOMAIN_FIXED for kind in declaring("EIP712DomainChanged")},
    ("PointsToken", "AuthorizationUsed"): "the Transfer it authorised is indexed; its nonce is not",
    ("PointsToken", "AuthorizationCanceled"): "a cancelled authorisation moves nothing",
    ("SettlementToken", "SettlementMinted"): "its Transfer from 0x0 moves the supply and balance",
    ("SettlementToken", "SettlementBurned"): "its Transfer to 0x0 moves the supply and balance",
}
