#!/usr/bin/env bash
# Instructions per request, counted by callgrind: the bot, the bare
# reference server and Redis, under the same wrk load as bench/run.sh. On
# this noisy machine timings move by tens of percent between runs; these
# counts move by about one. See bench/README.md ("Where the bot's time goes").
#
#   bench/profile.sh                  # 8 connections, 20 s per server
#   DURATION=30s bench/profile.sh
#   KEEP=1 bench/profile.sh           # keep the callgrind files (printed)
#
# Each server runs under valgrind --tool=callgrind with instrumentation off;
# it is switched on (callgrind_control -i on) for the measured wrk run only,
# after a warm-up, so start-up and script loading are not counted. Redis
# runs under callgrind too, during the bot's run. Prints the totals per
# request and the 25 functions with the most instructions (inclusive) of
# the bot.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-8}
TOKEN=${BENCH_TOKEN:-permitbotdev}
for tool in wrk redis-server redis-cli curl valgrind callgrind_control callgrind_annotate sha1sum; do
  command -v "$tool" >/dev/null || { echo "profile.sh: $tool is not installed" >&2; exit 2; }
done
SCRIPT=profile
source "$ROOT/bench/lib.sh"
build_release permit-bot bench-ref-server
CG="valgrind --tool=callgrind --instr-atstart=no --dump-instr=no"

# The Redis of the bot runs under callgrind, started by hand (lib.sh's
# start_redis runs it bare).
REDIS_PORT=$((20000 + RANDOM % 40000))
$CG --callgrind-out-file="$WORK/redis.cg" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$WORK" \
  --appendonly yes --appendfsync everysec --save '' >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
until redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; do
  kill -0 "$REDIS_PID" 2>/dev/null || { cat "$WORK/redis.log" >&2; exit 1; }
  sleep 0.2
done

# load PORT DURATION: wrk as bench/run.sh runs it; prints the request count.
SALT=0
load() {
  local ts nonce signature
  ts=$(date +%s)
  nonce=$((RANDOM * 32768 + RANDOM))
  signature=$(printf '%s\n' "$TOKEN" "$ts" "$nonce" | LC_ALL=C sort | tr -d '\n' | sha1sum | cut -d' ' -f1)
  SALT=$((SALT + 1))
  BENCH_QUERY="signature=$signature&timestamp=$ts&nonce=$nonce" BENCH_SALT=$SALT \
    wrk -t2 -c"$CONNECTIONS" -d"$2" -s "$ROOT/bench/wechat.lua" "http://127.0.0.1:$1" >"$WORK/wrk.out" 2>&1
  grep -q "^non-200 responses: 0$" "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; exit 1; }
  sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$WORK/wrk.out"
}

# total FILE: the instruction count of a callgrind file.
total() { callgrind_annotate "$1" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d , | head -1; }

# measure NAME PORT PID [PID...]: instructions per request of each PID.
measure() {
  local name=$1 port=$2 pid requests
  shift 2
  load "$port" 3s >/dev/null  # warm-up: scripts cached, connections open
  for pid in "$@"; do callgrind_control -i on "$pid" >/dev/null; done
  requests=$(load "$port" "$DURATION")
  for pid in "$@"; do callgrind_control -i off "$pid" >/dev/null; callgrind_control -d "$pid" >/dev/null; done
  echo "$name: $requests requests"
  MEASURED=$requests
}

start_server ref $CG --callgrind-out-file="$WORK/ref.cg" "$BUILD_DIR/bench-ref-server" --listen 127.0.0.1:0 --threads 1
REF_PORT=$LAST_PORT REF_PID=$LAST_PID
start_server bot $CG --callgrind-out-file="$WORK/bot.cg" "$BUILD_DIR/permit-bot" --config "$ROOT/config/permit-bot.json" \
  --listen 127.0.0.1:0 --redis "redis://127.0.0.1:$REDIS_PORT"
BOT_PORT=$LAST_PORT BOT_PID=$LAST_PID
until curl -fs -o /dev/null "http://127.0.0.1:$BOT_PORT/readyz"; do sleep 0.2; done

echo "permit-bot profile, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC'); $CONNECTIONS connections, $DURATION"
measure ref "$REF_PORT" "$REF_PID"
REF_N=$MEASURED
measure bot "$BOT_PORT" "$BOT_PID" "$REDIS_PID"
BOT_N=$MEASURED
# The dumps are written as FILE.N (one per callgrind_control -d).
per_request() { awk -v t="$(total "$(ls "$WORK/$1".cg.* | tail -1)")" -v n="$2" 'BEGIN { printf "%.0f", t / n }'; }
REF_I=$(per_request ref "$REF_N")
BOT_I=$(per_request bot "$BOT_N")
REDIS_I=$(per_request redis "$BOT_N")
printf 'instructions per request: reference %s, bot %s (%.2f x the reference), redis %s\n' \
  "$REF_I" "$BOT_I" "$(awk -v a="$BOT_I" -v b="$REF_I" 'BEGIN { print a / b }')" "$REDIS_I"
echo "the bot's functions, inclusive:"
callgrind_annotate --inclusive=yes "$(ls "$WORK"/bot.cg.* | tail -1)" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n '3,27p' |
  awk -v n="$BOT_N" '{ c = $1; gsub(",", "", c); $1 = ""; printf "%10.0f %s\n", c / n, substr($0, 1, 160) }'
if [[ -n ${KEEP:-} ]]; then
  mkdir -p /tmp/permit-profile
  cp "$WORK"/*.cg.* /tmp/permit-profile/
  echo "callgrind files kept in /tmp/permit-profile"
fi
