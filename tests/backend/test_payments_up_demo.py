"""`tongdui up --demo` starts the test payment provider beside the API, prints its URL, points
the API at it, and stops it with everything else on Ctrl-C."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from eth_account import Account

from tests.chains import free_port
from tongdui.chain.anvil import port_is_free
from tongdui.core.dev_keys import DEMO_PAYMENT_PROVIDER_KEY

from .test_cli_up import Up


@pytest.fixture
def up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Up, int]]:
    provider_port = free_port()
    monkeypatch.setenv("TONGDUI_PAYMENT_PROVIDER_PORT", str(provider_port))
    monkeypatch.delenv("TONGDUI_PAYMENT_PROVIDER_URL", raising=False)
    instance = Up(tmp_path / "data", free_port(), free_port())
    try:
        yield instance, provider_port
    finally:
        if instance.process is not None and instance.process.poll() is None:
            instance.process.kill()
            instance.process.wait()
    assert os.environ.get("TONGDUI_PAYMENT_PROVIDER_PORT") == str(provider_port)


def test_up_demo_starts_the_test_payment_provider_and_stops_it_on_ctrl_c(
    up: tuple[Up, int],
) -> None:
    instance, provider_port = up
    instance.start("--demo")
    url = f"http://127.0.0.1:{provider_port}"
    assert f"Payments  {url}" in instance.output()
    health = httpx.get(f"{url}/health", timeout=5).json()
    assert health["provider"] == Account.from_key(DEMO_PAYMENT_PROVIDER_KEY).address
    unknown = httpx.get(f"{instance.base}/payments/0x{'00' * 32}", timeout=5)
    assert unknown.status_code == 404 and unknown.json()["code"] == "PAYMENT_NOT_FOUND"
    assert instance.stop() == 0
    assert port_is_free(provider_port), "the payment provider outlived `tongdui up`"
