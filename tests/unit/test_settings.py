"""Settings read lists from comma-separated variables, fall back to the embedded chain's
demo keys only when no node is given, and put the database beside the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongdui.core.config import ANVIL_KEYS, DEMO_AUDITOR_KEY, Settings
from tongdui.core.errors import ConfigurationError


@pytest.fixture(autouse=True)
def no_tongdui_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only what a test sets: none of the machine's TONGDUI_* variables, no .env file."""
    import os

    for name in [n for n in os.environ if n.startswith("TONGDUI_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_key_lists_are_comma_separated_with_blanks_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONGDUI_RPC_URL", "http://node:8545")
    monkeypatch.setenv("TONGDUI_RELAYER_KEYS", f" {ANVIL_KEYS[1]} ,,{ANVIL_KEYS[2]},")
    monkeypatch.setenv("TONGDUI_MEMBERS", "0xaa, 0xbb")
    settings = Settings()
    assert settings.relayer_private_keys() == [ANVIL_KEYS[1], ANVIL_KEYS[2]]
    assert settings.members == ["0xaa", "0xbb"]


def test_the_embedded_chain_falls_back_to_the_demo_keys() -> None:
    settings = Settings()
    assert settings.embedded
    assert settings.relayer_private_keys() == [ANVIL_KEYS[8], ANVIL_KEYS[9]]
    assert settings.merchant_private_keys() == list(ANVIL_KEYS[4:7])
    assert settings.auditor_private_key() == DEMO_AUDITOR_KEY


def test_a_given_node_gets_no_demo_key() -> None:
    settings = Settings(rpc_url="http://node:8545")
    assert not settings.embedded
    assert settings.relayer_private_keys() == []
    assert settings.merchant_private_keys() == []
    assert settings.auditor_private_key() is None


def test_an_empty_node_list_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="TONGDUI_RPC_URL"):
        Settings(rpc_url=" , ").node_urls()


def test_the_database_is_in_the_data_folder_unless_a_url_is_given(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).database_url() == f"sqlite:///{tmp_path / 'tongdui.db'}"
    assert Settings(data_dir=tmp_path, db_url="postgresql://db/x").database_url() == (
        "postgresql://db/x"
    )
    assert Settings(data_dir=tmp_path).deployments_dir() == tmp_path / "deployments"


def test_a_batch_size_outside_one_to_two_hundred_is_refused() -> None:
    from pydantic import ValidationError

    for size in (0, 201):
        with pytest.raises(ValidationError):
            Settings(batch_max_size=size)
