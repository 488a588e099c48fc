#!/usr/bin/env bash
# Throughput of the full webhook path (HTTP, signature check, XML, the
# commit's Lua function on Redis, reply XML) against a bare Beast server on the same
# machine, as a ratio measured in one run. See bench/README.md.
#
#   bench/run.sh                 # 3 rounds of 10 s per side
#   ROUNDS=5 DURATION=20s bench/run.sh
#   FLOORS=1 bench/run.sh        # also bench-floor-server: reference + a
#                                # Redis GET, reference + the bot's commit,
#                                # reference + a native XADD commit
#   PACED=0 MEMORY=0 bench/run.sh  # skip the fixed-rate run, the memory run
#
# After the rounds: both servers at a fixed rate of half the bot's median
# requests/s (PACED), and the memory Redis keeps for 100,000 messages from
# 2,000 students (MEMORY). Each target of bench/README.md gets a verdict.
#
# Exits non-zero if any response (warm-up included) was not a 200 or a
# connection failed. wrk, both servers and Redis share the machine's cores;
# that is the point: both sides get the same leftovers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
# The reference runs with as many I/O threads as the bot's config gives it,
# so the two are compared like for like.
BOT_THREADS=$(sed -n 's/.*"threads": *\([0-9]*\).*/\1/p' "$ROOT/config/permit-bot.json")
SERVER_THREADS=${SERVER_THREADS:-${BOT_THREADS:-2}}
TOKEN=${BENCH_TOKEN:-permitbotdev}     # config/permit-bot.json's WeChat token
LUA=$ROOT/bench/wechat.lua

for tool in wrk redis-server redis-cli curl cmake sha1sum; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 2; }
done

# ---- build ----------------------------------------------------------------
# Always Release; cmake --build is a no-op when nothing changed.
SCRIPT=run
source "$ROOT/bench/lib.sh"
FLOORS=${FLOORS:-0}
if ((FLOORS)); then
  build_release permit-bot bench-ref-server bench-floor-server
else
  build_release permit-bot bench-ref-server
fi

# ---- processes ---------------------------------------------------------------
start_redis
start_server ref "$BUILD_DIR/bench-ref-server" --listen 127.0.0.1:0 --threads "$SERVER_THREADS"
REF_PORT=$LAST_PORT REF_PID=$LAST_PID
start_server bot "$BUILD_DIR/permit-bot" --config "$ROOT/config/permit-bot.json" \
  --listen 127.0.0.1:0 --redis "redis://127.0.0.1:$REDIS_PORT"
BOT_PORT=$LAST_PORT BOT_PID=$LAST_PID
if ((FLOORS)); then
  for mode in get commit xadd; do
    start_server "floor-$mode" "$BUILD_DIR/bench-floor-server" --listen 127.0.0.1:0 --threads "$SERVER_THREADS" \
      --redis "redis://127.0.0.1:$REDIS_PORT/1" --floor "$mode"  # database 1: apart from the bot's keys
    declare "FLOOR_${mode^^}_PORT=$LAST_PORT" "FLOOR_${mode^^}_PID=$LAST_PID"
  done
fi
# Wait until the bot's Redis connection is up, so no request is refused.
for i in $(seq 101); do
  curl -fs -o /dev/null "http://127.0.0.1:$BOT_PORT/readyz" && break
  ((i <= 100)) || echo "run.sh: the bot is not ready after 10 s; going on" >&2
  sleep 0.1
done

# ---- measuring ------------------------------------------------------------
SALT=0
FAILED=0

# percent PART WHOLE: 100 * PART / WHOLE.
percent() { awk -v b="$1" -v r="$2" 'BEGIN { print 100 * b / r }'; }

# Redis's own figure for the microseconds each commit (an FCALL; an
# EVALSHA before 2026-12-06) took to execute since the last CONFIG
# RESETSTAT (0 if there was none).
commit_us() {
  redis-cli -p "$REDIS_PORT" info commandstats |
    sed -n 's/^cmdstat_fcall:.*usec_per_call=\([0-9.]*\).*/\1/p' | grep . || echo 0
}

# Commits (FCALLs) per read of Redis's socket since the last CONFIG
# RESETSTAT: how many commits the bot's client gets into one write (INFO
# commandstats and INFO stats).
commits_per_read() {
  local calls reads
  calls=$(redis-cli -p "$REDIS_PORT" info commandstats | sed -n 's/^cmdstat_fcall:calls=\([0-9]*\),.*/\1/p')
  reads=$(redis-cli -p "$REDIS_PORT" info stats | tr -d '\r' | sed -n 's/^total_reads_processed://p')
  awk -v c="${calls:-0}" -v r="${reads:-0}" 'BEGIN { printf "%.1f", r ? c / r : 0 }'
}

# CPU time (user + system) a process has used so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

# Runs wrk once against PORT for DURATION; sets RPS, P99 (ms) and CPU (the
# microseconds of CPU each PID spent per request, space-separated). Not run
# in a subshell: FAILED and SALT must survive it.
# The signature is made afresh each time: the bot rejects a timestamp more
# than 300 s old, and a long run could outlive one.
run_wrk() {
  local name=$1 port=$2 duration=$3 pids=("${@:4}")
  local ts nonce signature out pid before=()
  for pid in "${pids[@]}"; do before+=("$(cpu_ticks "$pid")"); done
  ts=$(date +%s)
  nonce=$((RANDOM * 32768 + RANDOM))
  signature=$(printf '%s\n' "$TOKEN" "$ts" "$nonce" | LC_ALL=C sort | tr -d '\n' | sha1sum | cut -d' ' -f1)
  SALT=$((SALT + 1))
  # In the background, so a SIGTERM is handled now rather than when wrk ends.
  BENCH_QUERY="signature=$signature&timestamp=$ts&nonce=$nonce" BENCH_SALT=$SALT BENCH_CONNECTIONS=$CONNECTIONS \
    wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$duration" --latency -s "$LUA" "http://127.0.0.1:$port" \
    >"$WORK/wrk.out" 2>"$WORK/wrk.err" &
  WRK_PID=$!
  if ! wait "$WRK_PID"; then
    echo "run.sh: $name: wrk failed" >&2
    FAILED=1
  fi
  WRK_PID=
  out=$(<"$WORK/wrk.out")
  echo "$out" >>"$WORK/wrk-$name.log"
  local requests i
  requests=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<<"$out")
  CPU=
  for i in "${!pids[@]}"; do
    CPU+=$(awk -v d=$(($(cpu_ticks "${pids[$i]}") - before[i])) -v n="${requests:-0}" -v t="$TICKS_PER_SECOND" \
      'BEGIN { printf "%.1f ", n ? d / t * 1e6 / n : 0 }')
  done
  local bad errors
  bad=$(sed -n 's/^non-200 responses: //p' <<<"$out")
  errors=$(sed -n 's/^socket errors: //p' <<<"$out")
  if [[ ${bad:-x} != 0 || ${errors:-x} != 0 ]]; then
    echo "run.sh: $name: ${bad:-?} non-200 responses, ${errors:-?} socket errors" >&2
    cat "$WORK/wrk.err" >&2
    FAILED=1
  fi
  # wrk prints latencies as 812.00us, 3.16ms or 1.02s.
  read -r RPS P99 < <(awk '/^Requests\/sec:/ { rps = $2 }
       $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                     p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
       END { printf "%.0f %.2f\n", rps, p99 }' <<<"$out")
}


echo "permit-bot bench, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$(nproc) cores; $CONNECTIONS connections, $WRK_THREADS wrk threads, reference $SERVER_THREADS / bot $BOT_THREADS I/O threads;" \
  "$ROUNDS rounds of $DURATION per side (warm-up $WARMUP)"
echo "redis: appendonly yes, appendfsync everysec, port $REDIS_PORT; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# ref_cpu, bot_cpu and redis_cpu are CPU microseconds per request of the
# reference server, the bot and Redis: on a machine whose cores are all busy
# they say where the requests/s went, and they move less than requests/s when
# something else runs on the machine. fcall is Redis's own count of the
# microseconds it spent executing each FCALL in the bot's round (INFO
# commandstats, reset before the round): the commit's cost inside Redis,
# without its network I/O.
printf '%-6s %10s %9s %10s %9s %7s %9s %9s %9s %9s\n' round ref_rps ref_p99 bot_rps bot_p99 ratio \
  ref_cpu bot_cpu redis_cpu fcall
REF_RPS=() REF_P99=() BOT_RPS=() BOT_P99=() REF_CPU=() BOT_CPU=() REDIS_CPU=() COMMIT_US=()
GET_RPS=() GET_P99=() COMMIT_RPS=() COMMIT_P99=() COMMIT_CPU=() COMMIT_REDIS_CPU=() COMMIT_EXEC=()
XADD_RPS=() XADD_P99=() XADD_REDIS_CPU=()
for round in $(seq "$ROUNDS"); do
  run_wrk ref-warmup "$REF_PORT" "$WARMUP"
  run_wrk ref "$REF_PORT" "$DURATION" "$REF_PID"
  REF_RPS+=("$RPS") REF_P99+=("$P99") REF_CPU+=("${CPU% }")
  run_wrk bot-warmup "$BOT_PORT" "$WARMUP"
  redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
  run_wrk bot "$BOT_PORT" "$DURATION" "$BOT_PID" "$REDIS_PID"
  BOT_RPS+=("$RPS") BOT_P99+=("$P99")
  read -r bot_cpu redis_cpu <<<"$CPU"
  BOT_CPU+=("$bot_cpu") REDIS_CPU+=("$redis_cpu") COMMIT_US+=("$(commit_us)")
  PER_READ=$(commits_per_read)
  printf '%-6s %10s %7sms %10s %7sms %6.1f%% %7sus %7sus %7sus %7sus\n' "$round" "${REF_RPS[-1]}" "${REF_P99[-1]}" \
    "${BOT_RPS[-1]}" "${BOT_P99[-1]}" "$(percent "${BOT_RPS[-1]}" "${REF_RPS[-1]}")" \
    "${REF_CPU[-1]}" "$bot_cpu" "$redis_cpu" "${COMMIT_US[-1]}"
  echo "       (Redis read $PER_READ of the bot's FCALLs per read of its socket)"
  if ((FLOORS)); then
    run_wrk get-warmup "$FLOOR_GET_PORT" "$WARMUP"
    run_wrk get "$FLOOR_GET_PORT" "$DURATION" "$FLOOR_GET_PID" "$REDIS_PID"
    GET_RPS+=("$RPS") GET_P99+=("$P99")
    run_wrk commit-warmup "$FLOOR_COMMIT_PORT" "$WARMUP"
    redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
    run_wrk commit "$FLOOR_COMMIT_PORT" "$DURATION" "$FLOOR_COMMIT_PID" "$REDIS_PID"
    COMMIT_RPS+=("$RPS") COMMIT_P99+=("$P99")
    read -r floor_cpu floor_redis_cpu <<<"$CPU"
    COMMIT_CPU+=("$floor_cpu") COMMIT_REDIS_CPU+=("$floor_redis_cpu") COMMIT_EXEC+=("$(commit_us)")
    printf '%-6s floor+GET %8s %7sms %6.1f%%   floor+commit %8s %7sms %6.1f%% %7sus %7sus %7sus\n' "" \
      "${GET_RPS[-1]}" "${GET_P99[-1]}" "$(percent "${GET_RPS[-1]}" "${REF_RPS[-1]}")" \
      "${COMMIT_RPS[-1]}" "${COMMIT_P99[-1]}" \
      "$(percent "${COMMIT_RPS[-1]}" "${REF_RPS[-1]}")" "$floor_cpu" \
      "$floor_redis_cpu" "${COMMIT_EXEC[-1]}"
    run_wrk xadd-warmup "$FLOOR_XADD_PORT" "$WARMUP"
    run_wrk xadd "$FLOOR_XADD_PORT" "$DURATION" "$FLOOR_XADD_PID" "$REDIS_PID"
    XADD_RPS+=("$RPS") XADD_P99+=("$P99")
    read -r floor_cpu floor_redis_cpu <<<"$CPU"
    XADD_REDIS_CPU+=("$floor_redis_cpu")
    printf '%-6s floor+xadd %7s %7sms %6.1f%% %7sus %7sus\n' "" "${XADD_RPS[-1]}" "${XADD_P99[-1]}" \
      "$(percent "${XADD_RPS[-1]}" "${REF_RPS[-1]}")" "$floor_cpu" "$floor_redis_cpu"
  fi
done
ref_rps=$(printf '%s\n' "${REF_RPS[@]}" | median %.0f)
ref_p99=$(printf '%s\n' "${REF_P99[@]}" | median %.2f)
bot_rps=$(printf '%s\n' "${BOT_RPS[@]}" | median %.0f)
bot_p99=$(printf '%s\n' "${BOT_P99[@]}" | median %.2f)
ref_cpu=$(printf '%s\n' "${REF_CPU[@]}" | median %.1f)
bot_cpu=$(printf '%s\n' "${BOT_CPU[@]}" | median %.1f)
redis_cpu=$(printf '%s\n' "${REDIS_CPU[@]}" | median %.1f)
commit_exec=$(printf '%s\n' "${COMMIT_US[@]}" | median %.2f)
ratio=$(printf '%.1f' "$(percent "$bot_rps" "$ref_rps")")
printf '%-6s %10s %7sms %10s %7sms %6s%% %7sus %7sus %7sus %7sus\n' median "$ref_rps" "$ref_p99" "$bot_rps" "$bot_p99" \
  "$ratio" "$ref_cpu" "$bot_cpu" "$redis_cpu" "$commit_exec"
if ((FLOORS)); then
  get_rps=$(printf '%s\n' "${GET_RPS[@]}" | median %.0f)
  commit_rps=$(printf '%s\n' "${COMMIT_RPS[@]}" | median %.0f)
  printf '%-6s floor+GET %8s %7sms %5.1f%%   floor+commit %8s %7sms %5.1f%% %7sus %7sus %7sus\n' median "$get_rps" \
    "$(printf '%s\n' "${GET_P99[@]}" | median %.2f)" "$(percent "$get_rps" "$ref_rps")" \
    "$commit_rps" "$(printf '%s\n' "${COMMIT_P99[@]}" | median %.2f)" \
    "$(percent "$commit_rps" "$ref_rps")" \
    "$(printf '%s\n' "${COMMIT_CPU[@]}" | median %.1f)" "$(printf '%s\n' "${COMMIT_REDIS_CPU[@]}" | median %.1f)" \
    "$(printf '%s\n' "${COMMIT_EXEC[@]}" | median %.2f)"
  xadd_rps=$(printf '%s\n' "${XADD_RPS[@]}" | median %.0f)
  printf '%-6s floor+xadd %7s %7sms %6.1f%%           Redis %7sus\n' median "$xadd_rps" \
    "$(printf '%s\n' "${XADD_P99[@]}" | median %.2f)" "$(percent "$xadd_rps" "$ref_rps")" \
    "$(printf '%s\n' "${XADD_REDIS_CPU[@]}" | median %.1f)"
  echo "(floor+GET, floor+commit, floor+xadd: bench-floor-server, the reference plus one Redis GET, the bot's commit"
  echo " script or a native XADD commit per request; ratios to the reference; the last columns are the floor's and"
  echo " Redis's CPU per request and Redis's execution time per FCALL)"
fi
echo
# verdict CONDITION: met / NOT met; a run with failed requests proves nothing.
verdict() { if ((FAILED)); then echo "not judged, requests failed"; else awk "BEGIN { print ($1) ? \"met\" : \"NOT met\" }"; fi; }

# ---- at a fixed rate: half the bot's own maximum ---------------------------
PACED=${PACED:-1}
if ((PACED)); then
  rate=$((bot_rps / 2))
  PACED_REF=() PACED_BOT=() PACED_REF_RPS=() PACED_BOT_RPS=()
  for round in $(seq "$ROUNDS"); do
    export BENCH_RATE=$rate
    run_wrk ref-paced-warmup "$REF_PORT" "$WARMUP"
    run_wrk ref-paced "$REF_PORT" "$DURATION" "$REF_PID"
    PACED_REF+=("$P99") PACED_REF_RPS+=("$RPS")
    run_wrk bot-paced-warmup "$BOT_PORT" "$WARMUP"
    run_wrk bot-paced "$BOT_PORT" "$DURATION" "$BOT_PID"
    PACED_BOT+=("$P99") PACED_BOT_RPS+=("$RPS")
    unset BENCH_RATE
    printf 'paced %s: %s requests/s asked; reference %s/s p99 %s ms, bot %s/s p99 %s ms\n' "$round" "$rate" \
      "${PACED_REF_RPS[-1]}" "${PACED_REF[-1]}" "${PACED_BOT_RPS[-1]}" "${PACED_BOT[-1]}"
  done
  paced_bot_p99=$(printf '%s\n' "${PACED_BOT[@]}" | median %.2f)
  paced_ref_p99=$(printf '%s\n' "${PACED_REF[@]}" | median %.2f)
fi

# ---- Redis memory: 100,000 messages from 2,000 students --------------------
# Students of their own ("mem0".."mem1999"), apart from the rounds' ones.
MEMORY=${MEMORY:-1}
if ((MEMORY)); then
  per_thread=$((100000 / WRK_THREADS))
  # Long enough to commit them all at the measured rate, with room; then
  # the threads repeat their last message (retries, answered as stored).
  seconds=$((100000 / (bot_rps > 0 ? bot_rps : 1) * 2 + 10))
  BENCH_PREFIX=mem BENCH_USERS=2000 BENCH_MESSAGES=$per_thread run_wrk bot-memory "$BOT_PORT" "${seconds}s" "$BOT_PID"
  redis-cli -p "$REDIS_PORT" --scan --pattern '{u:mem*' >"$WORK/memory-keys"
  keys=$(wc -l <"$WORK/memory-keys")
  committed=$(grep ':conv$' "$WORK/memory-keys" | sed 's/^/hget /; s/$/ v/' | redis-cli -p "$REDIS_PORT" |
    awk '{ s += $1 } END { print s + 0 }')
  bytes=$(sed 's/^/memory usage /; s/$/ samples 0/' "$WORK/memory-keys" | redis-cli -p "$REDIS_PORT" | awk '{ s += $1 } END { print s + 0 }')
  mem_per_student=$((bytes / 2000))
  # (wrk builds one request on its first thread's script to check it before
  # the run, and never sends it: that thread's first message, to student
  # mem1919, is the one not committed. Found 2026-12-07 by comparing each
  # student's version with the messages bench/wechat.lua addresses to it:
  # every student had its 50 but mem1919, 49.)
  echo "memory: 100000 messages built, 99999 sent (wrk builds one only to check the script), $committed committed (the students' versions summed); their keys:"
  sed -E 's/\{u:[^}]*\}/{u:*}/' "$WORK/memory-keys" | sort | uniq -c | sed 's/^/  /'
  echo "memory: $bytes bytes in those keys (MEMORY USAGE), $mem_per_student bytes per student"
fi

echo "bot/ref requests/s (medians): $ratio%   (target >= 50%: $(verdict "$ratio >= 50"))"
echo "Redis CPU per message:        $redis_cpu us (target <= 10 us: $(verdict "$redis_cpu <= 10"))"
echo "bot CPU / reference CPU:      $(awk -v b="$bot_cpu" -v r="$ref_cpu" 'BEGIN { printf "%.2f", b / r }')x" \
  "(target <= 2x: $(verdict "$bot_cpu <= 2 * $ref_cpu"))"
echo "p99 at saturation:            bot $bot_p99 ms, reference $ref_p99 ms" \
  "(target <= 2x the reference's: $(verdict "$bot_p99 <= 2 * $ref_p99"))"
if ((PACED)); then
  echo "p99 at $rate requests/s:      bot $paced_bot_p99 ms, reference $paced_ref_p99 ms" \
    "(target <= 5 ms: $(verdict "$paced_bot_p99 <= 5"))"
fi
if ((MEMORY)); then
  echo "Redis memory, 2,000 students: $mem_per_student bytes per student, $keys keys" \
    "(target: state only, one key per student: $(verdict "$keys == 2000"))"
fi

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews requests/s)"

if ((FAILED)); then
  echo "run.sh: FAILED: some responses were not 200 (see above)" >&2
  exit 1
fi
