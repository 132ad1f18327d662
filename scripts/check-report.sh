#!/usr/bin/env bash
# Opens a poreseg report in headless Chromium and fails on a blank page or a broken image.
#
#   scripts/check-report.sh REPORT.html [SCREENSHOT.png] [--require-browser]
#
# Static checks (always): balanced tags, no scripts, no http(s):// or //host references, every <img>
# is a data URI that decodes (Java ImageIO). Browser checks (when Chromium is installed): a probe copy
# of the page lists images the browser cannot display after the load event; a 1280x2400 screenshot
# must not be blank. Without Chromium it prints SKIPPED and exits 0, unless --require-browser is given.
# Chromium: Debian package 'chromium' (apt-get install -y chromium), or set PORESEG_CHROMIUM.
# Exit: 0 pass (or skipped), 1 fail, 2 usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
report="$1"; shift
args=("$report")
for a in "$@"; do
  case "$a" in
    --require-browser) args+=("--require-browser") ;;
    -*) echo "check-report: unknown option $a" >&2; exit 2 ;;
    *) args+=("--screenshot" "$a") ;;
  esac
done
jar="$here/target/poreseg.jar"
# the launcher builds the jar when it is missing or older than the sources
"$here/poreseg" --version >/dev/null
exec java -Djava.awt.headless=true -cp "$jar:$here/target/lib/*" poreseg.report.ReportCheck "${args[@]}"
