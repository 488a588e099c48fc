#!/usr/bin/env bash
# Sets up and runs permit-bot locally: installs the Debian packages, builds,
# starts a Redis of its own (data in .local/redis) and the bot, and shows
# how to chat with it. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

deploy/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPERMIT_BUILD_TESTS=OFF > /dev/null
cmake --build build -j"$(nproc)" --target permit-bot wechat-sim permit-botctl console

redis_port=${PERMIT_REDIS_PORT:-6390}
listen=${PERMIT_BOT_LISTEN:-127.0.0.1:8080}
api=${PERMIT_SIM_API:-127.0.0.1:8091}
# The platform's sending API is out of reach from here: wechat-sim stands in
# for it, so late replies, reminders and broadcasts have somewhere to go.
export PERMIT_BOT_WECHAT_SECRET=${PERMIT_BOT_WECHAT_SECRET:-localdevsecret}
export PERMIT_BOT_WECHAT_API_BASE=${PERMIT_BOT_WECHAT_API_BASE:-http://$api}
mkdir -p .local/redis
redis-server deploy/redis-permit-bot.conf --port "$redis_port" --dir "$root/.local/redis" \
  --logfile "$root/.local/redis/redis.log" --daemonize no &
redis_pid=$!
bot_pid=""
build/wechat-sim serve --config config/permit-bot.json --secret "$PERMIT_BOT_WECHAT_SECRET" --listen "$api" \
  > .local/wechat-sim.log 2>&1 &
sim_pid=$!
cleanup() {
  [ -n "$bot_pid" ] && kill -TERM "$bot_pid" 2>/dev/null && wait "$bot_pid" 2>/dev/null
  kill -TERM "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  kill -TERM "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do
  redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
  sleep 0.05
done

# The shipped config plus a local admin token (.local/admin-token), with
# which the first console account is made below.
[ -s .local/admin-token ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > .local/admin-token
node -e '
  const fs = require("fs"), crypto = require("crypto");
  const c = JSON.parse(fs.readFileSync("config/permit-bot.json", "utf8"));
  const token = fs.readFileSync(".local/admin-token", "utf8").trim();
  c.api_tokens = [{ name: "local-operator", role: "admin", sha256: crypto.createHash("sha256").update(token).digest("hex") }];
  fs.writeFileSync(".local/permit-bot.json", JSON.stringify(c, null, 2));'
admin=${PERMIT_ADMIN_LISTEN:-127.0.0.1:8090}
build/permit-bot --config .local/permit-bot.json --listen "$listen" --admin-listen "$admin" \
  --redis "redis://127.0.0.1:$redis_port" &
bot_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://$listen/readyz" > /dev/null 2>&1 && break
  sleep 0.05
done

# The first console account, once: "admin" with a password made here.
console_note="Console: http://$admin/console/ (accounts: build/permit-botctl users list)"
if [ ! -s .local/console-admin ]; then
  password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  if printf '%s\n' "$password" | PERMIT_BOTCTL_TOKEN=$(cat .local/admin-token) \
      build/permit-botctl --api "http://$admin" users add admin --role admin > /dev/null; then
    echo "admin $password" > .local/console-admin
  fi
fi
[ -s .local/console-admin ] && console_note="Console: http://$admin/console/  sign in as: $(cat .local/console-admin)  (kept in .local/console-admin)"

cat <<MSG

permit-bot is running on http://$listen (Redis on 127.0.0.1:$redis_port, data in .local/redis).
Chat with it from another terminal, as the WeChat platform would deliver your messages:

    build/wechat-sim chat --bot $listen --api $api                 # plaintext mode
    build/wechat-sim chat --bot $listen --api $api --mode safe     # encrypted (safe) mode
    build/wechat-sim send --bot $listen --api $api hello           # one message

$console_note

Health: curl http://$listen/healthz   Readiness: curl http://$listen/readyz   Metrics: curl http://$listen/metrics
Messages the bot sent through the platform's API (late replies, reminders, broadcasts),
as the stand-in at $api recorded them: curl http://$api/sim/messages
Press Ctrl-C to stop the bot and Redis.
MSG
wait "$bot_pid"
