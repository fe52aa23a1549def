"""Tongdui (积分通兑): loyalty-points swaps on a consortium EVM chain.

The source lives in ``backend/`` and is imported as ``tongdui`` (see pyproject.toml).
"""

__version__ = "0.1.0"
