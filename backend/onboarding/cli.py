"""``tongdui consortium-key …``: consortium reviewers' keys, created for a member (shown once),
listed and revoked from a member's shell; each goes to the operation log. Registered on the
``tongdui`` command by ``cli.py``."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

import typer

from ..cli_options import DataDirOption, RpcOption, fail, settings_for
from ..core.error_codes import ErrorCode
from ..core.errors import TongduiError, ValidationError

consortium_key_app = typer.Typer(
    help="Consortium reviewers' keys (onboarding review): create (shown once), list, revoke."
)


def _log(services: Any, action: str, prefix: str, detail: dict[str, Any]) -> None:
    """A consortium action from the shell: no merchant's, never the key itself."""
    from ..operations.oplog import Action, append

    actor = {"via": "cli", "os_user": getpass.getuser(), "key_prefix": None}
    append(services.sessions, Action(action, actor, target=prefix, request=detail))


def _member(services: Any, member: str) -> str:
    """A member's address from its number in the member list (1, 2 …) or its address."""
    members = [str(m) for m in services.platform.governance.functions.members().call()]
    if member.isdigit() and 1 <= int(member) <= len(members):
        return members[int(member) - 1]
    for address in members:
        if address.lower() == member.lower():
            return address
    raise ValidationError(
        f"{member!r} is not a consortium member: give its number (1 to {len(members)}) or one "
        f"of {', '.join(members)}",
        code=ErrorCode.NOT_MEMBER,
    )


@consortium_key_app.command("create")
def consortium_key_create(
    member: Annotated[str, typer.Argument(help="the member's number (1, 2 …) or address")],
    label: Annotated[str, typer.Option(help="the reviewer's name, shown in the log")] = "",
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create a reviewer's key acting for a member; printed once, only its hash is stored."""
    from ..core.db import transaction
    from ..services import build_services
    from .keys import create_consortium_key

    try:
        services = build_services(settings_for(rpc, data_dir))
        address = _member(services, member)
        with transaction(services.sessions) as session:
            key = create_consortium_key(session, address, label)
    except TongduiError as error:
        raise fail(error) from error
    _log(services, "consortium.key.create", key.split("_")[1], {"member": address, "label": label})
    typer.echo(f"Consortium key for member {address}; store it now, it is not shown again:")
    typer.echo(key)


@consortium_key_app.command("list")
def consortium_key_list(rpc: RpcOption = None, data_dir: DataDirOption = None) -> None:
    """List reviewers' keys (prefix, member, label, revoked) — never the secrets."""
    from ..services import build_services
    from .keys import list_consortium_keys

    services = build_services(settings_for(rpc, data_dir))
    with services.sessions() as session:
        for info in list_consortium_keys(session):
            state = f"revoked {info.revoked_at:%Y-%m-%d}" if info.revoked_at else "active"
            typer.echo(f"#{info.id} {info.prefix}…  {info.member}  {state}  {info.label}")


@consortium_key_app.command("revoke")
def consortium_key_revoke(
    key: Annotated[str, typer.Argument(help="the key's id or prefix")],
    rpc: RpcOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Revoke a reviewer's key at once."""
    from ..core.db import transaction
    from ..services import build_services
    from .keys import revoke_consortium_key

    services = build_services(settings_for(rpc, data_dir))
    try:
        with transaction(services.sessions) as session:
            info = revoke_consortium_key(session, key)  # a prefix first, then an id
    except TongduiError as error:
        raise fail(error) from error
    _log(services, "consortium.key.revoke", info.prefix, {"key": key})
    typer.echo(f"revoked #{info.id} {info.prefix}…")
