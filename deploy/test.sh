#!/usr/bin/env bash
# Runs the whole test suite: installs the packages, builds (preset release)
# and runs every test with ctest. The tests start their own redis-server,
# Sentinel, bot, wechat-sim and chromium processes on free loopback ports.
# A failed test fails the script. This is what CI runs.
#   deploy/test.sh           the suite, in the regular build
#   deploy/test.sh --asan    and again in the ASan+UBSan build (preset asan)
#   deploy/test.sh --fuzz    and every fuzz target for FUZZ_SECONDS (15) each
#   deploy/test.sh --all     all three
# The sanitizer run and the fuzzers take about half an hour more on two
# cores, over CI's budget: run them before a change lands (README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

asan=0 fuzz=0
for arg in "$@"; do
  case $arg in
    --asan) asan=1 ;;
    --fuzz) fuzz=1 ;;
    --all) asan=1 fuzz=1 ;;
    *) echo "test.sh: unknown option $arg (have --asan, --fuzz, --all)" >&2; exit 2 ;;
  esac
done

if [ $fuzz = 1 ]; then deploy/setup.sh --fuzz; else deploy/setup.sh; fi
jobs=$(nproc)
started=$SECONDS

run_suite() {
  local preset=$1
  echo "=== $preset build ($((SECONDS - started)) s in) ==="
  cmake --preset "$preset" > /dev/null
  cmake --build --preset "$preset" -j"$jobs"
  echo "=== $preset tests ($((SECONDS - started)) s in) ==="
  ctest --preset "$preset" -j"$jobs"
}

run_suite release
if [ $fuzz = 1 ]; then
  echo "=== fuzz ($((SECONDS - started)) s in) ==="
  FUZZ_SECONDS=${FUZZ_SECONDS:-15} tests/fuzz/run.sh
fi
if [ $asan = 1 ]; then run_suite asan; fi
echo "=== done in $((SECONDS - started)) s ==="
