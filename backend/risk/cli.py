"""``tongdui risk-rule``: the consortium's default risk rules (no merchant: applied to every
order and gift), set by the operator from the node's shell; merchants set their own through
the merchant API (``/merchants/{token}/risk/rules``, ``risk`` scope). Each change is written
to the operation log with the shell's user as the actor."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session, sessionmaker

from ..cli_options import DataDirOption, RpcOption, settings_for

risk_app = typer.Typer(help="The consortium's default risk rules: add, list, delete.")


def _sessions(rpc: str | None, data_dir: Path | None) -> sessionmaker[Session]:
    from ..core.db import make_engine, migrate, session_factory

    settings = settings_for(rpc, data_dir)
    migrate(settings.database_url())
    return session_factory(make_engine(settings.database_url()))


def _log(sessions: sessionmaker[Session], action: str, target: str, result: dict[str, Any]) -> None:
    from ..operations.oplog import Action, append

    actor = {"cli": getpass.getuser(), "key_prefix": None, "operator_id": None}
    append(sessions, Action(action=action, actor=actor, target=target, result=result))


@risk_app.command("add")
def add(
    kind: Annotated[
        str, typer.Option(help="velocity_address | velocity_member | amount | cooling | blocklist")
    ],
    action: Annotated[str, typer.Option(help="hold | refuse")],
    max_count: Annotated[int, typer.Option(help="velocity: uses allowed per window")] = 0,
    window_seconds: Annotated[int, typer.Option(help="velocity's window; cooling's length")] = 0,
    max_amount: Annotated[int, typer.Option(help="amount: points one request may move")] = 0,
    address: Annotated[
        list[str] | None, typer.Option(help="blocklist: an address (repeat)")
    ] = None,
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Add a consortium-wide default rule."""
    from ..core.db import transaction
    from ..core.errors import TongduiError
    from .store import RuleSpec, create_rule, describe

    sessions = _sessions(rpc, data_dir)
    spec = RuleSpec(kind, action, max_count, window_seconds, max_amount, tuple(address or ()))
    try:
        with transaction(sessions) as session:
            rule = describe(create_rule(session, sessions, None, spec))
    except TongduiError as error:
        typer.echo(f"{error.code}: {error.message}", err=True)
        raise typer.Exit(2) from error
    _log(sessions, "risk.rule.create", kind, {"status": "ok", "rule_id": rule["id"]})
    typer.echo(f"rule {rule['id']}: {kind} → {action}")


@risk_app.command("list")
def list_(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """List every live rule (consortium defaults and merchants' own)."""
    from sqlalchemy import select

    from .models import RiskRule

    with _sessions(rpc, data_dir)() as session:
        for row in session.scalars(
            select(RiskRule).where(RiskRule.deleted_at.is_(None)).order_by(RiskRule.id)
        ):
            scope = row.merchant_token or "consortium"
            typer.echo(
                f"{row.id}\t{scope}\t{row.kind}\t{row.action}\tcount={row.max_count} "
                f"window={row.window_seconds}s amount={row.max_amount} "
                f"addresses={len([a for a in row.addresses.split(',') if a])}"
            )


@risk_app.command("delete")
def delete(rule_id: int, rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """Retire a consortium default rule."""
    from ..core.db import transaction
    from ..core.errors import TongduiError
    from .store import delete_rule

    sessions = _sessions(rpc, data_dir)
    try:
        with transaction(sessions) as session:
            delete_rule(session, sessions, None, rule_id)
    except TongduiError as error:
        typer.echo(f"{error.code}: {error.message}", err=True)
        raise typer.Exit(2) from error
    _log(sessions, "risk.rule.delete", str(rule_id), {"status": "ok"})
    typer.echo(f"rule {rule_id} retired")
