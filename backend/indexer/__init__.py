"""Indexer: follows every platform event into the database, with checkpoints and reorg handling."""
