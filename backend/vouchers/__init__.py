"""Vouchers off chain (issue 16): VoucherBook's purchases taken in, checked and batched, gifts
and redemptions relayed, its events indexed, audited and served.

One module per job: ``models`` (the intake queue and the products' off-chain terms),
``index_models`` (the tables the indexer fills), ``book`` (chain reads), ``quote`` (the price
in another program's points), ``intake`` (``POST /vouchers/purchases``), ``batcher`` and
``receipts`` (``purchaseBatch`` and what its receipt says), ``requests`` (gifts and
redemptions), ``state`` (what ``payments`` asks and is told), ``merchant`` (a merchant's
products), ``reads`` (what the API answers), ``series`` (sales per day).
"""
