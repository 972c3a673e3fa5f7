#!/usr/bin/env bash
# Debian's headless Chromium for the HTML report's browser test (test/emit/report-html.test.ts).
# Playwright's own browser download is not used: the machines reach only the npm registry and
# Debian's packages. --if-possible (npm test's pretest): a warning instead of a failure.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" chromium /usr/bin/chromium "the report's browser test" "${1:-}"
