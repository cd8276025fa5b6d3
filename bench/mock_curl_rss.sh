#!/usr/bin/env bash
# The mock server's memory while curl downloads a whole campaign of N events.
# usage: bench/mock_curl_rss.sh N [PORT]     (after `make install`; Linux: reads /proc)
# The peak (VmHWM) is reset once the data set is built, so it covers streaming only.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?how many events}
PORT=${2:-18730}
LOG=$(mktemp)
.venv/bin/np6 mock --events "$N" --campaigns 1 --port "$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
until grep -q "campaign" "$LOG"; do
  kill -0 $PID 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.5
done
CAMPAIGN=$(grep -o 'campaign [A-Z0-9]*' "$LOG" | awk '{print $2}')
echo 5 >/proc/$PID/clear_refs
IDLE=$(awk '/VmRSS/{print $2}' /proc/$PID/status)
START=$(date +%s.%N)
BYTES=$(curl -sS -X POST -H "X-Key: np6-mock-key" -o /dev/null -w '%{size_download}' \
  "http://127.0.0.1:$PORT/campaigns/$CAMPAIGN/events")
END=$(date +%s.%N)
PEAK=$(awk '/VmHWM/{print $2}' /proc/$PID/status)
awk -v n="$N" -v b="$BYTES" -v s="$START" -v e="$END" -v i="$IDLE" -v p="$PEAK" 'BEGIN {
  printf "%d events, %.1f MB in %.1f s; mock RSS idle %.1f MB, peak while streaming %.1f MB\n",
    n, b / 1048576, e - s, i / 1024, p / 1024 }'
