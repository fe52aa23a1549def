#!/usr/bin/env bash
# The README's run command: set up (idempotent), then run the demo on the embedded chain.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh
exec brownie run scripts/demo.py --network anvil
