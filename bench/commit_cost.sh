#!/usr/bin/env bash
# The commit script's own cost inside Redis, with nothing else running: the
# floor any server pays per message for the prescribed compare-and-set
# commit. See bench/README.md ("The ceiling on this machine").
#
#   bench/commit_cost.sh                       # 3 rounds of 200,000 commits
#   ROUNDS=5 COMMITS=400000 bench/commit_cost.sh
#   CALLGRIND=1 ROUNDS=1 COMMITS=20000 STUDENTS=2000 bench/commit_cost.sh   # instructions
#   MODE=evalsha bench/commit_cost.sh          # the same code as a script, by EVALSHA
#   MEMORY=1 ROUNDS=1 COMMITS=20000 STUDENTS=2000 bench/commit_cost.sh   # also the bytes kept
#
# The code is the bot's own (kCommitNew in bot/inbound/conversation_store.cpp,
# the commit of a message the bot knows is new, read from the source;
# COMMIT=kCommit times the one that reads the ring of replies first, as a
# commit without the ring's keys does), run as the bot runs it: a function of a library
# loaded by FUNCTION LOAD, called by FCALL (MODE=fcall, the default); or,
# for comparison, the same helpers and body as one script run by EVALSHA
# (MODE=evalsha; LUA_FILE=other.lua then times another script with the
# same keys and arguments). COMMITS messages, each with a new MsgId, from
# STUDENTS students in turn, with the state and reply the bot stores for
# "hello", are sent to a fresh Redis (appendonly yes, appendfsync
# everysec) as one deep pipeline (redis-cli --pipe), so network I/O is
# nearly nothing. Printed per round: Redis's execution time per call
# (INFO commandstats) and its CPU per commit (INFO cpu); and the same for
# a function (a script) that returns at once with the same keys and
# arguments.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-3}
COMMITS=${COMMITS:-200000}
STUDENTS=${STUDENTS:-10000}
MODE=${MODE:-fcall}
[[ $MODE == fcall || $MODE == evalsha ]] || { echo "commit_cost.sh: MODE is fcall or evalsha" >&2; exit 2; }
for tool in redis-server redis-cli awk sed; do
  command -v "$tool" >/dev/null || { echo "commit_cost.sh: $tool is not installed" >&2; exit 2; }
done
SCRIPT=commit_cost
source "$ROOT/bench/lib.sh"

# The commit as the bot sends it: the helpers the macros
# PERMIT_LATE_REPLY_LUA, PERMIT_RECENT_LUA and PERMIT_COMMIT_WRITE_LUA define
# (the library's prelude, run once when it is loaded), then the function's
# body. As a library it is what redis::LuaFunction makes of them, named
# "commit"; as a script (MODE=evalsha), the two one after the other.
# LUA_FILE=path times another script instead (same keys and arguments), for
# comparing designs.
COMMIT=${COMMIT:-kCommitNew}
SOURCE=$ROOT/bot/inbound/conversation_store.cpp
for macro in PERMIT_LATE_REPLY_LUA PERMIT_RECENT_LUA PERMIT_COMMIT_WRITE_LUA; do
  sed -n "/^#define $macro/,/\"end\\\\n\"\$/p" "$SOURCE" | sed -n 's/^ *"\(.*\)\\n" *\\\{0,1\}$/\1/p'
done >"$WORK/prelude.lua"
# The body: from the line that opens the raw string to the one closing it.
sed -n "/^const redis::LuaFunction $COMMIT(/,/^)lua\");\$/p" "$SOURCE" | sed '0,/R"lua($/d;$d' >"$WORK/body.lua"
if [[ -n ${LUA_FILE:-} ]]; then
  [[ $MODE == evalsha ]] || { echo "commit_cost.sh: LUA_FILE needs MODE=evalsha" >&2; exit 2; }
  cp "$LUA_FILE" "$WORK/commit.lua"
else
  cat "$WORK/prelude.lua" "$WORK/body.lua" >"$WORK/commit.lua"
  grep -q "local function late" "$WORK/prelude.lua" && grep -q "local function write" "$WORK/prelude.lua" &&
    grep -q "redis.call('HSET', KEYS\[1\]" "$WORK/prelude.lua" && grep -q "HMGET" "$WORK/body.lua" ||
    { echo "commit_cost.sh: could not read the commit from $SOURCE" >&2; exit 1; }
fi
{
  printf '#!lua name=commit\n'
  cat "$WORK/prelude.lua"
  printf "\nredis.register_function('commit', function(KEYS, ARGV)\n"
  cat "$WORK/body.lua"
  printf "\nend)\nredis.register_function('noop', function(KEYS, ARGV) return 0 end)\n"
} >"$WORK/library.lua"

if [[ -n ${CALLGRIND:-} ]]; then
  REDIS_WRAPPER="valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$WORK/callgrind.out.%p"
fi
start_redis
cli() { redis-cli -p "$REDIS_PORT" "$@"; }
# What is called: the function's name (FCALL) or the script's SHA-1
# (EVALSHA). The one that returns at once returns an integer, as the commit
# does when it commits.
if [[ $MODE == fcall ]]; then
  cli function load "$(cat "$WORK/library.lua")" >/dev/null
  COMMIT_ID=commit NOOP_ID=noop
else
  COMMIT_ID=$(cli script load "$(cat "$WORK/commit.lua")")
  NOOP_ID=$(cli script load "return 0")
fi
VERB=${MODE^^}

# COMMITS calls in RESP: KEYS conversation, outbox, inbox; ARGV
# expected version, next version, ring slot, state, reply, dedupe key,
# retention, now, day (as ConversationStore::commit sends them).
# Student i % STUDENTS is at version i / STUDENTS when message i comes.
STATE='{"lang":"en","choices":["u:cpu","u:cqupt","u:hust","u:jsnu","u:nenu"],"messages":1}'
NOW=$(date +%s)
commands() {  # NAME_OR_SHA SALT
  awk -v verb="$VERB" -v callee="$1" -v salt="$2" -v n="$COMMITS" -v students="$STUDENTS" -v state="$STATE" -v now="$NOW" '
    function bulk(s) { return "$" length(s) "\r\n" s "\r\n" }
    BEGIN {
      reply = sprintf("%250s", ""); gsub(/ /, "r", reply)
      for (i = 0; i < n; i++) {
        u = "{u:" salt "s" (i % students) "}"
        v = int(i / students)
        printf "*15\r\n%s%s%s", bulk(verb), bulk(callee), bulk("3")
        printf "%s%s%s", bulk(u ":conv"), bulk(u ":outbox"), bulk(u ":inbox")
        printf "%s%s%s%s%s", bulk(v), bulk(v + 1), bulk((v + 1) % 4), bulk(state), bulk(reply)
        printf "%s%s%s%s", bulk("m:" i), bulk("15552000"), bulk(now), bulk(int(now / 86400))
      }
    }'
}

# check_committed ROUND: every commit of the round went through: student 0
# is at the version its messages make.
check_committed() {
  local version expected=$(((COMMITS + STUDENTS - 1) / STUDENTS))
  version=$(cli hget "{u:r${1}s0}:conv" v)
  [[ $version == "$expected" ]] || { echo "commit_cost.sh: student 0 at version $version, not $expected" >&2; exit 1; }
}

# CALLGRIND=1: Redis's instructions per call instead of times, counted by
# valgrind for the pipe alone (repeatable where timings are noise).
if [[ -n ${CALLGRIND:-} ]]; then
  count() {  # NAME_OR_SHA SALT: instructions per call
    commands "$1" "$2" >"$WORK/commands.resp"
    pipe_instructions "$WORK/commands.resp" "$COMMITS"
  }
  echo "Redis instructions per $VERB (thousands), $COMMITS commits from $STUDENTS students ${REDIS_EXTRA:-}"
  for round in $(seq "$ROUNDS"); do
    commit=$(count "$COMMIT_ID" "r$round")
    check_committed "$round"
    echo "round $round: commit ${commit}k, noop $(count "$NOOP_ID" "n$round")k"
    cli flushall >/dev/null
  done
  exit 0
fi

# measure LABEL NAME_OR_SHA SALT: prints "exec_us cpu_us" per call.
measure() {
  commands "$2" "$3" >"$WORK/commands.resp"
  cli config resetstat >/dev/null
  local before after
  before=$(redis_cpu)
  pipe_commands "$WORK/commands.resp" "$COMMITS"
  after=$(redis_cpu)
  local exec_us
  exec_us=$(cli info commandstats | sed -n "s/^cmdstat_$MODE:.*usec_per_call=\([0-9.]*\).*/\1/p")
  awk -v e="$exec_us" -v a="$before" -v b="$after" -v n="$COMMITS" 'BEGIN { printf "%.2f %.2f\n", e, (b - a) * 1e6 / n }'
}

echo "commit cost in Redis ($VERB), $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "$COMMITS commits from $STUDENTS students per round; redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'), appendonly yes, appendfsync everysec"
printf '%-6s %14s %14s %14s %14s\n' round commit_exec commit_cpu noop_exec noop_cpu
C_EXEC=() C_CPU=() N_EXEC=() N_CPU=()
for round in $(seq "$ROUNDS"); do
  read -r ce cc < <(measure commit "$COMMIT_ID" "r$round")
  check_committed "$round"
  if [[ -n ${MEMORY:-} ]]; then  # the conversations' bytes, every field counted (SAMPLES 0)
    bytes=$(cli --scan --pattern "{u:r${round}s*}:conv" | sed 's/^/memory usage /; s/$/ samples 0/' | cli |
      awk '{ s += $1 } END { print s + 0 }')
    echo "memory: $((bytes / STUDENTS)) bytes per student (MEMORY USAGE SAMPLES 0), used_memory $(cli info memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')"
  fi
  read -r ne nc < <(measure noop "$NOOP_ID" "n$round")
  C_EXEC+=("$ce") C_CPU+=("$cc") N_EXEC+=("$ne") N_CPU+=("$nc")
  printf '%-6s %12sus %12sus %12sus %12sus\n' "$round" "$ce" "$cc" "$ne" "$nc"
  cli flushall >/dev/null
done
printf '%-6s %12sus %12sus %12sus %12sus\n' median "$(printf '%s\n' "${C_EXEC[@]}" | median %.2f)" \
  "$(printf '%s\n' "${C_CPU[@]}" | median %.2f)" "$(printf '%s\n' "${N_EXEC[@]}" | median %.2f)" \
  "$(printf '%s\n' "${N_CPU[@]}" | median %.2f)"
echo "(exec: Redis's execution time per $VERB, INFO commandstats; cpu: Redis's CPU per call, INFO cpu;"
echo " noop: a $([[ $MODE == fcall ]] && echo function || echo script) that returns at once, with the same keys and arguments)"
