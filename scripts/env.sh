# Source me (". scripts/env.sh"): the tool paths every Tongdui script and shell needs.
# Why: brownie launches `anvil` by name and finds solc through SOLCX_BINARY_PATH, so both must
# point at the pinned copies from npm rather than whatever the machine has (or a download).
# Two venvs: .venv (the tongdui package, pytest, ruff, mypy) comes first on PATH; .venv-brownie
# (eth-brownie and slither, whose exact pins the backend cannot share) after it, so `brownie`
# resolves there while `python`, `pytest` and `tongdui` are the application's. Contract tests
# run as `$TONGDUI_BROWNIE_VENV/bin/pytest tests/contracts` (scripts/test.sh does).
# tools/solc-bin comes first so a bare `solc` is never the downloading shim of solc-select.
TONGDUI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TONGDUI_ROOT
export TONGDUI_BROWNIE_VENV="$TONGDUI_ROOT/.venv-brownie"
export PATH="$TONGDUI_ROOT/tools/solc-bin:$TONGDUI_ROOT/.venv/bin:$TONGDUI_BROWNIE_VENV/bin:$TONGDUI_ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin:$PATH"
export SOLCX_BINARY_PATH="$TONGDUI_ROOT/tools/solc-bin"
# The solc-js wrapper for tools that take a compiler path (slither's --solc).
export TONGDUI_SOLC="$TONGDUI_ROOT/tools/solc-bin/solc-v0.8.28"
