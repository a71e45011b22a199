#!/usr/bin/env bash
# Install the Debian packages babelwire needs, only those missing. Usage: system-deps.sh demo|test
set -euo pipefail

# The Apertium engine pins its HTML deformatter (APERTIUM_TRANSFUSE=no by default), so the demo
# needs no transfuse; the tests install it to prove the engine under both deformatters.
demo=(apertium apertium-eng-spa apertium-eng-cat apertium-spa-cat)
test=("${demo[@]}" transfuse apertium-apy postgresql redis-server chromium)
case "${1:-demo}" in
  demo) wanted=("${demo[@]}") ;;
  test) wanted=("${test[@]}") ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "error: missing system packages: ${missing[*]}; install them with your package manager" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

# apertium-apy's Debian service listens on every interface: babelwire starts APY itself where needed.
if [[ " ${missing[*]} " == *" apertium-apy "* ]] && command -v systemctl >/dev/null; then
  $sudo systemctl disable --now apertium-apy >/dev/null 2>&1 || true
fi

# redis-server's Debian service binds 127.0.0.1:6379 only, so it is left running: it is the
# default broker of the distributed mode (distributed.broker_url) for local use. The tests do not
# touch it; they start their own redis-server on a free port (tests/redis_server.py).
