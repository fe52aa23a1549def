"""The ``tongdui`` command. Subcommands are added here as the components land."""

import typer

from . import __version__

app = typer.Typer(help="Tongdui (积分通兑): loyalty-points swaps on a consortium EVM chain.")


@app.callback()
def main() -> None:
    """Keep ``version`` a subcommand even while it is the only one."""


@app.command()
def version() -> None:
    """Print the installed tongdui version."""
    typer.echo(__version__)
