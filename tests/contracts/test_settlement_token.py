"""SettlementToken (sCNY): mint against deposits, burn on withdrawal, pause, roles, permit.

The settler (accounts[7]) holds SETTLER_ROLE; governance holds DEFAULT_ADMIN_ROLE and the
deployer (accounts[0]) renounced it at deployment.
"""

from __future__ import annotations

from typing import Any

from brownie import SettlementToken, accounts, chain
from eth_utils import keccak

from tests.helpers import call_failed, reverts_with, sign_typed, token_domain, unauthorized

ADMIN_ROLE = "0x" + "00" * 32
ZERO_ADDRESS = "0x" + "00" * 20
REF = keccak(text="bank transfer 42")
PERMIT_FIELDS = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


def _next_proposal(platform: Any) -> int:
    return platform.governance.proposalCount() + 1


def _settler_role(platform: Any) -> Any:
    return platform.settlement.SETTLER_ROLE()


# ─── metadata and roles ─────────────────────────────────────────────────────────────────────


def test_units_are_fen(platform: Any) -> None:
    settlement = platform.settlement
    assert settlement.decimals() == 2
    assert (settlement.name(), settlement.symbol()) == ("Tongdui Settlement CNY", "sCNY")


def test_governance_is_the_only_admin(platform: Any, settler: Any) -> None:
    settlement = platform.settlement
    assert settlement.hasRole(ADMIN_ROLE, platform.governance)
    assert not settlement.hasRole(ADMIN_ROLE, accounts[0])
    assert settlement.hasRole(_settler_role(platform), settler)


def test_governance_grants_the_settler_role_by_vote(platform: Any, vote: Any) -> None:
    settlement, newcomer = platform.settlement, accounts[0]
    vote((settlement, "grantRole", (_settler_role(platform), newcomer)))
    settlement.mint(newcomer, 5, REF, {"from": newcomer})
    assert settlement.balanceOf(newcomer) == 5


def test_granting_the_settler_role_reverts_for_the_deployer(platform: Any) -> None:
    with unauthorized(accounts[0], ADMIN_ROLE):
        platform.settlement.grantRole(_settler_role(platform), accounts[0], {"from": accounts[0]})


# ─── mint ───────────────────────────────────────────────────────────────────────────────────


def test_mint_creates_tokens_against_a_deposit(platform: Any, settler: Any) -> None:
    settlement, merchant = platform.settlement, accounts[4]
    supply = settlement.totalSupply()

    tx = settlement.mint(merchant, 12_345, REF, {"from": settler})

    minted = tx.events["SettlementMinted"]
    assert (minted["to"], minted["amount"], minted["ref"]) == (merchant, 12_345, "0x" + REF.hex())
    assert tx.events["Transfer"]["from"] == ZERO_ADDRESS
    assert settlement.balanceOf(merchant) == 12_345
    assert settlement.totalSupply() == supply + 12_345


def test_mint_reverts_for_a_non_settler(platform: Any) -> None:
    with unauthorized(accounts[4], _settler_role(platform)):
        platform.settlement.mint(accounts[4], 1, REF, {"from": accounts[4]})


def test_mint_reverts_on_zero(platform: Any, settler: Any) -> None:
    with reverts_with("SettlementZeroAmount"):
        platform.settlement.mint(accounts[4], 0, REF, {"from": settler})


def test_mint_reverts_to_the_zero_address(platform: Any, settler: Any) -> None:
    with reverts_with("ERC20InvalidReceiver", ZERO_ADDRESS):
        platform.settlement.mint(ZERO_ADDRESS, 1, REF, {"from": settler})


def test_mint_reverts_while_paused(platform: Any, settler: Any, vote: Any) -> None:
    vote((platform.settlement, "pause", ()))
    with reverts_with("EnforcedPause"):
        platform.settlement.mint(accounts[4], 1, REF, {"from": settler})


# ─── burn ───────────────────────────────────────────────────────────────────────────────────


def test_burn_destroys_the_settlers_own_tokens(platform: Any, settler: Any) -> None:
    settlement = platform.settlement
    settlement.mint(settler, 1_000, REF, {"from": settler})
    supply = settlement.totalSupply()

    tx = settlement.burn(400, REF, {"from": settler})

    burned = tx.events["SettlementBurned"]
    assert (burned["from"], burned["amount"], burned["ref"]) == (settler, 400, "0x" + REF.hex())
    assert tx.events["Transfer"]["to"] == ZERO_ADDRESS
    assert settlement.balanceOf(settler) == 600
    assert settlement.totalSupply() == supply - 400


def test_burn_reverts_for_a_non_settler(platform: Any, settler: Any) -> None:
    platform.settlement.mint(accounts[4], 10, REF, {"from": settler})
    with unauthorized(accounts[4], _settler_role(platform)):
        platform.settlement.burn(10, REF, {"from": accounts[4]})


def test_burn_reverts_on_zero(platform: Any, settler: Any) -> None:
    with reverts_with("SettlementZeroAmount"):
        platform.settlement.burn(0, REF, {"from": settler})


def test_burn_reverts_above_the_settlers_balance(platform: Any, settler: Any) -> None:
    platform.settlement.mint(settler, 10, REF, {"from": settler})
    with reverts_with("ERC20InsufficientBalance", settler, 10, 11):
        platform.settlement.burn(11, REF, {"from": settler})


def test_burn_reverts_while_paused(platform: Any, settler: Any, vote: Any) -> None:
    platform.settlement.mint(settler, 10, REF, {"from": settler})
    vote((platform.settlement, "pause", ()))
    with reverts_with("EnforcedPause"):
        platform.settlement.burn(1, REF, {"from": settler})


# ─── pause and unpause ──────────────────────────────────────────────────────────────────────


def test_pause_by_vote_stops_transfers(platform: Any, settler: Any, vote: Any) -> None:
    settlement = platform.settlement
    settlement.mint(accounts[4], 10, REF, {"from": settler})

    tx = vote((settlement, "pause", ()))

    assert tx.events["Paused"]["account"] == platform.governance
    assert settlement.paused()
    with reverts_with("EnforcedPause"):
        settlement.transfer(accounts[5], 1, {"from": accounts[4]})


def test_unpause_by_vote_resumes_transfers(platform: Any, settler: Any, vote: Any) -> None:
    settlement = platform.settlement
    settlement.mint(accounts[4], 10, REF, {"from": settler})
    vote((settlement, "pause", ()))

    tx = vote((settlement, "unpause", ()))

    assert tx.events["Unpaused"]["account"] == platform.governance
    settlement.transfer(accounts[5], 1, {"from": accounts[4]})
    assert settlement.balanceOf(accounts[5]) == 1


def test_pause_reverts_for_a_non_admin(platform: Any, settler: Any) -> None:
    with unauthorized(settler, ADMIN_ROLE):
        platform.settlement.pause({"from": settler})


def test_unpause_reverts_for_a_non_admin(platform: Any, settler: Any, vote: Any) -> None:
    vote((platform.settlement, "pause", ()))
    with unauthorized(settler, ADMIN_ROLE):
        platform.settlement.unpause({"from": settler})


def test_pause_reverts_while_paused(platform: Any, vote: Any) -> None:
    vote((platform.settlement, "pause", ()))
    with call_failed(_next_proposal(platform), 0, "EnforcedPause"):
        vote((platform.settlement, "pause", ()))


def test_unpause_reverts_unless_paused(platform: Any, vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "ExpectedPause"):
        vote((platform.settlement, "unpause", ()))


# ─── permit ─────────────────────────────────────────────────────────────────────────────────


def _permit(
    token: Any, owner: Any, spender: Any, value: int, deadline: int, signer: Any = None
) -> tuple[int, bytes, bytes]:
    signer = owner if signer is None else signer
    message = {
        "owner": owner.address,
        "spender": spender.address,
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    signature = sign_typed(
        signer.private_key, token_domain(token), "Permit", PERMIT_FIELDS, message
    )
    return signature[64], signature[:32], signature[32:64]


def test_permit_sets_an_allowance_by_signature(
    platform: Any, users: list[Any], relayer: Any
) -> None:
    settlement, owner, spender = platform.settlement, users[0], users[1]
    deadline = int(chain[-1].timestamp) + 600
    v, r, s = _permit(settlement, owner, spender, 77, deadline)

    settlement.permit(owner, spender, 77, deadline, v, r, s, {"from": relayer})

    assert settlement.allowance(owner, spender) == 77
    assert settlement.nonces(owner) == 1


def test_permit_reverts_after_the_deadline(platform: Any, users: list[Any], relayer: Any) -> None:
    settlement, owner, spender = platform.settlement, users[0], users[1]
    deadline = int(chain[-1].timestamp) - 1
    v, r, s = _permit(settlement, owner, spender, 1, deadline)
    with reverts_with("ERC2612ExpiredSignature", deadline):
        settlement.permit(owner, spender, 1, deadline, v, r, s, {"from": relayer})


def test_permit_reverts_for_another_owner(platform: Any, users: list[Any], relayer: Any) -> None:
    settlement, owner, impostor = platform.settlement, users[0], users[1]
    deadline = int(chain[-1].timestamp) + 600
    v, r, s = _permit(settlement, owner, impostor, 1, deadline, signer=impostor)
    with reverts_with("ERC2612InvalidSigner", impostor, owner):
        settlement.permit(owner, impostor, 1, deadline, v, r, s, {"from": relayer})


def test_constructor_makes_the_given_account_admin() -> None:
    token = SettlementToken.deploy("Test", "T", accounts[2], {"from": accounts[0]})
    assert token.hasRole(ADMIN_ROLE, accounts[2])
    assert not token.hasRole(ADMIN_ROLE, accounts[0])
    assert token.totalSupply() == 0
