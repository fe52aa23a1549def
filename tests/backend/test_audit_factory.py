"""The audit's view of the points token factory: it is part of the deployment record and of
the report, and a registry, factory or token that does not name its counterpart is a finding.

Why: the registry deploys each merchant's token through PointsTokenFactory (issue 16's
groundwork), so "which code made this token" moved to another contract; the audit reads
that the registry and the factory are bound to each other and that every token's registry
is the platform's.
"""

from __future__ import annotations

from dataclasses import replace

from tests.chains import TestChain
from tongdui.audit.run import AuditReport, run_audit
from tongdui.chain.artifacts import abi, artifact
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS

from .audit_fixtures import contracts_of


def test_the_factory_is_in_the_deployment_record_and_the_audit_report(
    clean_chain: TestChain,
) -> None:
    deployment = clean_chain.deployment
    factory = deployment.address("PointsTokenFactory")
    registry = clean_chain.platform.registry
    assert registry.functions.factory().call() == factory
    assert deployment.to_json()["contracts"]["PointsTokenFactory"]["address"] == factory  # type: ignore[index]

    report = run_audit(clean_chain.url, contracts_of(clean_chain), deployment.deployment_block)

    assert report.ok, report.text()
    assert report.canonical["contracts"]["PointsTokenFactory"] == factory
    assert report.canonical["invariants"]["invariant-5"]["ok"]


def test_an_audit_given_another_factory_names_the_registrys_factory(
    clean_chain: TestChain,
) -> None:
    """A factory made for the same registry address, but not the one the registry uses: the
    auditor was handed a wrong address (or the deployment record was altered)."""
    w3, registry = clean_chain.w3, clean_chain.deployment.address("MerchantRegistry")
    deployer = Signer(w3, ANVIL_KEYS[0])
    creation = artifact("PointsTokenFactory")["bytecode"]
    [receipt] = wait_for(w3, [deployer.deploy(abi("PointsTokenFactory"), creation, registry)])
    other = str(receipt["contractAddress"]).lower()
    contracts = replace(contracts_of(clean_chain), factory=other)

    report = run_audit(clean_chain.url, contracts, clean_chain.deployment.deployment_block)

    assert not report.ok
    [finding] = [f for f in report.findings if f.where == "MerchantRegistry" and f.key == "factory"]
    assert finding.check == "invariant-5"
    assert finding.expected == other
    assert finding.actual == clean_chain.deployment.address("PointsTokenFactory").lower()


def test_the_audit_reads_the_factorys_wiring_and_every_tokens_registry(
    clean_chain: TestChain,
) -> None:
    """Two wiring reads (registry.factory, factory.registry) and one registry() per merchant
    token; an audit of a deployment made before the factory (none in its record) has none."""
    contracts = contracts_of(clean_chain)
    block = clean_chain.deployment.deployment_block
    with_factory = run_audit(clean_chain.url, contracts, block)
    without = run_audit(clean_chain.url, replace(contracts, factory=None), block)

    def reads(report: AuditReport) -> int:
        return int(report.canonical["invariants"]["invariant-5"]["checks"])

    merchants = with_factory.canonical["state"]["merchants"]
    assert merchants == 3
    assert reads(with_factory) - reads(without) == 2 + merchants
    assert "PointsTokenFactory" not in without.canonical["contracts"]
