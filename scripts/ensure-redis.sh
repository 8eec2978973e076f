#!/usr/bin/env bash
# The Redis store tests (test/redis/) start their own Debian redis-server (never a downloaded build).
# Installs it with apt-get when missing and we are root; otherwise explains.
set -euo pipefail
if [ -x "${REDIS_SERVER:-/usr/bin/redis-server}" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
  # the package may start a system service: the tests start their own servers, on free ports
  if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then systemctl stop redis-server || true; fi
else
  echo "The Redis store tests need Debian's redis-server at /usr/bin/redis-server: run 'sudo apt-get install redis-server'." >&2
  exit 1
fi
