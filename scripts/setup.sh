#!/bin/sh
# setup.sh — install the Debian packages vspreport needs to build, test and
# benchmark, and the npm packages of the web edition's browser checks
# (tests/web: puppeteer-core and axe-core, run in Debian's chromium; no
# browser is downloaded).  As root it runs apt-get; otherwise it prints the
# command.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PACKAGES="build-essential cmake pkg-config clang libclang-rt-14-dev
  libsqlite3-dev sqlite3 libcsv-dev libcairo2-dev libpango1.0-dev
  libxlsxwriter-dev libssl-dev zlib1g-dev libisal-dev tzdata
  fonts-dejavu-core fonts-noto-core
  poppler-utils qpdf librsvg2-bin time gettext gdb
  chromium nodejs
  python3 python3-openpyxl python3-pandas python3-matplotlib python3-xlsxwriter"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from elsewhere than Debian (with npm inside): a node and
# an npm on PATH will do.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  missing=$(echo "$missing" | sed 's/ nodejs//')
elif ! echo "$missing" | grep -q nodejs; then
  missing="$missing npm"
fi
if [ -z "$missing" ]; then
  echo "setup: all packages present"
elif [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
  command -v npm >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends npm
else
  echo "setup: missing packages; run as root:"
  echo "  sudo apt-get install -y$missing"
  exit 1
fi
# the browser checks' packages, pinned by tests/web/package-lock.json
if [ ! -d "$top/tests/web/node_modules/puppeteer-core" ] || [ ! -d "$top/tests/web/node_modules/axe-core" ]; then
  (cd "$top/tests/web" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
