"""The deliverer's write transactions: ``core.db.write_transaction``, re-exported where the
delivery and retention modules import it."""

from __future__ import annotations

from ..core.db import write_transaction

__all__ = ["write_transaction"]
