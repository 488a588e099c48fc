#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz", in build-fuzz/) and runs each
# for a while from its seeds. A crash, a leak, undefined behaviour, an input
# that takes over 10 s or over 2 GB fails the run (exit 1).
#   tests/fuzz/run.sh                            every target, 20 s each
#   FUZZ_SECONDS=600 tests/fuzz/run.sh engine    one target, 10 minutes
# What a run finds lands in build-fuzz/findings/TARGET/ (crash-*, leak-*,
# timeout-*, oom-*, and the run's log); what it learns, in
# build-fuzz/corpus/TARGET/, which the next run starts from.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${FUZZ_SECONDS:-20}
all=(xml_message json_push cipher dates engine script_loader query_params config)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${all[@]}"); fi

cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j"$(nproc)"

failed=()
for target in "${targets[@]}"; do
  binary=build-fuzz/fuzz/fuzz_$target
  if [ ! -x "$binary" ]; then
    echo "run.sh: no target '$target' (have: ${all[*]})" >&2
    exit 2
  fi
  corpus=build-fuzz/corpus/$target
  findings=build-fuzz/findings/$target
  mkdir -p "$corpus" "$findings"
  # New inputs go to the first directory; the seeds are only read.
  seeds=("tests/fuzz/corpus/$target")
  if [ "$target" = script_loader ]; then seeds+=(dialogs/scripts); fi
  echo "=== fuzz_$target for ${seconds}s"
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$findings/" "$corpus" "${seeds[@]}" > "$findings/log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+DONE' "$findings/log" || true
  else
    failed+=("$target")
    tail -n 60 "$findings/log"
    echo "=== fuzz_$target FAILED: reproduce with $binary $findings/<the crash-, leak- or timeout- file>"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found"
