"""The fault suite: bounded, loopback only. Quick sizes by default (CI); TONGDUI_SUITE=full
for the issue's sizes (20 kills, …)."""

import os

FULL = os.environ.get("TONGDUI_SUITE") == "full"
