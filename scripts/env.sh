# Source me (". scripts/env.sh"): the tool paths every Tongdui script and shell needs.
# Why: brownie launches `anvil` by name and finds solc through SOLCX_BINARY_PATH, so both must
# point at the pinned copies from npm rather than whatever the machine has (or a download).
# tools/solc-bin comes first so a bare `solc` is never the downloading shim of solc-select.
TONGDUI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TONGDUI_ROOT
export PATH="$TONGDUI_ROOT/tools/solc-bin:$TONGDUI_ROOT/.venv/bin:$TONGDUI_ROOT/node_modules/@foundry-rs/anvil-linux-amd64/bin:$PATH"
export SOLCX_BINARY_PATH="$TONGDUI_ROOT/tools/solc-bin"
# The solc-js wrapper for tools that take a compiler path (slither's --solc).
export TONGDUI_SOLC="$TONGDUI_ROOT/tools/solc-bin/solc-v0.8.28"
