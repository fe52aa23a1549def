"""``python -m tongdui.payments.provider_main``: the ``tongdui payment-provider`` command
alone (how ``tongdui up --demo`` starts it as a child, whatever the PATH)."""

from __future__ import annotations

import typer

from .cli import payment_provider

if __name__ == "__main__":
    typer.run(payment_provider)
