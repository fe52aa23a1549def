"""``tongdui audit`` and ``tongdui statement``: the auditor's commands.

An auditor needs only its own node and the platform's addresses: from the deployment file in
the data folder (``<data dir>/deployments/<chain id>.json``), or all five given as options.
Exit codes: 0 everything matches, 1 a discrepancy was found, 2 the audit could not run.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..core.config import Settings
from ..core.errors import ConfigurationError, TongduiError
from .fetch import Contracts

audit_app = typer.Typer(
    help="Replay the chain, check every invariant, compare the index; attest and verify.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
)

Rpc = Annotated[str | None, typer.Option("--rpc", help="your own node's JSON-RPC URL")]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help="holds deployments/")]
Address = Annotated[str | None, typer.Option(help="contract address (instead of the file)")]
FromBlock = Annotated[int | None, typer.Option("--from-block", help="the deployment block")]


class Target:
    """Where to audit: the node, the addresses, the first block."""

    def __init__(self, settings: Settings, contracts: Contracts, from_block: int) -> None:
        self.settings = settings
        self.rpc_url = settings.node_url()
        self.contracts = contracts
        self.from_block = from_block


def _target(
    rpc: str | None,
    data_dir: Path | None,
    governance: str | None,
    settlement: str | None,
    exchange: str | None,
    registry: str | None,
    attestations: str | None,
    from_block: int | None,
) -> Target:
    overrides: dict[str, object] = {}
    if rpc is not None:
        overrides["rpc_url"] = rpc
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    settings = Settings(**overrides)  # type: ignore[arg-type]
    given = (governance, settlement, exchange, registry, attestations)
    if all(given):
        contracts = Contracts(*(a.lower() for a in given if a))
        return Target(settings, contracts, from_block or 0)
    if any(given):
        raise ConfigurationError(
            "give all five addresses (--governance --settlement --exchange "
            "--registry --attestations) or none (the deployment file)"
        )
    from ..chain.deployment import load_deployment
    from ..chain.rpc import JsonRpc

    with JsonRpc(settings.node_url()) as client:
        chain_id = client.chain_id()
    deployment = load_deployment(settings.deployments_dir(), chain_id)
    return Target(
        settings,
        Contracts.from_names(deployment.addresses),
        deployment.deployment_block if from_block is None else from_block,
    )


def _fail(error: TongduiError) -> typer.Exit:
    typer.secho(f"error [{error.code}]: {error.message}", fg="red", err=True)
    return typer.Exit(code=2)


def _save_latest(settings: Settings, payload: dict[str, object]) -> None:
    """The latest report in the data folder, for the API's auditor page."""
    folder = settings.data_dir / "audit"
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / "latest.json.tmp"
    temporary.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    temporary.replace(folder / "latest.json")


@audit_app.callback(invoke_without_command=True)
def audit(
    ctx: typer.Context,
    rpc: Rpc = None,
    data_dir: DataDir = None,
    db: Annotated[str | None, typer.Option("--db", help="indexer database URL to compare")] = None,
    to_block: Annotated[int | None, typer.Option("--to-block", help="default: the head")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="write the JSON report")] = None,
    attest: Annotated[bool, typer.Option("--attest", help="post the result on chain")] = False,
    governance: Address = None,
    settlement: Address = None,
    exchange: Address = None,
    registry: Address = None,
    attestations: Address = None,
    from_block: FromBlock = None,
) -> None:
    """Replay every platform event from the node and check everything (see `verify` and
    `verify-statement` for the other commands)."""
    if ctx.invoked_subcommand is not None:
        return
    from .run import run_audit

    try:
        target = _target(
            rpc, data_dir, governance, settlement, exchange, registry, attestations, from_block
        )
        report = run_audit(
            target.rpc_url,
            target.contracts,
            target.from_block,
            to_block,
            db_url=db,
            chunk_size=target.settings.log_chunk_size,
            progress=True,
        )
    except TongduiError as error:
        raise _fail(error) from error
    typer.echo(report.text())
    payload = report.to_json()
    if json_file is not None:
        json_file.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    if attest:
        try:
            attestation_id, auditor = _attest(target, report)
        except TongduiError as error:
            raise _fail(error) from error
        payload["attestationId"] = attestation_id
        payload["attestedBy"] = auditor
        typer.echo(
            f"Attested as #{attestation_id} by {auditor}: block {report.canonical['toBlock']} "
            f"({report.canonical['toBlockHash']}), digest {report.canonical['historyDigest']}, "
            f"report {report.report_hash}"
        )
    _save_latest(target.settings, payload)
    raise typer.Exit(code=0 if report.ok else 1)


def _attest(target: Target, report: object) -> tuple[int, str]:
    """Posts the attestation; returns its id and the auditor address that signed it."""
    from eth_account import Account

    from ..chain.client import Platform, connect
    from ..chain.deployment import Deployment
    from .attest import post_attestation

    key = target.settings.auditor_private_key()
    if key is None:
        raise ConfigurationError(
            "set TONGDUI_AUDITOR_KEY (an account holding AUDITOR_ROLE) to attest"
        )
    w3 = connect(target.rpc_url)
    names = {kind: address for kind, address in target.contracts.to_json().items()}
    platform = Platform(w3, Deployment(w3.eth.chain_id, target.from_block, names))
    attestation_id = post_attestation(w3, platform, key, report)  # type: ignore[arg-type]
    return attestation_id, str(Account.from_key(key).address)


@audit_app.command("verify")
def verify(
    rpc: Rpc = None,
    data_dir: DataDir = None,
    governance: Address = None,
    settlement: Address = None,
    exchange: Address = None,
    registry: Address = None,
    attestations: Address = None,
    from_block: FromBlock = None,
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Recompute each auditor's attestation of its highest block and say which match."""
    from .attest import verify_attestations

    try:
        target = _target(
            rpc, data_dir, governance, settlement, exchange, registry, attestations, from_block
        )
        verdicts = verify_attestations(
            target.rpc_url, target.contracts, target.from_block, target.settings.log_chunk_size
        )
    except TongduiError as error:
        raise _fail(error) from error
    if json_out:
        typer.echo(json.dumps([v.to_json() for v in verdicts], indent=2))
    elif not verdicts:
        typer.echo("No attestation on chain yet.")
    for verdict in verdicts if not json_out else []:
        a = verdict.attestation
        word = "MATCHES" if verdict.ok else "DIFFERS"
        typer.echo(
            f"#{a.id} by {a.auditor} at block {a.block_number}: {word} "
            f"(block hash {'ok' if verdict.block_matches else 'differs: ' + verdict.block_hash}, "
            f"digest {'ok' if verdict.digest_matches else 'differs: ' + verdict.digest}, "
            f"report hash {'ok' if verdict.report_matches else 'differs: ' + verdict.report_hash})"
        )
    raise typer.Exit(code=0 if all(v.ok for v in verdicts) else 1)


@audit_app.command("verify-statement")
def verify_statement_command(
    file: Annotated[Path, typer.Argument(help="a statement, JSON or CSV")],
    rpc: Rpc = None,
    data_dir: DataDir = None,
    governance: Address = None,
    settlement: Address = None,
    exchange: Address = None,
    registry: Address = None,
    attestations: Address = None,
    from_block: FromBlock = None,
) -> None:
    """Rebuild a clearing statement from the chain and name every field that differs."""
    from .statement_files import verify_statement

    try:
        target = _target(
            rpc, data_dir, governance, settlement, exchange, registry, attestations, from_block
        )
        findings, _ = verify_statement(
            target.rpc_url, target.contracts, target.from_block, file.read_text()
        )
    except TongduiError as error:
        raise _fail(error) from error
    if not findings:
        typer.echo(f"{file}: matches the chain.")
        raise typer.Exit(code=0)
    typer.echo(f"{file}: {len(findings)} difference(s) from the chain:")
    for finding in findings:
        typer.echo(f"  {finding.line()}")
    raise typer.Exit(code=1)


def statement(
    merchant: Annotated[
        str | None, typer.Option("--merchant", help="symbol; omit for the consortium view")
    ] = None,
    from_date: Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD")] = None,
    to_date: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD")] = None,
    from_block_: Annotated[
        int | None, typer.Option("--from-block", help="or a block range: first block")
    ] = None,
    to_block: Annotated[int | None, typer.Option("--to-block", help="last block")] = None,
    utc_offset: Annotated[
        int | None,
        typer.Option(
            help="the clock days are counted in, hours from UTC; default "
            "TONGDUI_STATEMENT_UTC_OFFSET, else 8 (China)"
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="csv or json")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file; default stdout")
    ] = None,
    rpc: Rpc = None,
    data_dir: DataDir = None,
) -> None:
    """A clearing statement (清分) built from the chain, with its blocks and history digest.

    Days are counted in UTC+8 unless --utc-offset says otherwise; a period in which no block
    was made is an empty statement (all figures 0), not an error."""
    from ..chain.rpc import JsonRpc
    from .statement_files import to_csv
    from .statement_periods import resolve_period
    from .statements import make_statement

    if output_format not in ("csv", "json"):
        raise typer.BadParameter("--format is csv or json")
    try:
        target = _target(rpc, data_dir, None, None, None, None, None, None)
        offset = target.settings.statement_utc_offset if utc_offset is None else utc_offset
        period: dict[str, object] = {}
        with JsonRpc(target.rpc_url) as client:
            head = client.block_number()
            first, last = (
                from_block_ or target.from_block,
                to_block if to_block is not None else head,
            )
            if from_date or to_date:
                resolved = resolve_period(
                    client,
                    date.fromisoformat(from_date or to_date or ""),
                    date.fromisoformat(to_date or from_date or ""),
                    offset,
                    target.from_block,
                )
                first, last = resolved.first_block, resolved.last_block
                period = resolved.labels()
            elif last < first:
                raise ConfigurationError(f"no block in that range (blocks {first}…{last})")
            last = min(last, head)
        made = make_statement(
            target.rpc_url, target.contracts, target.from_block, first, last, merchant, period
        )
    except TongduiError as error:
        raise _fail(error) from error
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    text = (
        to_csv(made)
        if output_format == "csv"
        else json.dumps(made, indent=2, ensure_ascii=False) + "\n"
    )
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
