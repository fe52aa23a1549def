"""The audit's handlers of MerchantRegistry: who is admitted, with which token and admin.

A merchant's points token is followed from its ``MerchantAdmitted`` on (``fetch.LogReader``).
``HANDLERS`` and ``IGNORED`` are this family's rows of ``replay.HANDLERS``.
"""

from __future__ import annotations

from .decode import Log
from .replay_base import Handler, ReplayBase
from .state import MerchantState


def on_MerchantAdmitted(replay: ReplayBase, log: Log) -> None:
    a = log.args
    replay.merchants[a["id"]] = MerchantState(
        a["id"],
        a["token"],
        a["admin"],
        a["name"],
        a["symbol"],
        1,
        log.block_number,
        log.timestamp,
    )
    replay.token(a["token"])


def on_MerchantStatusChanged(replay: ReplayBase, log: Log) -> None:
    merchant = replay.merchants.get(log.args["id"])
    if merchant is not None:
        merchant.status = log.args["status"]


def on_MerchantAdminChanged(replay: ReplayBase, log: Log) -> None:
    merchant = replay.merchants.get(log.args["id"])
    if merchant is not None:
        merchant.admin = log.args["admin"]


HANDLERS: dict[tuple[str, str], Handler] = {
    ("MerchantRegistry", "MerchantAdmitted"): on_MerchantAdmitted,
    ("MerchantRegistry", "MerchantStatusChanged"): on_MerchantStatusChanged,
    ("MerchantRegistry", "MerchantAdminChanged"): on_MerchantAdminChanged,
}

IGNORED: dict[tuple[str, str], str] = {
    ("MerchantRegistry", event): "registry roles are not part of the audited state"
    for event in ("RoleAdminChanged", "RoleGranted", "RoleRevoked")
}
