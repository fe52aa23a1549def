"""The indexer: follows every event of the platform's contracts into the database.

Entry points: ``Indexer(services)`` with ``run_once()``, ``run(stop)``, ``backfill(progress)``
and ``status()``; ``store.rebuild(session)`` recreates the derived tables from ``events``.
"""

from .follower import ChainMovedError, Indexer, IndexerStatus

__all__ = ["ChainMovedError", "Indexer", "IndexerStatus"]
