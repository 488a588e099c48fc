#!/usr/bin/env bash
# Runs the whole test suite: installs the packages, builds, and runs every
# test with ctest, then every fuzz target for a short while (FUZZ_SECONDS,
# 15 s each: about two minutes), then every test again in the ASan+UBSan
# build. The tests start their own redis-server processes on free loopback
# ports. A failed test or a fuzzer's finding fails the script.
#   deploy/test.sh           all of it
#   deploy/test.sh --fast    the regular build only
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/setup.sh
jobs=$(nproc)

run_suite() {
  local preset=$1
  echo "=== $preset build ==="
  cmake --preset "$preset" > /dev/null
  cmake --build --preset "$preset" -j"$jobs"
  ctest --preset "$preset" -j"$jobs"
}

run_suite release
if [ "${1:-}" != "--fast" ]; then
  echo "=== fuzz ==="
  FUZZ_SECONDS=${FUZZ_SECONDS:-15} tests/fuzz/run.sh
  run_suite asan
fi
