"""Deploying the platform with web3.py (``tongdui deploy`` / first ``tongdui up``).

Same sequence as the brownie script ``scripts/platform.py`` (which the contract tests use):
deploy, wire the registry to the exchange, grant the genesis roles, hand every admin right to
the governance. Creation addresses follow from (deployer, nonce), so all transactions go out
at once and the whole deployment takes a block or two even with a block period of seconds.

The exchange's risk settings start at their defaults from its constructor (``Constants.sol``):
the per-user limit is on from genesis (¥100 000 a day, decaying), the minimum order is 100 fen,
point values move at most 20 % a step, 1 h apart, ±50 % a day; governance votes to change them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_account import Account
from web3 import Web3
from web3.types import Nonce
from web3.utils.address import get_create_address

from .artifacts import abi, artifact
from .deployment import Deployment
from .transactions import Signer, wait_for

DEFAULT_ADMIN_ROLE = b"\x00" * 32


@dataclass(frozen=True)
class GenesisRoles:
    """Who holds what when the platform starts."""

    members: list[str]
    threshold: int
    platform_payee: str
    settlers: list[str]
    relayers: list[str]
    # AUDITOR_ROLE at deployment, so `tongdui audit --attest` works before any vote.
    auditors: list[str] = field(default_factory=list)


def deploy_platform(
    w3: Web3,
    deployer_key: str,
    roles: GenesisRoles,
    settlement_token: tuple[str, str] = ("Tongdui Settlement CNY", "sCNY"),
) -> Deployment:
    """Deploys and wires every contract; afterwards the deployer holds no role anywhere.

    ``settlement_token`` is the settlement token's (name, symbol): sCNY for the Chinese consortium,
    sJPY for the Japanese one of the cross-chain demo."""
    deployer = Signer(w3, deployer_key)
    first_block = w3.eth.block_number + 1
    nonce = deployer.nonce
    names = (
        "ConsortiumGovernance",
        "SettlementToken",
        "PointsExchange",
        "MerchantRegistry",
        "AttestationRegistry",
    )
    address = {
        name: get_create_address(deployer.address, Nonce(nonce + i)) for i, name in enumerate(names)
    }
    arguments = {
        "ConsortiumGovernance": (roles.members, roles.threshold),
        "SettlementToken": (*settlement_token, deployer.address),
        "PointsExchange": (deployer.address, address["SettlementToken"], roles.platform_payee),
        "MerchantRegistry": (address["ConsortiumGovernance"], address["PointsExchange"]),
        "AttestationRegistry": (address["ConsortiumGovernance"], roles.auditors),
    }
    hashes = [deployer.deploy(abi(n), artifact(n)["bytecode"], *arguments[n]) for n in names]

    exchange = w3.eth.contract(address=address["PointsExchange"], abi=abi("PointsExchange"))
    settlement = w3.eth.contract(address=address["SettlementToken"], abi=abi("SettlementToken"))
    lister = Web3.keccak(text="LISTER_ROLE")
    relayer_role = Web3.keccak(text="RELAYER_ROLE")
    settler_role = Web3.keccak(text="SETTLER_ROLE")
    governance = address["ConsortiumGovernance"]
    calls = [exchange.functions.grantRole(lister, address["MerchantRegistry"])]
    calls += [exchange.functions.grantRole(relayer_role, r) for r in roles.relayers]
    calls += [settlement.functions.grantRole(settler_role, s) for s in roles.settlers]
    for contract in (exchange, settlement):
        calls.append(contract.functions.grantRole(DEFAULT_ADMIN_ROLE, governance))
        calls.append(contract.functions.renounceRole(DEFAULT_ADMIN_ROLE, deployer.address))
    hashes += [deployer.transact(call, gas=200_000) for call in calls]
    wait_for(w3, hashes)
    return Deployment(
        chain_id=w3.eth.chain_id, deployment_block=first_block, addresses=dict(address)
    )


def address_of(private_key: str) -> str:
    return str(Account.from_key(private_key).address)
