#!/usr/bin/env bash
# Install the Debian packages babelwire needs, only those missing. Usage: system-deps.sh demo|test
set -euo pipefail

# The Apertium engine pins its HTML deformatter (APERTIUM_TRANSFUSE=no by default), so the demo
# needs no transfuse; the tests install it to prove the engine under both deformatters.
demo=(apertium apertium-eng-spa apertium-eng-cat apertium-spa-cat)
# The conformance tests run third-party checkers: the Nu HTML Checker (Java) and axe (Node.js,
# driving Debian's chromium through chromium-driver). Java and Node.js come from Debian unless the
# machine has them already (a NodeSource nodejs, say, which Debian's npm would conflict with).
test=("${demo[@]}" transfuse apertium-apy postgresql redis-server chromium chromium-driver)
command -v java >/dev/null || test+=(default-jre-headless)
command -v npm >/dev/null || test+=(nodejs npm)
case "${1:-demo}" in
  demo) wanted=("${demo[@]}") ;;
  test) wanted=("${test[@]}") ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac
here="$(cd "$(dirname "$0")/.." && pwd)"

# vnu-jar and @axe-core/cli, pinned by package-lock.json, into ./node_modules. --ignore-scripts:
# their install scripts would download a chromedriver; the tests use Debian's /usr/bin/chromedriver.
node_tools() {
  [ "$1" = test ] || return 0
  if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    echo "installing the conformance checkers (npm ci)"
    (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
}

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then node_tools "${1:-demo}"; exit 0; fi

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

node_tools "${1:-demo}"
