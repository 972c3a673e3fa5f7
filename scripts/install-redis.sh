#!/usr/bin/env bash
# Debian's redis-server for the queue tests (test/queue/*.test.ts start their own instance on a
# free loopback port). Installs the `redis-server` package when it is missing: as root directly,
# else through sudo. With --if-possible (npm test's pretest), a machine where it cannot be
# installed gets a warning instead of a failure, and the queue tests are skipped.
set -euo pipefail
optional=false
[ "${1:-}" = "--if-possible" ] && optional=true
if [ -x /usr/bin/redis-server ]; then
  /usr/bin/redis-server --version 2>/dev/null || true
  exit 0
fi
give_up() {
  echo "install-redis: $1" >&2
  if $optional; then echo "install-redis: the queue tests will be skipped" >&2; exit 0; fi
  exit 1
}
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else give_up "need root or password-less sudo to install Debian's redis-server"; fi
command -v apt-get >/dev/null || give_up "apt-get not found (not a Debian machine); install redis-server at /usr/bin/redis-server or set REDIS_SERVER"
"${as_root[@]}" apt-get update -qq || give_up "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null || give_up "apt-get install redis-server failed"
# The package's own service is not needed (tests start their own servers); stopping it is best effort.
command -v service >/dev/null && "${as_root[@]}" service redis-server stop >/dev/null 2>&1 || true
/usr/bin/redis-server --version
