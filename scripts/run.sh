#!/usr/bin/env bash
# The README's run command: set up (idempotent), then `tongdui up --demo` on the embedded chain
# (anvil started by tongdui itself, state kept in .tongdui/). Extra arguments go to `tongdui up`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh --app  # the contract suite's brownie venv is not needed to run
# shellcheck source=scripts/env.sh
. scripts/env.sh
exec tongdui up --demo "$@"
