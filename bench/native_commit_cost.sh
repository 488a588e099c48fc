#!/usr/bin/env bash
# What a commit without a Lua script would cost Redis: the floor of any
# design that keeps one native command per message. See bench/README.md
# ("The commit, redesigned", the row on native commands).
#
#   bench/native_commit_cost.sh                     # CPU per call, 3 rounds of 200,000
#   CALLGRIND=1 COMMITS=20000 STUDENTS=2000 bench/native_commit_cost.sh   # instructions
#   MODES="xadd hset" bench/native_commit_cost.sh
#
# Modes, each with the state and reply the bot stores for "hello", one
# command per message from STUDENTS students in turn, to a fresh Redis
# (appendonly yes, appendfsync everysec) as one deep pipeline:
#   xadd    XADD {u:..}:log MAXLEN 4 0-<version> s STATE r REPLY d MSGID t NOW
#           (an explicit ID is refused unless greater than the stream's
#           last: a native compare-and-set on the version, the last 4
#           messages kept for retries);
#   xaddnt  the same without the trimming;
#   watch   WATCH the conversation hash, HMGET v e h, MULTI, the HSET
#           below, EXEC: an optimistic compare-and-set without a script
#           (five commands, two round trips, a connection per commit);
#   watch8  the same for 8 students at a time (one WATCH of 8 keys, 8
#           HMGETs, MULTI, 8 HSETs, EXEC): a group commit;
#   hset    HSET of the conversation hash's fields as the commit script
#           writes them, with no compare-and-set at all (for scale).
# Compare with bench/commit_cost.sh (the bot's Lua commit) in the same minutes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
COMMITS=${COMMITS:-200000}
STUDENTS=${STUDENTS:-10000}
MODES=${MODES:-xadd xaddnt hset}
for tool in redis-server redis-cli awk; do
  command -v "$tool" >/dev/null || { echo "native_commit_cost.sh: $tool is not installed" >&2; exit 2; }
done
SCRIPT=native_commit_cost
source "$ROOT/bench/lib.sh"
if [[ -n ${CALLGRIND:-} ]]; then
  REDIS_WRAPPER="valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$WORK/callgrind.out.%p"
fi
start_redis
cli() { redis-cli -p "$REDIS_PORT" "$@"; }
STATE='{"lang":"en","choices":["u:cpu","u:cqupt","u:hust","u:jsnu","u:nenu"],"messages":1}'
NOW=$(date +%s)

commands() {  # MODE SALT
  awk -v mode="$1" -v salt="$2" -v n="$COMMITS" -v students="$STUDENTS" -v state="$STATE" -v now="$NOW" '
    function bulk(s) { return "$" length(s) "\r\n" s "\r\n" }
    BEGIN {
      reply = sprintf("%250s", ""); gsub(/ /, "r", reply)
      for (i = 0; i < n; i++) {
        u = "{u:" salt "s" (i % students) "}"
        v = int(i / students) + 1
        fields = bulk("s") bulk(state) bulk("r") bulk(reply) bulk("d") bulk("m:" i) bulk("t") bulk(now)
        # The fields of the conversation hash, as the commit writes them.
        hset = "*14\r\n" bulk("HSET") bulk(u ":conv") bulk("v") bulk(v) bulk("s") bulk(state) bulk("t") bulk(now) \
          bulk("d" (v % 4)) bulk("m:" i) bulk("r" (v % 4)) bulk(reply) bulk("e") bulk(int(now / 86400))
        if (mode == "xadd") printf "*13\r\n%s%s%s%s%s%s", bulk("XADD"), bulk(u ":log"), bulk("MAXLEN"), bulk("4"), bulk("0-" v), fields
        else if (mode == "xaddnt") printf "*11\r\n%s%s%s%s", bulk("XADD"), bulk(u ":log"), bulk("0-" v), fields
        else if (mode == "watch8") {
          # The same for 8 students at once: WATCH of their 8 hashes and
          # their HMGETs, then one MULTI with their 8 HSETs and one EXEC.
          # (Students in turn, so the 8 keys differ.)
          if (i % 8 == 0) {
            printf "*9\r\n%s", bulk("WATCH")
            for (j = i; j < i + 8; j++) printf "%s", bulk("{u:" salt "s" (j % students) "}:conv")
            for (j = i; j < i + 8; j++) printf "*5\r\n%s%s%s%s%s", bulk("HMGET"), bulk("{u:" salt "s" (j % students) "}:conv"), bulk("v"), bulk("e"), bulk("h")
            printf "*1\r\n%s", bulk("MULTI")
          }
          printf "%s", hset
          if (i % 8 == 7) printf "*1\r\n%s", bulk("EXEC")
        }
        else if (mode == "watch") {
          # An optimistic transaction on a connection of its own: WATCH,
          # read the version, then MULTI, the same HSET as below, EXEC.
          printf "*2\r\n%s%s", bulk("WATCH"), bulk(u ":conv")
          printf "*5\r\n%s%s%s%s%s", bulk("HMGET"), bulk(u ":conv"), bulk("v"), bulk("e"), bulk("h")
          printf "*1\r\n%s", bulk("MULTI")
          printf "%s", hset
          printf "*1\r\n%s", bulk("EXEC")
        }
        else printf "%s", hset
      }
    }'
}

echo "native commits in Redis, $(date -u '+%Y-%m-%d %H:%M UTC'); $COMMITS per round from $STUDENTS students; redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')"
for mode in $MODES; do
  results=()
  per=1  # replies per commit
  case $mode in watch) per=5 ;; watch8) per=2.375 ;; esac
  replies=$(awk -v n="$COMMITS" -v p=$per 'BEGIN { print n * p }')
  for round in $(seq "$ROUNDS"); do
    commands "$mode" "$mode$round" >"$WORK/commands.resp"
    if [[ -n ${CALLGRIND:-} ]]; then
      results+=("$(awk -v k="$(pipe_instructions "$WORK/commands.resp" "$replies")" -v p=$per 'BEGIN { printf "%.1f", k * p }')")
    else
      before=$(redis_cpu)
      pipe_commands "$WORK/commands.resp" "$replies"
      after=$(redis_cpu)
      results+=("$(awk -v a="$before" -v b="$after" -v n="$COMMITS" 'BEGIN { printf "%.2f", (b - a) * 1e6 / n }')")
    fi
    cli flushall >/dev/null
  done
  unit=$([[ -n ${CALLGRIND:-} ]] && echo "k instructions" || echo "us CPU")
  echo "$mode: ${results[*]} (median $(printf '%s\n' "${results[@]}" | median %.2f)) $unit per call"
done
