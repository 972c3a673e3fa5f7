#!/usr/bin/env bash
# Debian's redis-server for the queue tests and `npm run bench -- --queue` (each starts its own
# server on a free loopback port, so a service the package may start on 6379 is not used).
# --if-possible (npm test's pretest): a warning instead of a failure.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" redis-server /usr/bin/redis-server "the queue tests" "${1:-}"
