"""Points + cash (issue 16): the payment side of a voucher purchase whose points do not cover
the price.

A purchase with ``cashAmount > 0`` is escrowed on chain (``PurchasePending``, a 15-minute cash
deadline). Here: a payment order per such purchase (``orders``), opened at the payment provider
(``provider_client``); the provider's signed, retried notification (``notify``) is verified
(EIP-712 ``CashNotice`` by a ``PROVIDER_ROLE`` address, amount, order, freshness), taken once
per payment, and queued for the relayer as ``settle_cash``; a payment that never came is
refunded on chain after the deadline (``refund_expired``) and cash that arrived too late is
refunded through the provider's refund API (``sweeper``). ``test_provider`` is the stand-in
acquirer of the demo and the tests: a separate HTTP service, the only stand-in.
"""
