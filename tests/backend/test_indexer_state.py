"""The indexer turns the seeded demo plus new swaps, issues and redeems into the database state
that the contracts hold, and that state can be rebuilt from the events alone."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

from alembic import command
from eth_account import Account
from sqlalchemy import func, select

from tests.backend.indexer_support import (
    assert_database_matches_chain,
    chain_log_keys,
    database_url,
    derived_snapshot,
    event_keys,
    index_services,
    issue,
    postgres_server_url,
    redeem,
    settle,
    signed_orders,
)
from tests.chains import TestChain as SeededChain
from tongdui.core.db import alembic_config, migrate, transaction
from tongdui.demo import demo_user_addresses
from tongdui.indexer import Indexer
from tongdui.indexer.models import (
    AddressEvent,
    Balance,
    Event,
    GovernanceProposal,
    Merchant,
    OrderRejection,
    PlatformParameter,
    Swap,
    UsedNonce,
)
from tongdui.indexer.store import rebuild
from tongdui.services import Services


def all_addresses(chain: SeededChain) -> list[str]:
    return list(chain.deployment.addresses.values()) + list(chain.tokens.values())


def test_indexing_the_seeded_demo_stores_every_log_and_the_contracts_state(
    clean_chain: SeededChain, index_services: Services
) -> None:
    indexed = Indexer(index_services).run_once()
    head = clean_chain.w3.eth.block_number
    with index_services.sessions() as session:
        keys = event_keys(session)
        assert indexed == len(keys) > 0
        assert keys == chain_log_keys(
            clean_chain.w3,
            all_addresses(clean_chain),
            index_services.deployment.deployment_block,
            head,
        )
        symbols = {m.symbol: m.token for m in session.scalars(select(Merchant))}
        assert symbols == clean_chain.tokens
        proposal = session.get(GovernanceProposal, 1)
        assert proposal is not None and proposal.status == "executed"
        assert session.get(PlatformParameter, "fee_bps").value == 30  # type: ignore[union-attr]
        assert_database_matches_chain(session, clean_chain.platform, head)


def test_swaps_issues_and_redeems_are_indexed_and_match_the_contracts(
    clean_chain: SeededChain, index_services: Services
) -> None:
    w3, platform, tokens = clean_chain.w3, clean_chain.platform, clean_chain.tokens
    indexer = Indexer(index_services)
    indexer.run_once()
    user1 = demo_user_addresses()[1]
    orders, signatures, hashes = signed_orders(
        w3, platform, clean_chain.user_keys[0], tokens["SKYM"], tokens["BEAN"], [1_000, 2_345, 77]
    )
    # an order that cannot execute: its minimum output is far above the quote
    bad, bad_signatures, bad_hashes = signed_orders(
        w3,
        platform,
        clean_chain.user_keys[0],
        tokens["SKYM"],
        tokens["FRESH"],
        [10],
        min_amount_out=10**9,
    )
    settle(w3, platform, orders + bad, signatures + bad_signatures)
    issue(w3, platform, "BEAN", tokens["BEAN"], user1, 500)
    redeem(w3, platform, clean_chain.user_keys[1], tokens["BEAN"], 120)

    assert indexer.run_once() > 0
    head = w3.eth.block_number
    with index_services.sessions() as session:
        swaps = {s.order_hash: s for s in session.scalars(select(Swap))}
        assert set(swaps) == set(hashes)
        quoted = platform.exchange.functions.quote(tokens["SKYM"], tokens["BEAN"], 2_345).call()
        swap = swaps[hashes[1]]
        assert (swap.amount_out, swap.fee) == (quoted[0], quoted[1])
        assert (
            swap.platform_fee
            + swap.source_merchant_fee
            + swap.target_merchant_fee
            + (swap.relayer_fee)
            == swap.fee
        )
        rejection = session.scalars(select(OrderRejection)).one()
        assert (rejection.order_hash, rejection.reason_code) == (
            bad_hashes[0],
            "INSUFFICIENT_OUTPUT",
        )
        # Three swaps and the signed rejection, which is final: its nonce is used too.
        assert session.scalar(select(func.count()).select_from(UsedNonce)) == 4
        bean = session.get(Balance, (tokens["BEAN"], user1))
        assert bean is not None and bean.amount == 300 + 500 - 120
        assert_database_matches_chain(session, platform, head)


def test_forged_rejection_does_not_enter_the_named_owners_history_or_nonces(
    clean_chain: SeededChain, index_services: Services
) -> None:
    # The attack: a relayer settles an "order" of a victim with a junk signature, so the
    # exchange emits OrderRejected naming the victim and a nonce of the relayer's choice.
    w3, platform, tokens = clean_chain.w3, clean_chain.platform, clean_chain.tokens
    indexer = Indexer(index_services)
    indexer.run_once()
    orders, _, hashes = signed_orders(
        w3, platform, clean_chain.user_keys[0], tokens["SKYM"], tokens["BEAN"], [1_000]
    )
    settle(w3, platform, orders, [b"\x00" * 65])

    indexer.run_once()
    victim = demo_user_addresses()[0]
    with index_services.sessions() as session:
        rejection = session.scalars(select(OrderRejection)).one()
        assert (rejection.order_hash, rejection.reason_code) == (hashes[0], "INVALID_SIGNER")
        assert session.scalar(select(func.count()).select_from(UsedNonce)) == 0
        history = session.scalars(
            select(AddressEvent.kind).where(func.lower(AddressEvent.address) == victim.lower())
        ).all()
        assert "rejected" not in history


def test_derived_state_rebuilt_from_events_alone_equals_the_incremental_state(
    clean_chain: SeededChain, index_services: Services
) -> None:
    w3, platform, tokens = clean_chain.w3, clean_chain.platform, clean_chain.tokens
    orders, signatures, _ = signed_orders(
        w3, platform, clean_chain.user_keys[2], tokens["FRESH"], tokens["SKYM"], [500, 900, 1_234]
    )
    settle(w3, platform, orders, signatures)
    Indexer(index_services).run_once()
    before = derived_snapshot(index_services.engine)
    assert before["address_events"] and before["merchant_totals"] and before["swap_users"]
    with transaction(index_services.sessions) as session:
        replayed = rebuild(session)
        assert replayed == session.scalar(select(func.count()).select_from(Event))
    assert derived_snapshot(index_services.engine) == before


def test_a_database_indexed_before_the_read_indexes_gets_them_from_its_own_log(
    clean_chain: SeededChain, index_services: Services
) -> None:
    """Upgrading an index made before ``address_events`` and the running totals existed fills
    them by replaying its own events: the result equals what indexing gives today."""
    w3, platform, tokens = clean_chain.w3, clean_chain.platform, clean_chain.tokens
    orders, signatures, _ = signed_orders(
        w3, platform, clean_chain.user_keys[1], tokens["SKYM"], tokens["FRESH"], [300, 400]
    )
    settle(w3, platform, orders, signatures)
    Indexer(index_services).run_once()
    indexed_today = derived_snapshot(index_services.engine)
    url = index_services.settings.database_url()
    command.downgrade(alembic_config(url), "0100_indexer")
    migrate(url)
    assert derived_snapshot(index_services.engine) == indexed_today


def test_freezes_by_authority_and_issuers_planted_by_a_stolen_admin_key_are_indexed_until_rotation(
    clean_chain: SeededChain, index_services: Services
) -> None:
    from tests.backend.relayer_helpers import governance_vote
    from tongdui.chain.transactions import Signer, wait_for
    from tongdui.core.config import ANVIL_KEYS
    from tongdui.indexer.models import AccountFreeze, MerchantIssuer

    w3, platform, skym = clean_chain.w3, clean_chain.platform, clean_chain.tokens["SKYM"]
    token = platform.points_token(skym)
    stolen_admin = Signer(w3, ANVIL_KEYS[4])  # SKYM's operator key
    planted, new_admin = Account.create().address, Account.create().address
    held, released = demo_user_addresses()[0], demo_user_addresses()[1]
    issuer_role = token.functions.ISSUER_ROLE().call()
    wait_for(w3, [stolen_admin.transact(token.functions.grantRole(issuer_role, planted))])
    wait_for(w3, [stolen_admin.transact(token.functions.setFrozen(held, True))])
    governance_vote(clean_chain, token, "setFrozenByGovernance", [held, True])
    governance_vote(clean_chain, token, "setFrozenByGovernance", [released, True])
    governance_vote(clean_chain, token, "setFrozenByGovernance", [released, False])
    Indexer(index_services).run_once()

    def indexed() -> tuple[set[str], set[tuple[str, bool, bool]]]:
        with index_services.sessions() as session:
            keys = session.scalars(
                select(MerchantIssuer.issuer).where(MerchantIssuer.token == skym)
            )
            rows = session.scalars(select(AccountFreeze).where(AccountFreeze.token == skym))
            return set(keys), {(r.account, r.by_merchant, r.by_governance) for r in rows}

    assert indexed() == ({stolen_admin.address, planted}, {(held, True, True)})

    governance_vote(clean_chain, platform.registry, "setMerchantAdmin", [1, new_admin])
    Indexer(index_services).run_once()

    assert indexed()[0] == {new_admin} == set(token.functions.issuers().call())
    before = derived_snapshot(index_services.engine)
    with transaction(index_services.sessions) as session:
        rebuild(session)
    assert derived_snapshot(index_services.engine) == before
    assert indexed()[0] == {new_admin}
