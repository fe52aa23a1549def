"""``tongdui merchant-key …``: a merchant's API keys, created (shown once), listed and revoked
from the operator's shell. Registered on the ``tongdui`` command by ``cli.py``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..cli_options import DataDirOption, RpcOption, fail, settings_for
from ..core.errors import TongduiError

merchant_key_app = typer.Typer(help="Merchant API keys: create (shown once), list, revoke.")


def _log(services: Any, action: str, token: str, prefix: str, detail: dict[str, Any]) -> None:
    """Key management from the shell goes to the operation log too (never the key itself)."""
    import getpass

    from ..operations.oplog import Action, append

    actor = {"via": "cli", "os_user": getpass.getuser(), "key_prefix": None}
    append(
        services.sessions,
        Action(action, actor, target=prefix, merchant_token=token, request=detail),
    )


def _merchant_token(services: Any, merchant: str) -> str:
    """A merchant's points token from its symbol (SKYM) or token address."""
    from ..query.chain import merchant as merchant_view
    from ..query.chain import merchants

    if merchant.startswith("0x"):
        return str(merchant_view(services.platform, merchant)["token"])
    for view in merchants(services.platform):
        if view["symbol"].upper() == merchant.upper():
            return str(view["token"])
    raise typer.BadParameter(f"no merchant with symbol {merchant}; `tongdui status` lists them")


@merchant_key_app.command("create")
def merchant_key_create(
    merchant: Annotated[str, typer.Argument(help="symbol (e.g. SKYM) or points token address")],
    scopes: Annotated[
        str, typer.Option(help="issue,redeem,value,funds,read,webhooks or all")
    ] = "all",
    label: Annotated[str, typer.Option(help="a note to recognise the key by")] = "",
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create an API key; it is printed once and only its hash is stored."""
    from ..core.db import transaction
    from ..merchant.keys import create_api_key, parse_scopes
    from ..services import build_services

    try:
        services = build_services(settings_for(rpc, data_dir))
        token = _merchant_token(services, merchant)
        with transaction(services.sessions) as session:
            key = create_api_key(session, token, parse_scopes(scopes), label=label)
    except TongduiError as error:
        raise fail(error) from error
    _log(services, "key.create", token, key.split("_")[1], {"scopes": scopes, "label": label})
    typer.echo(
        f"API key for {merchant} ({token}), scopes {scopes}; store it now, it is not shown again:"
    )
    typer.echo(key)


@merchant_key_app.command("list")
def merchant_key_list(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """List keys (prefix, merchant, scopes, revoked) — never the secrets."""
    from ..core.db import transaction
    from ..merchant.keys import list_api_keys
    from ..services import build_services

    services = build_services(settings_for(rpc, data_dir))
    with transaction(services.sessions) as session:
        for info in list_api_keys(session):
            state = f"revoked {info.revoked_at:%Y-%m-%d}" if info.revoked_at else "active"
            typer.echo(
                f"#{info.id} {info.prefix}…  {info.merchant_token}  "
                f"{','.join(info.scopes)}  {state}  {info.label}"
            )


@merchant_key_app.command("revoke")
def merchant_key_revoke(
    key: Annotated[str, typer.Argument(help="the key's id or prefix")],
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Revoke a key at once."""
    from ..core.db import transaction
    from ..merchant.keys import revoke_api_key
    from ..services import build_services

    services = build_services(settings_for(rpc, data_dir))
    try:
        with transaction(services.sessions) as session:
            info = revoke_api_key(session, key)  # a prefix first, then an id
    except TongduiError as error:
        raise fail(error) from error
    _log(services, "key.revoke", info.merchant_token, info.prefix, {"key": key})
    typer.echo(f"revoked #{info.id} {info.prefix}…")
