#!/usr/bin/env bash
# Renders an HTML report of tuner (apply or bench --report FILE.html) in headless Chromium and saves a
# screenshot, to check by eye that the charts show. Needs Debian's chromium package.
#
#   bench/report-screenshot.sh report.html report.png
set -euo pipefail
html=${1:?usage: $0 REPORT.html OUT.png}
png=${2:?usage: $0 REPORT.html OUT.png}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# The flags keep Chromium off the network: this machine has none, and it would try at every start.
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1280,1600 \
    --screenshot="$(realpath -m "$png")" "file://$(realpath "$html")" >/dev/null 2>&1
[ -s "$png" ] || { echo "no screenshot written" >&2; exit 1; }
echo "$png"
