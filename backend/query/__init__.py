"""Read models behind the query API: live chain reads (merchants, quotes, value bounds) and
reads of the indexer's tables (balances, history, statistics)."""
