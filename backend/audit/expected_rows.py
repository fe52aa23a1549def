"""What every table of the indexer's database must hold, as the replay rebuilds it.

table → (key columns, key → expected row): events (every column, decoded args included),
balances, token_supplies, settlement_accounts, payee_credits, merchants, order_counters, swaps
(with the fee split), order_rejections (with their reason codes), used_nonces,
point_value_history, attestations, account_freezes, merchant_issuers, platform_parameters and
the governance tables (``served_tables``), and the read-side tables (``read_indexes``). Written
from the replay, not from the indexer's projector: the audit must not share its code path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..chain.constants import MERCHANT_STATUS
from ..chain.errors import code_for_selector
from .expiry_checks import expiry_rows
from .htlc import expected_lock_rows
from .read_indexes import read_index_rows
from .served_tables import governance_rows, parameter_rows
from .stored_form import event_json
from .vouchers import expected_voucher_rows

if TYPE_CHECKING:
    from .results import ReplayResult

Key = tuple[Any, ...]
Rows = dict[Key, dict[str, Any]]


def _by_event(rows: list[dict[str, Any]]) -> Rows:
    return {(r["block_number"], r["log_index"]): r for r in rows}


def expected_rows(result: ReplayResult) -> dict[str, tuple[tuple[str, ...], Rows]]:
    """table → (key columns, key → expected row) as the replay rebuilds them."""
    r = result.replay
    tables: dict[str, tuple[tuple[str, ...], Rows]] = {}
    tables["events"] = (
        ("block_number", "log_index"),
        {
            (log.block_number, log.log_index): {
                "block_hash": "0x" + log.block_hash.hex(),
                "block_timestamp": log.timestamp,
                "tx_hash": "0x" + log.tx_hash.hex(),
                "tx_index": log.tx_index,
                "contract": log.address,
                "event": log.name,
                "args": event_json(log.args),
            }
            for log in result.logs
        },
    )
    tables["balances"] = (
        ("token", "holder"),
        {
            (token, holder): {"amount": amount}
            for token, state in r.tokens.items()
            for holder, amount in state.balances.items()
            if amount
        },
    )
    tables["token_supplies"] = (
        ("token",),
        {
            (token,): {"minted": s.minted, "burned": s.burned, "supply": s.supply}
            for token, s in r.tokens.items()
            if s.minted or s.burned
        },
    )
    tables["settlement_accounts"] = (
        ("token",),
        {
            (token,): {"settlement_balance": m.settlement_balance, "fee_credit": m.fee_credit}
            for token, m in r.markets.items()
            if m.settlement_balance or m.fee_credit
        },
    )
    tables["payee_credits"] = (
        ("payee",),
        {(payee,): {"credit": credit} for payee, credit in r.payee_credits.items() if credit},
    )
    tables["merchants"] = (
        ("id",),
        {
            (m.id,): {
                "token": m.token,
                "name": m.name,
                "symbol": m.symbol,
                "admin": m.admin,
                "status": MERCHANT_STATUS.get(m.status, str(m.status)),
                "market_active": r.markets[m.token].active if m.token in r.markets else False,
                "point_value": r.markets[m.token].point_value if m.token in r.markets else 0,
                "issuance_cap": r.tokens[m.token].issuance_cap,
                "issuance_suspended": r.tokens[m.token].issuance_suspended,
                "admitted_block": m.admitted_block,
                "admitted_at": m.admitted_at,
            }
            for m in r.merchants.values()
        },
    )
    tables["order_counters"] = (
        ("owner",),
        {(owner,): {"counter": counter} for owner, counter in r.counters.items()},
    )
    swap_columns = (
        "tx_hash",
        "block_timestamp",
        "order_hash",
        "owner",
        "from_token",
        "to_token",
        "nonce",
        "amount_in",
        "amount_out",
        "gross_value",
        "paid_to_target",
        "fee",
        "dust",
        "relayer",
        "platform_payee",
        "platform_fee",
        "source_merchant_fee",
        "target_merchant_fee",
        "relayer_fee",
    )
    tables["swaps"] = (
        ("block_number", "log_index"),
        {
            (s.block_number, s.log_index): {
                c: getattr(s, "timestamp" if c == "block_timestamp" else c) for c in swap_columns
            }
            for s in r.swaps
        },
    )
    tables["order_rejections"] = (
        ("block_number", "log_index"),
        _by_event(
            [
                {**row, "reason_code": code_for_selector(bytes.fromhex(row["reason"][2:]))}
                for row in r.rejections
            ]
        ),
    )
    tables["used_nonces"] = (
        ("block_number", "log_index"),
        _by_event([{**row, "mask": f"0x{row['mask']:064x}"} for row in r.used_nonce_rows]),
    )
    tables["point_value_history"] = (
        ("block_number", "log_index"),
        _by_event([{k: v for k, v in row.items() if k != "timestamp"} for row in r.value_history]),
    )
    tables["attestations"] = (
        ("block_number", "log_index"),
        _by_event([{k: v for k, v in row.items() if k != "timestamp"} for row in r.attestations]),
    )
    # Freeze flags by authority and the current issuer keys (issue 13), as /controls serves them.
    tables["account_freezes"] = (
        ("token", "account"),
        {
            (token, account): {"by_merchant": bool(flags[0]), "by_governance": bool(flags[1])}
            for token, state in r.tokens.items()
            for account, flags in state.freezes.items()
            if flags[0] or flags[1]
        },
    )
    tables["merchant_issuers"] = (
        ("token", "issuer"),
        {(token, issuer): {} for token, state in r.tokens.items() for issuer in state.issuers},
    )
    tables["platform_parameters"] = (("name",), parameter_rows(result))
    tables.update(governance_rows(result))
    for rows in (
        tables[n][1]
        for n in ("order_rejections", "used_nonces", "point_value_history", "attestations")
    ):
        for row in rows.values():
            row.pop("block_number", None)
            row.pop("log_index", None)
    tables.update(read_index_rows(result))
    tables["htlc_locks"] = (("lock_id",), expected_lock_rows(r.htlc))
    tables.update(expiry_rows(r.expiry))  # issue 16: buckets by expiry key and the rules
    tables.update(expected_voucher_rows(r.vouchers))  # issue 16
    return tables
