#!/usr/bin/env bash
# Staff broadcasts, two measurements (see bench/README.md):
#
#  (a) fan-out: POST /api/v1/broadcasts to an audience of 100,000 students
#      (seeded into Redis), timed until the answer (all queued), against the
#      floor: one Lua script in Redis that XADDs as many entries, with no
#      states to read (the same run, the same Redis).
#  (b) sending: a broadcast to 30,000 students outside the 48-hour window
#      (template messages) through `wechat-sim serve`, with
#      outbound_rate_per_second = 500: the rate the platform saw (median of
#      the whole seconds, busiest sliding second) as a ratio to the limit, and
#      the bot's RSS sampled every second.
#
#   bench/broadcast.sh
#   ROUNDS=5 FANOUT_STUDENTS=100000 SEND_STUDENTS=30000 RATE=500 bench/broadcast.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
ROUNDS=${ROUNDS:-3}
FANOUT_STUDENTS=${FANOUT_STUDENTS:-100000}
SEND_STUDENTS=${SEND_STUDENTS:-30000}
SEND_ROUNDS=${SEND_ROUNDS:-$ROUNDS}
RATE=${RATE:-500}
STAFF_TOKEN=bench-staff-token

for tool in redis-server redis-cli curl cmake sha256sum; do
  command -v "$tool" >/dev/null || { echo "broadcast.sh: $tool is not installed" >&2; exit 2; }
done

SCRIPT=broadcast
source "$ROOT/bench/lib.sh"
build_release permit-bot wechat-sim

stop_server() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

start_redis
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }

CONFIG=$WORK/bot.json
cat >"$CONFIG" <<EOF
{"wechat": {"token": "permitbotdev", "appid": "wxpermitbotdev0001"},
 "scripts": "$ROOT/dialogs/scripts", "threads": 1,
 "outbound_rate_per_second": $RATE,
 "api_tokens": [{"name": "bench", "role": "staff", "sha256": "$(printf %s "$STAFF_TOKEN" | sha256sum | cut -d' ' -f1)"}]}
EOF

# seed N: N students at JSNU who last wrote three days ago (outside the
# platform's 48-hour window), half of them writing Chinese.
seed() {
  rcli FLUSHALL >/dev/null
  local three_days_ago=$(( $(date +%s) - 3 * 86400 ))
  rcli EVAL "for i = 0, tonumber(ARGV[1]) - 1 do
      redis.call('HSET', '{u:stu' .. i .. '}:conv', 'v', '1', 's', ARGV[2 + i % 2], 't', ARGV[4]) end return 1" 0 \
    "$1" '{"u":"jsnu","lang":"en","messages":3}' '{"u":"jsnu","pin":"zh","lang":"zh","messages":3}' \
    "$three_days_ago" >/dev/null
}

broadcast() {  # ADMIN_PORT: posts a broadcast to everyone; prints the curl time and the answer
  curl -s -o "$WORK/created.json" -w '%{time_total}' -H "Authorization: Bearer $STAFF_TOKEN" \
    -d '{"audience": {"all": true}, "text": {"en": "The office is closed on Monday", "zh": "周一办公室关闭"}}' \
    "http://127.0.0.1:$1/api/v1/broadcasts"
}


echo "permit-bot broadcast bench, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$(nproc) cores; redis appendonly yes, everysec; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---- (a) fan-out ------------------------------------------------------------
echo "(a) fan-out of $FANOUT_STUDENTS recipients: POST /api/v1/broadcasts until answered (all queued)"
start_server bot "$BUILD_DIR/permit-bot" --config "$CONFIG" --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
  --redis "redis://127.0.0.1:$REDIS_PORT"
BOT_PID=$LAST_PID ADMIN=$LAST_ADMIN_PORT
printf '%-6s %10s %12s %12s %10s\n' round bot_s per_second floor_s bot/floor
BOT_S=() FLOOR_S=()
for round in $(seq "$ROUNDS"); do
  seed "$FANOUT_STUDENTS"
  t=$(broadcast "$ADMIN")
  queued=$(rcli XLEN '{broadcast}:queue')
  if [[ $queued != "$FANOUT_STUDENTS" ]] || ! grep -q '"status":"queued"' "$WORK/created.json"; then
    echo "broadcast.sh: round $round queued $queued of $FANOUT_STUDENTS: $(cat "$WORK/created.json")" >&2
    exit 1
  fi
  # The floor: Redis alone appending as many entries of the same shape.
  rcli DEL '{broadcast}:floor' >/dev/null
  start=$(date +%s%N)
  rcli EVAL "for i = 0, tonumber(ARGV[1]) - 1 do redis.call('XADD', KEYS[1], '*', 'openid', 'stu' .. i,
      'dedupe', 'b:1:stu' .. i, 'broadcast', '1', 'lang', 'en', 'window', 'closed') end return 1" 1 \
    '{broadcast}:floor' "$FANOUT_STUDENTS" >/dev/null
  floor=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.3f", ns / 1e9 }')
  BOT_S+=("$t") FLOOR_S+=("$floor")
  printf '%-6s %9.3fs %12.0f %11.3fs %9.1fx\n' "$round" "$t" "$(awk -v n="$FANOUT_STUDENTS" -v t="$t" 'BEGIN { print n / t }')" \
    "$floor" "$(awk -v t="$t" -v f="$floor" 'BEGIN { print t / f }')"
done
bot_s=$(printf '%s\n' "${BOT_S[@]}" | median %.3f)
floor_s=$(printf '%s\n' "${FLOOR_S[@]}" | median %.3f)
printf '%-6s %9.3fs %12.0f %11.3fs %9.1fx\n' median "$bot_s" "$(awk -v n="$FANOUT_STUDENTS" -v t="$bot_s" 'BEGIN { print n / t }')" \
  "$floor_s" "$(awk -v t="$bot_s" -v f="$floor_s" 'BEGIN { print t / f }')"
echo "target < 3 s: $(awk -v t="$bot_s" 'BEGIN { print (t < 3) ? "met" : "NOT met" }')"
stop_server "$BOT_PID"
echo

# ---- (b) sending --------------------------------------------------------------
echo "(b) sending $SEND_STUDENTS template messages at outbound_rate_per_second = $RATE through wechat-sim serve"
printf '%-6s %8s %10s %9s %9s %10s %10s %10s\n' round seconds median/s busiest ratio rss_start rss_end rss_max
RATIO=() BUSIEST=() GROWTH=()
for round in $(seq "$SEND_ROUNDS"); do
  seed "$SEND_STUDENTS"
  start_server sim "$BUILD_DIR/wechat-sim" serve --secret benchsecret --appid wxpermitbotdev0001 --listen 127.0.0.1:0
  SIM_PID=$LAST_PID SIM_PORT=$LAST_PORT
  start_server bot "$BUILD_DIR/permit-bot" --config "$CONFIG" --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 \
    --redis "redis://127.0.0.1:$REDIS_PORT" --wechat-secret benchsecret \
    --wechat-api-base "http://127.0.0.1:$SIM_PORT" --wechat-template-id tpl_bench
  BOT_PID=$LAST_PID ADMIN=$LAST_ADMIN_PORT
  broadcast "$ADMIN" >/dev/null
  : >"$WORK/rss"
  deadline=$(( $(date +%s) + SEND_STUDENTS / (RATE / 2) + 60 ))
  while :; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$BOT_PID/status" >>"$WORK/rss"
    sent=$(curl -s -H "Authorization: Bearer $STAFF_TOKEN" "http://127.0.0.1:$ADMIN/api/v1/broadcasts/1" |
      sed -n 's/.*"sent":"\([0-9]*\)".*/\1/p')
    [[ ${sent:-0} -ge $SEND_STUDENTS ]] && break
    (( $(date +%s) < deadline )) || { echo "broadcast.sh: only ${sent:-0} sent in time" >&2; exit 1; }
    sleep 1
  done
  curl -s "http://127.0.0.1:$SIM_PORT/sim/messages" | grep -o '"at_ms":[0-9]*' | cut -d: -f2 | sort -n >"$WORK/at"
  delivered=$(wc -l <"$WORK/at")
  [[ $delivered == "$SEND_STUDENTS" ]] || { echo "broadcast.sh: the platform got $delivered messages" >&2; exit 1; }
  # Whole seconds only (the first and the last are partial); the busiest
  # sliding second starts at any message.
  per_second=$(awk '{ t[NR] = $1; n[int($1 / 1000)]++ }
    END { for (s = int(t[1] / 1000) + 1; s < int(t[NR] / 1000); s++) print n[s] + 0 }' "$WORK/at" | median %.0f)
  read -r seconds busiest < <(awk '{ t[NR] = $1 }
    END {
      e = 1; best = 0
      for (b = 1; b <= NR; b++) { while (e <= NR && t[e] < t[b] + 1000) e++; if (e - b > best) best = e - b }
      printf "%.1f %d\n", (t[NR] - t[1]) / 1000, best }' "$WORK/at")
  read -r rss_start rss_end rss_max < <(awk 'NR > 2 { if (!s) s = $1; e = $1; if ($1 > m) m = $1 } END { print s, e, m }' "$WORK/rss")
  ratio=$(awk -v p="$per_second" -v r="$RATE" 'BEGIN { printf "%.1f", 100 * p / r }')
  RATIO+=("$ratio") BUSIEST+=("$busiest") GROWTH+=("$((rss_end - rss_start))")
  printf '%-6s %7ss %10s %9s %8s%% %8sKB %8sKB %8sKB\n' "$round" "$seconds" "$per_second" "$busiest" "$ratio" \
    "$rss_start" "$rss_end" "$rss_max"
  cp "$WORK/rss" "$WORK/rss-$round"
  stop_server "$BOT_PID"
  stop_server "$SIM_PID"
done
printf 'median: rate %s%% of the limit, busiest second %s (limit %s), RSS growth %s KB from 2 s in to the end\n' \
  "$(printf '%s\n' "${RATIO[@]}" | median %.1f)" "$(printf '%s\n' "${BUSIEST[@]}" | median %.0f)" "$RATE" \
  "$(printf '%s\n' "${GROWTH[@]}" | median %.0f)"
echo "RSS of the last round, KB, one sample a second:"
tr '\n' ' ' <"$WORK/rss-$SEND_ROUNDS"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
