"""What the ``tongdui`` command's groups share: the ``--rpc`` and ``--data-dir`` options, the
Settings they make, and how a command ends on an error a person can fix. Its own module so
that a group owned elsewhere (``merchant/cli.py``) uses the same options as the top-level
commands without importing the command back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .core.config import Settings
from .core.errors import TongduiError

RpcOption = Annotated[
    str | None,
    typer.Option(
        "--rpc",
        help="JSON-RPC URL of a node, or several comma-separated (own node first, then "
        "fallbacks); default: embedded anvil",
    ),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="default: TONGDUI_DATA_DIR, else the repository's .tongdui"),
]


def settings_for(rpc: str | None = None, data_dir: Path | None = None, **extra: Any) -> Settings:
    """Settings from the environment, with the options a command was given on top."""
    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if rpc is not None:
        overrides["rpc_url"] = rpc
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    return Settings(**overrides)


def fail(error: TongduiError) -> typer.Exit:
    """The one line a person reads for an error they can fix, and exit code 1."""
    typer.secho(f"error [{error.code}]: {error.message}", fg="red", err=True)
    return typer.Exit(code=1)
