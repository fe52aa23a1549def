"""The platform's constants on the Python side, mirroring ``contracts/libraries/Constants.sol``.

One module so that the indexer, the audit, the query layer and the relayer cannot drift apart
from each other or from the contracts: ``tests/backend/test_constants.py`` pins every value
here to the Solidity source (``Constants.sol`` and the ``IMerchantRegistry.Status`` enum).
Durations are in seconds, as Solidity's ``minutes`` / ``hours`` / ``days`` units are.
"""

from __future__ import annotations

from typing import Final

from eth_utils import keccak

# ─── Constants.sol ───────────────────────────────────────────────────────────────────────────
BPS: Final = 10_000  # basis points in one whole (100%)
MAX_FEE_BPS: Final = 1_000  # the highest swap fee governance may set: 10%
MAX_VALUE_STEP_BPS: Final = 10_000  # the largest point-value step governance may allow
MIN_VALUE_INTERVAL: Final = 10 * 60  # the shortest interval between point-value changes
VALUE_REFERENCE_PERIOD: Final = 24 * 3600  # how long a point value's daily reference holds

# genesis defaults (governance changes them by vote)
DEFAULT_MAX_VALUE_STEP_BPS: Final = 2_000
DEFAULT_MIN_VALUE_INTERVAL: Final = 3600
DEFAULT_MAX_DAILY_STEP_BPS: Final = 5_000
DEFAULT_MAX_VALUE_PER_WINDOW: Final = 10_000_000  # settlement units (fen)
DEFAULT_LIMIT_WINDOW: Final = 24 * 3600
DEFAULT_MIN_ORDER_VALUE: Final = 100  # settlement units (fen)

# ─── constants of single contracts ──────────────────────────────────────────────────────────
DEFAULT_VOTING_PERIOD: Final = 7 * 24 * 3600  # ConsortiumGovernance.DEFAULT_VOTING_PERIOD
ISSUER_ROLE: Final = "0x" + keccak(text="ISSUER_ROLE").hex()  # PointsToken.ISSUER_ROLE

# ─── the EVM and the interfaces ──────────────────────────────────────────────────────────────
# address(0): mints come from it, burns go to it, and a swap without a relayer names it; lower
# case, as logs and eth_abi give addresses.
ZERO_ADDRESS: Final = "0x" + "00" * 20

# IMerchantRegistry.Status, by its uint8 value (``None`` is a merchant that was never admitted)
MERCHANT_STATUS: Final[dict[int, str]] = {0: "none", 1: "active", 2: "suspended"}
