#!/usr/bin/env bash
# Bounded load test: the production server (scripts/serve.sh: gunicorn, WORKERS workers) on
# loopback, then wrk on each page as a logged-in user, all pages together within 60 s.
# Prints requests/s, p50/p95/p99 latency, non-200 answers and socket errors per page, and
# appends a Markdown table to bench/results/load.md.
#
#   DATABASE_URL=postgresql://...  bench/load.sh            # pages: / /tasks/ /overdue /plans/
#   DATABASE_URL=sqlite:////path/province.sqlite WORKERS=4 CONNECTIONS=16 bench/load.sh / /tasks/
#
# The database must hold `flask gen-data` data (accounts and password from app/ops/gendata.py).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at a gen-data database}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
VENV=${VENV:-.venv}
WORKERS=${WORKERS:-4}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-8765}
LOAD_USER=${LOAD_USER:-vanphong}
PASSWORD=${PASSWORD:-Bench@2022}
PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || PAGES=(/ /tasks/ /overdue /plans/)
TOTAL=${TOTAL_SECONDS:-48}
[ "$TOTAL" -le 60 ] || TOTAL=60
PER=$(( TOTAL / ${#PAGES[@]} )); [ "$PER" -ge 1 ] || PER=1
UA="kstt-load/1"   # the same User-Agent for login and load (session protection is "strong")
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
mkdir -p bench/results

SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
SESSION_COOKIE_SECURE=0 MIGRATE=0 BIND="127.0.0.1:$PORT" WORKERS="$WORKERS" VENV="$VENV" \
  scripts/serve.sh >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "$BASE/login" && break; sleep 0.2; done

# Log in like a browser: the login form's CSRF token, then the session cookie.
token=$(curl -s -A "$UA" -c "$WORK/jar" "$BASE/login" | sed -n 's/.*name="csrf_token"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -o /dev/null -w '%{http_code}' -A "$UA" -b "$WORK/jar" -c "$WORK/jar" \
  --data-urlencode "csrf_token=$token" --data-urlencode "username=$LOAD_USER" \
  --data-urlencode "password=$PASSWORD" "$BASE/login")
[ "$code" = 302 ] || { echo "login failed ($code)"; tail -20 "$WORK/server.log"; exit 1; }
cookie=$(awk '$6 == "session" {print $7}' "$WORK/jar")

{
  echo ""
  echo "### Load — $(date -u '+%Y-%m-%d %H:%M') UTC, gunicorn $WORKERS workers, wrk $CONNECTIONS connections, ${PER} s per page, user $LOAD_USER"
  echo ""
  echo "| page | requests | req/s | p50 ms | p95 ms | p99 ms | non-200 | socket errors |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
} >"$WORK/table.md"
failed=0
for page in "${PAGES[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -A "$UA" -H "Cookie: session=$cookie" "$BASE$page")
  [ "$status" = 200 ] || { echo "$page answers $status, not 200"; failed=1; continue; }
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${PER}s" --timeout 10s -s bench/report.lua \
    -H "Cookie: session=$cookie" -H "User-Agent: $UA" "$BASE$page" | grep '^RESULT')
  echo "$page $line"
  eval "${line#RESULT }"  # requests= rps= p50_ms= ... as shell variables
  echo "| \`$page\` | $requests | $rps | $p50_ms | $p95_ms | $p99_ms | $non200 | $socket_errors |" >>"$WORK/table.md"
  [ "$non200" = 0 ] && [ "$socket_errors" = 0 ] || failed=1
done
cat "$WORK/table.md" | tee -a bench/results/load.md
exit $failed
