#!/usr/bin/env bash
# The commit script's own cost inside Redis, with nothing else running: the
# floor any server pays per message for the prescribed compare-and-set
# commit. See bench/README.md ("The ceiling on this machine").
#
#   bench/commit_cost.sh                       # 3 rounds of 200,000 commits
#   ROUNDS=5 COMMITS=400000 bench/commit_cost.sh
#   CALLGRIND=1 ROUNDS=1 COMMITS=20000 STUDENTS=2000 bench/commit_cost.sh   # instructions
#
# The script is the bot's own (kCommit in bot/inbound/conversation_store.cpp,
# read from the source). COMMITS messages, each with a new MsgId, from
# STUDENTS students in turn, with the state and reply the bot stores for
# "hello", are sent to a fresh Redis (appendonly yes, appendfsync
# everysec) as one deep pipeline (redis-cli --pipe), so network I/O is
# nearly nothing. Printed per round: Redis's execution time per EVALSHA
# (INFO commandstats) and its CPU per commit (INFO cpu); and the same for
# a script that returns at once with the same keys and arguments.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
COMMITS=${COMMITS:-200000}
STUDENTS=${STUDENTS:-10000}
for tool in redis-server redis-cli awk sed; do
  command -v "$tool" >/dev/null || { echo "commit_cost.sh: $tool is not installed" >&2; exit 2; }
done
SCRIPT=commit_cost
source "$ROOT/bench/lib.sh"

# The commit script as the bot sends it: the helpers the macros
# PERMIT_LATE_REPLY_LUA and PERMIT_RECENT_LUA define, then kCommit's body.
# LUA_FILE=path times another script instead (same keys and arguments),
# for comparing designs.
SOURCE=$ROOT/bot/inbound/conversation_store.cpp
if [[ -n ${LUA_FILE:-} ]]; then cp "$LUA_FILE" "$WORK/commit.lua"; else {
  for macro in PERMIT_LATE_REPLY_LUA PERMIT_RECENT_LUA; do
    sed -n "/^#define $macro/,/\"end\\\\n\"\$/p" "$SOURCE" | sed -n 's/^ *"\(.*\)\\n" *\\\{0,1\}$/\1/p'
  done
  sed -n '/^const redis::LuaScript kCommit(/,/^)lua");$/p' "$SOURCE" | sed '1d;$d'
} >"$WORK/commit.lua"; fi
grep -q "local function late" "$WORK/commit.lua" && grep -q "redis.call('HSET', KEYS\[1\]" "$WORK/commit.lua" ||
  { echo "commit_cost.sh: could not read the commit script from $SOURCE" >&2; exit 1; }

if [[ -n ${CALLGRIND:-} ]]; then
  REDIS_WRAPPER="valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$WORK/callgrind.out.%p"
fi
start_redis
cli() { redis-cli -p "$REDIS_PORT" "$@"; }
COMMIT_SHA=$(cli script load "$(cat "$WORK/commit.lua")")
NOOP_SHA=$(cli script load "return {'ok', '1', 0}")

# COMMITS EVALSHAs in RESP: KEYS conversation, outbox, inbox; ARGV
# expected version, next version, ring slot, state, reply, dedupe key,
# retention, now, day (as ConversationStore::commit sends them).
# Student i % STUDENTS is at version i / STUDENTS when message i comes.
STATE='{"lang":"en","choices":["u:cpu","u:cqupt","u:hust","u:jsnu","u:nenu"],"messages":1}'
NOW=$(date +%s)
commands() {  # SHA SALT
  awk -v sha="$1" -v salt="$2" -v n="$COMMITS" -v students="$STUDENTS" -v state="$STATE" -v now="$NOW" '
    function bulk(s) { return "$" length(s) "\r\n" s "\r\n" }
    BEGIN {
      reply = sprintf("%250s", ""); gsub(/ /, "r", reply)
      for (i = 0; i < n; i++) {
        u = "{u:" salt "s" (i % students) "}"
        v = int(i / students)
        printf "*15\r\n%s%s%s", bulk("EVALSHA"), bulk(sha), bulk("3")
        printf "%s%s%s", bulk(u ":conv"), bulk(u ":outbox"), bulk(u ":inbox")
        printf "%s%s%s%s%s", bulk(v), bulk(v + 1), bulk((v + 1) % 4), bulk(state), bulk(reply)
        printf "%s%s%s%s", bulk("m:" i), bulk("15552000"), bulk(now), bulk(int(now / 86400))
      }
    }'
}

# CALLGRIND=1: Redis's instructions per call instead of times, counted by
# valgrind for the pipe alone (repeatable where timings are noise).
if [[ -n ${CALLGRIND:-} ]]; then
  count() {  # SHA SALT: instructions per call
    commands "$1" "$2" >"$WORK/commands.resp"
    pipe_instructions "$WORK/commands.resp" "$COMMITS"
  }
  echo "Redis instructions per call (thousands), $COMMITS commits from $STUDENTS students ${REDIS_EXTRA:-}"
  for round in $(seq "$ROUNDS"); do
    echo "round $round: commit $(count "$COMMIT_SHA" "r$round")k, noop $(count "$NOOP_SHA" "n$round")k"
    cli flushall >/dev/null
  done
  exit 0
fi

# measure NAME SHA SALT: prints "exec_us cpu_us" per call.
measure() {
  commands "$2" "$3" >"$WORK/commands.resp"
  cli config resetstat >/dev/null
  local before after
  before=$(redis_cpu)
  pipe_commands "$WORK/commands.resp" "$COMMITS"
  after=$(redis_cpu)
  local exec_us
  exec_us=$(cli info commandstats | sed -n 's/^cmdstat_evalsha:.*usec_per_call=\([0-9.]*\).*/\1/p')
  awk -v e="$exec_us" -v a="$before" -v b="$after" -v n="$COMMITS" 'BEGIN { printf "%.2f %.2f\n", e, (b - a) * 1e6 / n }'
}

echo "commit script cost in Redis, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "$COMMITS commits from $STUDENTS students per round; redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'), appendonly yes, appendfsync everysec"
printf '%-6s %14s %14s %14s %14s\n' round commit_exec commit_cpu noop_exec noop_cpu
C_EXEC=() C_CPU=() N_EXEC=() N_CPU=()
for round in $(seq "$ROUNDS"); do
  read -r ce cc < <(measure commit "$COMMIT_SHA" "r$round")
  # Every commit went through: each student is at the version its messages make.
  version=$(cli hget "{u:r${round}s0}:conv" v)
  expected=$(((COMMITS + STUDENTS - 1) / STUDENTS))
  [[ $version == "$expected" ]] || { echo "commit_cost.sh: student 0 at version $version, not $expected" >&2; exit 1; }
  read -r ne nc < <(measure noop "$NOOP_SHA" "n$round")
  C_EXEC+=("$ce") C_CPU+=("$cc") N_EXEC+=("$ne") N_CPU+=("$nc")
  printf '%-6s %12sus %12sus %12sus %12sus\n' "$round" "$ce" "$cc" "$ne" "$nc"
  cli flushall >/dev/null
done
printf '%-6s %12sus %12sus %12sus %12sus\n' median "$(printf '%s\n' "${C_EXEC[@]}" | median %.2f)" \
  "$(printf '%s\n' "${C_CPU[@]}" | median %.2f)" "$(printf '%s\n' "${N_EXEC[@]}" | median %.2f)" \
  "$(printf '%s\n' "${N_CPU[@]}" | median %.2f)"
echo "(exec: Redis's execution time per EVALSHA, INFO commandstats; cpu: Redis's CPU per call, INFO cpu;"
echo " noop: a script that returns at once, with the same keys and arguments)"
