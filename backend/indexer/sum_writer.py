"""Writing running sums: add a batch's deltas to their rows with one read and a few bulk
statements per table, and delete a row whose numbers all come to zero (so undoing events and
never having seen them leave the same rows: a reorg's undo equals a rebuild)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, bindparam, delete, select
from sqlalchemy.orm import Session

from ..core.db import check_int64

IN_CHUNK = 500  # keys per IN (...) when reading the rows a batch touches


def flush_pairs(
    session: Session,
    table: Any,
    key_columns: tuple[str, str],
    value_column: str,
    deltas: Mapping[tuple[str, str], int],
) -> None:
    """Sum tables keyed by (token, address) with one number: balances, swap users."""
    deltas = {key: value for key, value in deltas.items() if value}
    if not deltas:
        return
    first, second = (table.c[c] for c in key_columns)
    seconds = sorted({b for _, b in deltas})
    existing: dict[tuple[str, str], int] = {}
    for start in range(0, len(seconds), IN_CHUNK):
        statement = select(first, second, table.c[value_column]).where(
            second.in_(seconds[start : start + IN_CHUNK])
        )
        for a, b, value in session.execute(statement):
            existing[(a, b)] = value
    inserts, updates, deletes = [], [], []
    for (a, b), delta in deltas.items():
        value = check_int64(existing.get((a, b), 0) + delta, f"{table.name} of {b} in {a}")
        key = {"k_a": a, "k_b": b}
        if (a, b) not in existing:
            inserts.append({key_columns[0]: a, key_columns[1]: b, value_column: value})
        elif value == 0:
            deletes.append(key)
        else:
            updates.append({**key, value_column: value})
    where = and_(first == bindparam("k_a"), second == bindparam("k_b"))
    write(session, table, where, inserts, updates, deletes)


def flush_keyed(
    session: Session,
    table: Any,
    key_column: str,
    deltas: Mapping[str, list[int]],
    columns: tuple[str, ...],
    *,
    supply: bool = False,
) -> None:
    """Sum tables with one key column; ``supply`` also writes supply = first − second."""
    deltas = {key: values for key, values in deltas.items() if any(values)}
    if not deltas:
        return
    key_col = table.c[key_column]
    existing = {
        row[0]: list(row[1:])
        for row in session.execute(
            select(key_col, *(table.c[c] for c in columns)).where(key_col.in_(list(deltas)))
        )
    }
    inserts, updates, deletes = [], [], []
    for key, delta in deltas.items():
        values = [
            old + d for old, d in zip(existing.get(key, [0] * len(columns)), delta, strict=True)
        ]
        for column, value in zip(columns, values, strict=True):
            check_int64(value, f"{table.name}.{column} of {key}")
        row = dict(zip(columns, values, strict=True))
        if supply:
            row["supply"] = check_int64(values[0] - values[1], f"supply of {key}")
        if key not in existing:
            inserts.append({key_column: key, **row})
        elif not any(values):
            deletes.append({"k_key": key})
        else:
            updates.append({"k_key": key, **row})
    write(session, table, key_col == bindparam("k_key"), inserts, updates, deletes)


def write(
    session: Session,
    table: Any,
    where: Any,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    deletes: list[dict[str, Any]],
) -> None:
    connection = session.connection()
    if inserts:
        connection.execute(table.insert(), inserts)
    if updates:
        # executemany: the SET clause takes the columns named in the rows' other keys
        connection.execute(table.update().where(where), updates)
    if deletes:
        connection.execute(delete(table).where(where), deletes)
