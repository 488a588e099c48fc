#!/usr/bin/env bash
# Installs the Debian 12 packages permit-bot needs. Everything comes from
# Debian; nothing is downloaded from anywhere else.
#   deploy/setup.sh          to build, run and test
#   deploy/setup.sh --fuzz   and the fuzz preset's clang and libFuzzer
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost1.81-dev rapidjson-dev libhiredis-dev libpugixml-dev libssl-dev libstemmer-dev libdtl-dev
  libgtest-dev libjemalloc-dev
  redis-server
  wrk curl
  openssl          # the CLI: the TLS test makes its CA with it
  dpkg-dev systemd # the package test: dpkg-shlibdeps for cpack, systemd-analyze verify for the unit
  chromium fonts-wqy-microhei   # the console's browser test: headless chromium, and a font with Chinese
)
if [ "${1:-}" = "--fuzz" ]; then
  # clang, libFuzzer and its sanitizer runtimes, llvm-symbolizer: a large
  # download that only tests/fuzz/run.sh needs.
  packages+=(clang libclang-rt-14-dev llvm)
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The console's build (console/: npm ci, esbuild): Debian 12's Node.js 18
# and npm, unless a node and npm are there already (another Node.js package
# carries its own npm, which Debian's npm package would conflict with).
command -v node > /dev/null || missing+=(nodejs)
command -v npm > /dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages already installed"
  exit 0
fi
echo "setup: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
