#!/bin/sh
# setup.sh — install the Debian packages vspreport needs to build, test and
# benchmark.  As root it runs apt-get; otherwise it prints the command.
set -eu
PACKAGES="build-essential cmake pkg-config clang libclang-rt-14-dev
  libsqlite3-dev sqlite3 libcsv-dev libcairo2-dev libpango1.0-dev
  libxlsxwriter-dev libssl-dev zlib1g-dev tzdata
  fonts-dejavu-core fonts-noto-core
  poppler-utils qpdf librsvg2-bin time
  python3 python3-openpyxl python3-pandas python3-matplotlib python3-xlsxwriter"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "setup: all packages present"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "setup: missing packages; run as root:"
  echo "  sudo apt-get install -y$missing"
  exit 1
fi
