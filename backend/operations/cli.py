"""``tongdui oplog verify``: recompute the operation log's hash chain from the database and
name the first broken link (exit 1), for the merchant's or an auditor's shell."""

from __future__ import annotations

import typer

from ..cli_options import DataDirOption, RpcOption, settings_for

oplog_app = typer.Typer(help="The operation log: verify its hash chain.")


@oplog_app.command("verify")
def oplog_verify(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Recompute every entry's hash and link; exit 1 at the first broken one."""
    from ..core.db import make_engine, migrate, session_factory
    from .oplog import verify

    settings = settings_for(rpc, data_dir)
    migrate(settings.database_url())
    with session_factory(make_engine(settings.database_url()))() as session:
        result = verify(session)
    if result.ok:
        typer.echo(f"operation log intact: {result.entries} entries, head {result.head_hash}")
        return
    typer.echo(
        f"operation log broken at seq {result.broken_at} ({result.reason}); "
        f"{result.entries} entries verify before it",
        err=True,
    )
    raise typer.Exit(1)
