"""The backend's foundation on a real chain: deployment, demo seed, services, error codes."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_utils import keccak

from tests.chains import TestChain
from tongdui.chain.errors import code_for_selector, decode_error
from tongdui.core.errors import DeploymentNotFoundError
from tongdui.services import Services, build_services


def test_demo_seed_gives_users_points_and_merchants_funds(clean_chain: TestChain) -> None:
    platform = clean_chain.platform
    user = Account.from_key(clean_chain.user_keys[0]).address
    sky = platform.points_token(clean_chain.tokens["SKYM"])
    assert sky.functions.balanceOf(user).call() == 50_000
    balances = {m["name"]: m["settlementBalance"] for m in platform.merchants()}
    assert balances["Skyway Airlines Miles"] == 50_000_000


def test_services_connect_load_the_deployment_and_migrate(services: Services) -> None:
    assert services.chain_id == 31337
    assert services.platform.exchange.functions.feeConfig().call()[0] == 30


def test_a_missing_deployment_says_how_to_create_it(settings: object, tmp_path: object) -> None:
    from tongdui.core.config import Settings

    assert isinstance(settings, Settings)
    empty = settings.model_copy(update={"data_dir": settings.data_dir / "nowhere"})
    with pytest.raises(DeploymentNotFoundError, match="tongdui deploy"):
        build_services(empty, run_migrations=False)


def test_contract_errors_decode_to_stable_codes() -> None:
    selector = keccak(text="ExchangeOrderExpired(uint256)")[:4]
    assert code_for_selector(selector) == "ORDER_EXPIRED"
    decoded = decode_error(selector + (7).to_bytes(32, "big"))
    assert decoded.args == {"deadline": 7}
    assert "deadline" in decoded.message
