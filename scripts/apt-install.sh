#!/usr/bin/env bash
# Shared by install-chromium.sh and install-redis.sh: installs one Debian package when its
# binary is missing, as root directly, else through password-less sudo. The machines reach
# only the npm registry and Debian's packages. With --if-possible (npm test's pretest), a
# machine where it cannot be installed gets a warning, and the tests that need it are skipped.
# usage: apt-install.sh PACKAGE BINARY WHAT-NEEDS-IT [--if-possible]
set -euo pipefail
package="$1"; binary="$2"; needed_by="$3"
optional=false
[ "${4:-}" = "--if-possible" ] && optional=true
if [ -x "$binary" ]; then
  "$binary" --version 2>/dev/null || true
  exit 0
fi
give_up() {
  echo "install-$package: $1" >&2
  if $optional; then echo "install-$package: $needed_by will be skipped" >&2; exit 0; fi
  exit 1
}
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else give_up "need root or password-less sudo to install Debian's $package"; fi
command -v apt-get >/dev/null || give_up "apt-get not found (not a Debian machine); install $package at $binary"
"${as_root[@]}" apt-get update -qq || give_up "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null || give_up "apt-get install $package failed"
"$binary" --version
