#!/usr/bin/env bash
# Debian's headless Chromium for the HTML report's browser test (test/emit/report-html.test.ts).
# Installs the `chromium` package when /usr/bin/chromium is missing: as root directly, else
# through sudo. Playwright's own browser download is not used: the machines reach only the
# npm registry and Debian's packages. With --if-possible (npm test's pretest), a machine where
# it cannot be installed gets a warning instead of a failure, and the browser test is skipped.
set -euo pipefail
optional=false
[ "${1:-}" = "--if-possible" ] && optional=true
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version 2>/dev/null || true
  exit 0
fi
give_up() {
  echo "install-chromium: $1" >&2
  if $optional; then echo "install-chromium: the report's browser test will be skipped" >&2; exit 0; fi
  exit 1
}
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else give_up "need root or password-less sudo to install Debian's chromium"; fi
command -v apt-get >/dev/null || give_up "apt-get not found (not a Debian machine); install Chromium at /usr/bin/chromium or set CHROMIUM_PATH"
"${as_root[@]}" apt-get update -qq || give_up "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null || give_up "apt-get install chromium failed"
/usr/bin/chromium --version
