"""The bad-input suite runs on the shared fixtures of tests/conftest.py (a seeded anvil, fresh
databases).

Sizes: quick by default (what CI runs); ``TONGDUI_SUITE=full`` for the issue's full sizes.
"""

import os

FULL = os.environ.get("TONGDUI_SUITE") == "full"
