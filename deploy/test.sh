#!/usr/bin/env bash
# Runs the whole test suite: installs the packages, builds (preset release)
# and runs every test with ctest, then each libFuzzer target for a short
# while (FUZZ_SECONDS, 10 s each). The tests start their own redis-server,
# Sentinel, bot, wechat-sim and chromium processes on free loopback ports.
# A failed test or a fuzzer's finding fails the script. This is what CI runs.
#   deploy/test.sh            the suite in the regular build, and the fuzzers
#   deploy/test.sh --no-fuzz  the suite only
#   deploy/test.sh --asan     and the suite again in the ASan+UBSan build
# The sanitizer run takes about half an hour more on two cores, over CI's
# budget: it is run by hand before a change lands (README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

asan=0 fuzz=1
for arg in "$@"; do
  case $arg in
    --asan) asan=1 ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "test.sh: unknown option $arg (have --asan, --no-fuzz)" >&2; exit 2 ;;
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
  FUZZ_SECONDS=${FUZZ_SECONDS:-10} tests/fuzz/run.sh
fi
if [ $asan = 1 ]; then run_suite asan; fi
echo "=== done in $((SECONDS - started)) s ==="
