"""``tongdui webhooks sweep``: the retention sweep the delivery loop runs hourly, by hand (say,
after lowering ``TONGDUI_WEBHOOK_RETENTION_DAYS``, or on an instance whose loop is off)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..cli_options import DataDirOption, RpcOption, settings_for

webhooks_app = typer.Typer(help="Webhook deliveries: the retention sweep.")


@webhooks_app.command("sweep")
def webhooks_sweep(
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
    days: Annotated[
        float | None,
        typer.Option("--days", min=0.0, help="keep this many days (default: the setting)"),
    ] = None,
) -> None:
    """Delete succeeded deliveries and their attempts older than the retention period."""
    from ..core.db import make_engine, migrate, session_factory
    from .retention import sweep

    settings = settings_for(rpc, data_dir)
    migrate(settings.database_url())
    engine = make_engine(settings.database_url())
    try:
        swept = sweep(
            session_factory(engine),
            keep_days=settings.webhook_retention_days if days is None else days,
            reorg_window=settings.reorg_window,
        )
    finally:
        engine.dispose()
    typer.echo(f"deleted {swept.deliveries} deliveries and {swept.attempts} attempts")
