"""The fault suite: bounded, loopback only. Quick sizes by default (CI); TONGDUI_SUITE=full
for the issue's sizes (20 kills, …)."""

import os

from tests.backend.conftest import (  # noqa: F401  (fixtures)
    chain,
    clean_chain,
    pytest_configure,
    services,
    settings,
)

FULL = os.environ.get("TONGDUI_SUITE") == "full"
