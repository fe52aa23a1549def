"""The audit's handlers of the token contracts (PointsToken, SettlementToken).

Balances, supplies, issuance and redemption, issuance caps and suspensions, freezes and the
current issuer keys, rebuilt as PointsToken.sol and SettlementToken.sol keep them. ``HANDLERS``
and ``IGNORED`` are this family's rows of ``replay.HANDLERS``.
"""

from __future__ import annotations

from ..chain.constants import ISSUER_ROLE, ZERO_ADDRESS
from .decode import Log
from .replay_base import DOMAIN_FIXED, PAUSE_FROM_LOGS, Handler, ReplayBase
from .state import TokenState


def on_Transfer(replay: ReplayBase, log: Log) -> None:
    token = replay.token(log.address)
    sender, receiver, value = log.args["from"], log.args["to"], log.args["value"]
    if sender == ZERO_ADDRESS:
        token.minted += value
    else:
        balance = token.balances.get(sender, 0)
        if balance < value:
            replay.find(
                "invariant-1",
                log,
                "balance",
                value,
                balance,
                f"{sender} moves more than its replayed balance",
            )
        token.balances[sender] = balance - value
    if sender == ZERO_ADDRESS and token.kind == "points":
        _check_cap(replay, log, token)
    if receiver == ZERO_ADDRESS:
        token.burned += value
    else:
        token.balances[receiver] = token.balances.get(receiver, 0) + value
    if token.kind == "points":  # expiry buckets (issue 16): audit/expiry_state.py
        replay.expiry.transfer(log.address, sender, receiver, value, log)


def on_Issued(replay: ReplayBase, log: Log) -> None:
    replay.token(log.address).issued += log.args["amount"]


def on_Redeemed(replay: ReplayBase, log: Log) -> None:
    replay.token(log.address).redeemed += log.args["amount"]


def on_SettlementMinted(replay: ReplayBase, log: Log) -> None:
    replay.token(log.address).issued += log.args["amount"]


def on_SettlementBurned(replay: ReplayBase, log: Log) -> None:
    replay.token(log.address).redeemed += log.args["amount"]


def on_IssuanceCapChanged(replay: ReplayBase, log: Log) -> None:
    replay.token(log.address).issuance_cap = log.args["cap"]


def on_IssuanceSuspended(replay: ReplayBase, log: Log) -> None:
    replay.token(log.address).issuance_suspended = log.args["suspended"]


def _check_cap(replay: ReplayBase, log: Log, token: TokenState) -> None:
    """IPointsToken: every mint (issue or swap in) stays within the cap on the supply."""
    if token.supply > token.issuance_cap:
        replay.find(
            "invariant-1",
            log,
            "supply",
            token.issuance_cap,
            token.supply,
            f"a mint of {token.address} took its supply past the issuance cap",
        )


def on_AccountFrozen(replay: ReplayBase, log: Log) -> None:
    flags = replay.token(log.address).freezes.setdefault(log.args["account"], [False, False])
    flags[log.args["authority"]] = log.args["frozen"]


def on_RoleGranted(replay: ReplayBase, log: Log) -> None:
    if log.args["role"] == ISSUER_ROLE:
        replay.token(log.address).issuers.add(log.args["account"])


def on_RoleRevoked(replay: ReplayBase, log: Log) -> None:
    if log.args["role"] == ISSUER_ROLE:
        replay.token(log.address).issuers.discard(log.args["account"])


def on_IssuersRevoked(replay: ReplayBase, log: Log) -> None:
    token = replay.token(log.address)
    token.issuers.clear()
    token.issuer_epoch = log.args["epoch"]


HANDLERS: dict[tuple[str, str], Handler] = {
    ("SettlementToken", "Transfer"): on_Transfer,
    ("SettlementToken", "SettlementMinted"): on_SettlementMinted,
    ("SettlementToken", "SettlementBurned"): on_SettlementBurned,
    ("PointsToken", "Transfer"): on_Transfer,
    ("PointsToken", "Issued"): on_Issued,
    ("PointsToken", "Redeemed"): on_Redeemed,
    ("PointsToken", "IssuanceCapChanged"): on_IssuanceCapChanged,
    ("PointsToken", "IssuanceSuspended"): on_IssuanceSuspended,
    ("PointsToken", "AccountFrozen"): on_AccountFrozen,
    ("PointsToken", "RoleGranted"): on_RoleGranted,
    ("PointsToken", "RoleRevoked"): on_RoleRevoked,
    ("PointsToken", "IssuersRevoked"): on_IssuersRevoked,
}

IGNORED: dict[tuple[str, str], str] = {
    **{
        (kind, event): reason
        for kind in ("SettlementToken", "PointsToken")
        for event, reason in (
            ("Approval", "allowances move no value; transfers are replayed from Transfer"),
            (
                "Paused",
                PAUSE_FROM_LOGS,
            ),
            (
                "Unpaused",
                PAUSE_FROM_LOGS,
            ),
            (
                "EIP712DomainChanged",
                DOMAIN_FIXED,
            ),
            ("RoleAdminChanged", "role admins are not part of the audited state"),
        )
    },
    ("SettlementToken", "RoleGranted"): "settlement roles are not part of the audited state",
    ("SettlementToken", "RoleRevoked"): "settlement roles are not part of the audited state",
    ("PointsToken", "AuthorizationUsed"): "the Transfer it authorised is replayed",
    ("PointsToken", "AuthorizationCanceled"): "a cancelled authorisation moves nothing",
}
