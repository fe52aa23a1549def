#!/usr/bin/env bash
# The benchmarks (benchmarks/): `scripts/bench.sh --quick` is what CI runs; without it, full sizes.
# Results: benchmarks/results/latest.json and latest.md (the README's table); see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
. scripts/env.sh
exec .venv/bin/python -m benchmarks "$@"
