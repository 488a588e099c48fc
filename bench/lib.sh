# Shared by bench/run.sh and bench/broadcast.sh (sourced, not run): building
# the Release targets, the work directory, starting servers and cleaning up.
# The caller sets ROOT, BUILD_DIR and SCRIPT (its name, for messages).

# Builds the given targets in Release; cmake --build is a no-op when nothing changed.
build_release() {
  if ! grep -qs '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt"; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DPERMIT_BUILD_TESTS=OFF >/dev/null
  fi
  if ! cmake --build "$BUILD_DIR" -j"$(nproc)" --target "$@" >"$BUILD_DIR/bench-build.log" 2>&1; then
    tail -n 40 "$BUILD_DIR/bench-build.log" >&2
    echo "$SCRIPT: build failed (full log: $BUILD_DIR/bench-build.log)" >&2
    exit 1
  fi
}

WORK=$(mktemp -d "/tmp/permit-bench-$SCRIPT.XXXXXX")
PIDS=()
WRK_PID=
cleanup() {
  local pid
  [[ -n $WRK_PID ]] && kill "$WRK_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts a process that prints "... listening on HOST:PORT" (the last such
# line when it prints several); sets LAST_PORT, LAST_ADMIN_PORT and LAST_PID.
# (Not run in a $(...) subshell: PIDS must reach the cleanup.)
start_server() {
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  local pid=$! i
  PIDS+=("$pid")
  LAST_PID=$pid
  for i in $(seq 100); do
    if grep -qs 'listening on' "$WORK/$name.out"; then
      LAST_PORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$WORK/$name.out" | tail -n1)
      LAST_ADMIN_PORT=$(sed -n 's/.*admin api on .*:\([0-9]*\)$/\1/p' "$WORK/$name.out" | tail -n1)
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$SCRIPT: $name did not start:" >&2
  cat "$WORK/$name.err" >&2
  return 1
}

# Redis picks no free port by itself (port 0 disables TCP), so try random
# ones until one binds; sets REDIS_PORT and REDIS_PID. AOF as in production:
# appendonly yes, appendfsync everysec. REDIS_EXTRA adds settings
# (REDIS_EXTRA="--hash-max-listpack-value 4096"); REDIS_WRAPPER runs it
# under another program (valgrind).
start_redis() {
  local port pid i
  REDIS_PORT=
  for _ in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    ${REDIS_WRAPPER:-} redis-server --bind 127.0.0.1 --port "$port" --dir "$WORK" --logfile "$WORK/redis.log" \
      --appendonly yes --appendfsync everysec --save '' --daemonize no ${REDIS_EXTRA:-} &
    pid=$!
    for i in $(seq 100); do
      if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then REDIS_PORT=$port; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if [[ -n $REDIS_PORT ]]; then PIDS+=("$pid"); REDIS_PID=$pid; return 0; fi
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  echo "$SCRIPT: could not start redis-server" >&2
  exit 1
}

# median FORMAT: the median of the numbers on stdin, printed with FORMAT.
median() {
  sort -g | awk -v f="$1" '{ v[NR] = $1 }
    END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# For the commit-cost scripts, with the Redis of start_redis:
# pipe_commands FILE COUNT sends FILE (RESP) as one pipeline and fails
# unless COUNT replies came back without an error; redis_cpu prints
# Redis's CPU seconds so far; pipe_instructions FILE COUNT prints the
# instructions per reply (thousands) Redis spent on the pipe, when it runs
# under callgrind (REDIS_WRAPPER, --instr-atstart=no, output files
# $WORK/callgrind.out.*).
pipe_commands() {
  redis-cli -p "$REDIS_PORT" --pipe <"$1" >"$WORK/pipe.out"
  grep -q "errors: 0, replies: $2" "$WORK/pipe.out" || { cat "$WORK/pipe.out" >&2; exit 1; }
}
redis_cpu() { redis-cli -p "$REDIS_PORT" info cpu | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.6f", s }'; }
pipe_instructions() {
  callgrind_control -z "$REDIS_PID" >/dev/null 2>&1
  callgrind_control -i on "$REDIS_PID" >/dev/null 2>&1
  pipe_commands "$1" "$2"
  callgrind_control -i off "$REDIS_PID" >/dev/null 2>&1
  rm -f "$WORK"/callgrind.out.*
  callgrind_control -d "$REDIS_PID" >/dev/null 2>&1
  local total
  total=$(cat "$WORK"/callgrind.out.* | sed -n 's/^summary: *\([0-9]*\).*/\1/p; s/^totals: *\([0-9]*\).*/\1/p' | sort -n | tail -n1)
  awk -v t="$total" -v n="$2" 'BEGIN { printf "%.1f", t / n / 1000 }'
}
