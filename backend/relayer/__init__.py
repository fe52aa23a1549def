"""Relayer: takes signed orders, validates, persists, batches and settles them on chain.

Entry points: ``Relayer(services)`` with ``run_once()`` and ``run(stop)`` (the loop for
``tongdui up`` / ``tongdui relay``); the HTTP side is ``tongdui.api.routes.orders``.
"""

from .relayer import Relayer

__all__ = ["Relayer"]
