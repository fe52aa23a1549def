"""The bad-input suite runs on the backend suite's fixtures (a seeded anvil, fresh databases).

Sizes: quick by default (what CI runs); ``TONGDUI_SUITE=full`` for the issue's full sizes.
"""

import os

from tests.backend.conftest import (  # noqa: F401  (fixtures)
    chain,
    clean_chain,
    pytest_configure,
    services,
    settings,
)

FULL = os.environ.get("TONGDUI_SUITE") == "full"
