"""Tongdui (积分通兑): loyalty-points swaps on a consortium EVM chain.

The source lives in ``backend/`` and is imported as ``tongdui`` (see pyproject.toml).
"""

import os
from importlib.util import find_spec

__version__ = "0.1.0"

# keccak256 (every EIP-712 digest, signature recovery and checksum) through safe-pysha3 rather
# than pycryptodome: pycryptodome makes three foreign calls per hash, each releasing the GIL,
# and under load each release costs a wait to get it back; the relay benchmark measured ~+30%
# orders/s. eth-hash chooses its backend at the first hash, so setting it here is in time.
if "ETH_HASH_BACKEND" not in os.environ and find_spec("sha3") is not None:
    os.environ["ETH_HASH_BACKEND"] = "pysha3"
