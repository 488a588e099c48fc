#!/usr/bin/env bash
# Builds the Debian package from a finished build, checks its metadata and
# contents (dpkg-deb -I/-c) and its systemd unit (systemd-analyze verify),
# installs it with dpkg -i, starts the installed binary by hand as the
# service's user, with the service's environment file, against a Redis of
# its own on a free port, asks /healthz and /readyz, stops it with SIGTERM,
# then removes and purges the package and checks that nothing is left.
#   tests/package/deb_test.sh BUILD_DIR
# Needs root (dpkg -i). Exits 77 (skipped) without root, or when a
# permit-bot package is already installed here: this test never touches an
# operator's install.
set -euo pipefail

build=$(cd "${1:?usage: deb_test.sh BUILD_DIR}" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
  echo "deb_test: skipped: dpkg -i needs root"
  exit 77
fi
# One package test on the machine at a time (two worktrees, two presets).
exec 9> /var/lock/permit-bot-deb-test.lock
flock 9
if dpkg-query -W -f='${Status}' permit-bot 2> /dev/null | grep -q "installed\|config-files"; then
  echo "deb_test: skipped: a permit-bot package is already on this machine"
  exit 77
fi

work=$(mktemp -d /tmp/permit-bot-deb-test.XXXXXX)
redis_pid="" bot_pid="" installed=0
cleanup() {
  [ -n "$bot_pid" ] && kill -KILL "$bot_pid" 2> /dev/null || true
  [ -n "$redis_pid" ] && kill -TERM "$redis_pid" 2> /dev/null || true
  if [ "$installed" = 1 ]; then dpkg --purge permit-bot > /dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "deb_test: FAIL: $*" >&2
  exit 1
}

# --- build the package --------------------------------------------------
(cd "$build" && cpack -G DEB -B "$work/out" > "$work/cpack.log" 2>&1) || {
  cat "$work/cpack.log"
  fail "cpack -G DEB"
}
deb=$(ls "$work"/out/permit-bot_*.deb)
echo "deb_test: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB)"

# --- metadata -----------------------------------------------------------
info=$(dpkg-deb -I "$deb")
control=$(dpkg-deb -f "$deb")
echo "$control" | grep -q '^Package: permit-bot$' || fail "Package field: $control"
depends=$(dpkg-deb -f "$deb" Depends)
echo "deb_test: Depends: $depends"
# shlibdeps found the shared libraries the binaries link.
for lib in libc6 libhiredis libssl3 libjemalloc2 libpugixml libstemmer libstdc++6; do
  echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib: $depends"
done
for script in postinst prerm postrm conffiles; do
  echo "$info" | grep -q " $script" || fail "control member $script missing: $info"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/permit-bot/permit-bot.json ||
  fail "the config is not a conffile"

# --- contents -----------------------------------------------------------
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/permit-bot ./usr/bin/permit-botctl ./usr/bin/permit-dialog \
  ./usr/share/permit-bot/scripts/common.json ./usr/share/permit-bot/scripts/schema.json \
  ./usr/share/permit-bot/permit-bot.env ./usr/share/doc/permit-bot/README.md \
  ./etc/permit-bot/permit-bot.json ./lib/systemd/system/permit-bot.service; do
  echo "$contents" | grep -q " $path\$" || fail "$path is not in the package"
done
if [ -f "$build/console-www/index.html" ]; then
  echo "$contents" | grep -q ' ./usr/share/permit-bot/console/index.html$' || fail "the console's files are missing"
  echo "deb_test: the console's built files are in the package"
else
  echo "deb_test: no console build in $build/console-www: the package has no console"
fi
# Nothing a test or the build needs, nothing world-writable.
if echo "$contents" | grep -q 'wechat-sim\|_test\|CMake'; then fail "build or test files in the package"; fi
if echo "$contents" | awk '{print $1}' | grep -q '^.\{8\}w'; then fail "a world-writable file"; fi

# --- the unit -----------------------------------------------------------
dpkg-deb -x "$deb" "$work/root"
unit="$work/root/lib/systemd/system/permit-bot.service"
for setting in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes StateDirectory=permit-bot \
  Restart=on-failure User=permit-bot EnvironmentFile=/etc/permit-bot/permit-bot.env; do
  grep -qx "$setting" "$unit" || fail "the unit lacks $setting"
done

# --- install ------------------------------------------------------------
installed=1
dpkg -i "$deb" > "$work/dpkg-i.log" 2>&1 || {
  cat "$work/dpkg-i.log"
  fail "dpkg -i"
}
getent passwd permit-bot > /dev/null || fail "no permit-bot user"
[ "$(getent passwd permit-bot | cut -d: -f7)" = /usr/sbin/nologin ] || fail "the user has a login shell"
[ "$(stat -c '%a %U %G' /etc/permit-bot/permit-bot.env)" = "640 root permit-bot" ] ||
  fail "the secrets file is $(stat -c '%a %U %G' /etc/permit-bot/permit-bot.env)"
[ -x /usr/bin/permit-bot ] || fail "/usr/bin/permit-bot"
# systemd-analyze verify on the installed unit (the binary it names exists now).
systemd-analyze verify /lib/systemd/system/permit-bot.service > "$work/verify.log" 2>&1 || {
  cat "$work/verify.log"
  fail "systemd-analyze verify"
}
if [ -s "$work/verify.log" ]; then
  cat "$work/verify.log"
  fail "systemd-analyze verify printed warnings"
fi
echo "deb_test: installed; systemd-analyze verify passes"

# --- run the installed binary by hand -----------------------------------
# A Redis of its own on a port nothing listens on; should another process
# take the port first, Redis exits and another port is tried.
port=""
for _ in 1 2 3 4 5; do
  candidate=$((20000 + RANDOM % 12000))
  if (exec 3<> "/dev/tcp/127.0.0.1/$candidate") 2> /dev/null; then continue; fi
  redis-server --port "$candidate" --bind 127.0.0.1 --save "" --appendonly no > "$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 200); do
    redis-cli -p "$candidate" ping 2> /dev/null | grep -q PONG && break
    kill -0 "$redis_pid" 2> /dev/null || break
    sleep 0.05
  done
  if redis-cli -p "$candidate" ping 2> /dev/null | grep -q PONG; then
    port=$candidate
    break
  fi
  kill -TERM "$redis_pid" 2> /dev/null || true
  redis_pid=""
done
[ -n "$port" ] || fail "the test Redis did not start: $(cat "$work/redis.log")"
# The service's secrets file, filled in as an operator would.
cat >> /etc/permit-bot/permit-bot.env << SECRETS
PERMIT_BOT_WECHAT_TOKEN=debtesttoken
PERMIT_BOT_REDIS=redis://127.0.0.1:$port/0
SECRETS
# As the unit runs it: its user, its environment file, its config, from its
# working directory. Ports: any free ones.
mkdir -p /var/lib/permit-bot && chown permit-bot:permit-bot /var/lib/permit-bot
(
  cd /var/lib/permit-bot
  set -a
  . /etc/permit-bot/permit-bot.env
  set +a
  exec setpriv --reuid=permit-bot --regid=permit-bot --init-groups --no-new-privs \
    /usr/bin/permit-bot --config /etc/permit-bot/permit-bot.json --listen 127.0.0.1:0 --admin-listen 127.0.0.1:0
) > "$work/bot.out" 2> "$work/bot.err" &
bot_pid=$!
for _ in $(seq 200); do grep -q "listening on" "$work/bot.out" && break; sleep 0.05; done
listen=$(sed -n 's/^permit-bot listening on //p' "$work/bot.out")
[ -n "$listen" ] || {
  cat "$work/bot.err"
  fail "the installed bot did not start"
}
[ "$(ps -o user= -p "$bot_pid")" = permit-bot ] || fail "the bot does not run as permit-bot"
health=$(curl -s -o "$work/health" -w '%{http_code}' "http://$listen/healthz")
[ "$health" = 200 ] || fail "/healthz answered $health: $(cat "$work/health")"
ready=""
for _ in $(seq 100); do
  ready=$(curl -s -o /dev/null -w '%{http_code}' "http://$listen/readyz")
  [ "$ready" = 200 ] && break
  sleep 0.05
done
[ "$ready" = 200 ] || fail "/readyz answered $ready"
echo "deb_test: the installed bot answers /healthz and /readyz on $listen"
if [ -f "$build/console-www/index.html" ]; then
  admin=$(sed -n 's/^permit-bot admin api on //p' "$work/bot.out")
  page=$(curl -s -o "$work/console.html" -w '%{http_code}' "http://$admin/console/")
  [ "$page" = 200 ] && grep -q '<script' "$work/console.html" || fail "the installed bot does not serve the console ($page)"
  echo "deb_test: the installed bot serves the console from /usr/share/permit-bot/console"
fi
kill -TERM "$bot_pid"
status=0
wait "$bot_pid" || status=$?
bot_pid=""
[ "$status" = 0 ] || fail "the bot exited $status on SIGTERM: $(cat "$work/bot.err")"
grep -q "stopped" "$work/bot.err" || fail "no 'stopped' in the log: $(cat "$work/bot.err")"
# One line per event on stderr.
grep -v '^permit-bot \(info\|warn\|error\): ' "$work/bot.err" && fail "a log line of another shape"

# --- remove, purge, and nothing left ------------------------------------
dpkg -r permit-bot > "$work/dpkg-r.log" 2>&1 || {
  cat "$work/dpkg-r.log"
  fail "dpkg -r"
}
[ ! -e /usr/bin/permit-bot ] || fail "dpkg -r left /usr/bin/permit-bot"
[ -e /etc/permit-bot/permit-bot.json ] || fail "dpkg -r took the conffile (only purge should)"
dpkg --purge permit-bot > "$work/dpkg-purge.log" 2>&1 || {
  cat "$work/dpkg-purge.log"
  fail "dpkg --purge"
}
installed=0
for path in /etc/permit-bot /usr/share/permit-bot /usr/share/doc/permit-bot /var/lib/permit-bot \
  /lib/systemd/system/permit-bot.service /etc/systemd/system/multi-user.target.wants/permit-bot.service; do
  [ ! -e "$path" ] || fail "purge left $path"
done
! getent passwd permit-bot > /dev/null || fail "purge left the user"
! getent group permit-bot > /dev/null || fail "purge left the group"
! dpkg-query -W permit-bot > /dev/null 2>&1 || fail "dpkg still knows permit-bot"
echo "deb_test: removed and purged; nothing left"
