#!/usr/bin/env bash
# Everything CI checks, in one place (.ci/run execs this). Runs every step even after a failure,
# so one red step does not hide another, and exits non-zero if any failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh

failed=()
step() {
  local name="$1" started=$SECONDS
  shift
  echo "=== $name: $*"
  "$@" || failed+=("$name")
  echo "--- $name took $((SECONDS - started)) s (run at $SECONDS s)"
}

# pytest exits 5 when it collected nothing: a suite that silently ran no test is a failure.
run_pytest() {
  local rc=0
  "$@" || rc=$?
  if [[ $rc -eq 5 ]]; then
    echo "ERROR: pytest collected no tests (exit 5); the suite must not be empty" >&2
  fi
  return "$rc"
}

step ruff ruff check .
step ruff-format ruff format --check .
step mypy mypy
# The web pages' JSDoc against the API's answers (backend/web/static/api-types.js, generated
# from the OpenAPI document; test_web_api_types.py keeps it current). Type-checks, emits nothing.
step tsc node_modules/.bin/tsc -p tsconfig.json
# The pages' lint (biome.json) and the contracts' Solidity formatting (.prettierrc.json; the
# write mode, scripts/format_contracts.sh without --check, also re-exports artifacts and gas).
step biome node_modules/.bin/biome check
step solidity-format ./scripts/format_contracts.sh --check
# Unit tier: the pure functions, in seconds, with no chain, network or database server.
step unit run_pytest pytest tests/unit -q
step slither "$TONGDUI_BROWNIE_VENV/bin/python" scripts/slither.py
# Contract suite: brownie's pytest plugin compiles contracts/ and launches anvil itself.
step contracts run_pytest "$TONGDUI_BROWNIE_VENV/bin/pytest" tests/contracts "$@"
# Backend suite: real anvil chains, real HTTP servers, PostgreSQL and Chromium from Debian.
# PostgreSQL of this run's own, on a free port in a temp folder and stopped at the end, so that
# two runs on one machine never share a server (tests/postgres_server.py says why).
TONGDUI_PG_PORT="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
TONGDUI_PG_DIR="$(mktemp -d -t tongdui-test-pg-XXXXXX)"
export TONGDUI_PG_PORT TONGDUI_PG_DIR
trap './scripts/postgres.sh --stop || true; rm -rf "$TONGDUI_PG_DIR"' EXIT
TONGDUI_TEST_PG_URL="$(./scripts/postgres.sh | tail -n1)"
export TONGDUI_TEST_PG_URL
step browser-setup ./scripts/browser.sh
# Network suite: the platform on a real geth Clique network (4 sealers; geth built by setup).
# It waits on one-second Clique blocks far more than it computes, so it runs beside the backend
# suite (about 6 min of the run saved on 2 cores); its output is printed after the backend's.
network_log="$(mktemp -t tongdui-network-XXXXXX.log)"
(
  rc=0
  run_pytest pytest tests/network -q >"$network_log" 2>&1 || rc=$?
  echo "$rc" >"$network_log.rc"
) &
network_pid=$!
# --durations: the slowest tests, so a suite growing past its budget says where
step backend run_pytest pytest tests/backend --durations=20 "$@"
wait "$network_pid" || true
echo "=== network: pytest tests/network -q (ran beside the backend suite; at $SECONDS s)"
cat "$network_log"
[[ "$(cat "$network_log.rc" 2>/dev/null)" == 0 ]] || failed+=("network")
rm -f "$network_log" "$network_log.rc"
# Quick modes of the fault and bad-input suites and of the benchmarks (full: README).
step faults run_pytest pytest tests/fault tests/badinput -q
step benchmarks ./scripts/bench.sh --quick

if ((${#failed[@]})); then
  echo "FAILED steps: ${failed[*]}" >&2
  exit 1
fi
echo "all checks passed"
