#!/usr/bin/env bash
# Quarter-end load test (issue 16, item 3): the production server (scripts/serve.sh, gunicorn,
# WORKERS sync workers) on 127.0.0.1 over a gen-data database, then locust (bench/locustfile.py)
# headless twice in one invocation: the idle mix, then the same number of users of whom a fifth
# download (plan tracker XLSX, dashboard XLSX, report DOCX). At most 60 s of load in all.
# Prints one table side by side (requests/s, p50/p95/p99 per page, errors) and appends it to
# bench/results/load-test.md.
#
#   bench/load-test.sh                                   # SQLite, bench/results/medium.sqlite
#   SCALE=agency bench/load-test.sh                      # another gen-data scale (SQLite)
#   DATABASE_URL=postgresql://u:p@127.0.0.1/db bench/load-test.sh   # an existing database
#
# The SQLite database is the one bench/bench.py uses (bench/results/<scale>.sqlite) and is
# generated when missing (`gen-data --scale SCALE`, "today" pinned to bench.py's). A database
# given by DATABASE_URL must already hold gen-data data (`flask gen-data --scale ...`).
# Settings: WORKERS (5), USERS (15), SECONDS_EACH (25; two runs, capped at 30 each), PORT
# (8766), VENV (.venv; e.g. VENV=../main/.venv). Exit status 1 when a request failed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
SCALE=${SCALE:-medium}
WORKERS=${WORKERS:-5}
USERS=${USERS:-15}
SECONDS_EACH=${SECONDS_EACH:-25}
[ "$SECONDS_EACH" -le 30 ] || SECONDS_EACH=30
PORT=${PORT:-8766}
BASE="http://127.0.0.1:$PORT"
DOWNLOADERS=$(( USERS / 5 ))
[ -x "$VENV/bin/locust" ] || { echo "No locust in $VENV: pip install -r requirements-dev.txt (VENV=... to use another)" >&2; exit 1; }
mkdir -p bench/results
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
WORK=$(mktemp -d)
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL="sqlite:///$PWD/bench/results/$SCALE.sqlite"
fi
export DATABASE_URL

# The data (generated when missing) and the ids the users need: the largest plan, the report.
echo "== data: $DATABASE_URL" >&2
eval "$("$VENV/bin/python" - "$SCALE" <<'PY'
import os, sys
sys.path.insert(0, ".")
sys.argv = sys.argv[:2]
import bench.bench as b
os.environ["PORTAL_TODAY"] = b.TODAY
url = b.normalize(os.environ["DATABASE_URL"])
app = b.build_app(url)
out, sys.stdout = sys.stdout, sys.stderr  # gen-data's progress goes to stderr, not to eval
counts = b.ensure_data(app, sys.argv[1], False)
sys.stdout = out
from app.ops.pages import sample_ids
with app.app_context():
    ids = sample_ids()
print(f"PLAN_ID={ids['plan_id']} REPORT_ID={ids['report_id']} TASKS={counts.get('tasks', 0)}", flush=True)
PY
)"
export PLAN_ID REPORT_ID

# The export cache's jobs: a throwaway Redis and JOB_WORKERS job workers (scripts/serve.sh
# starts them beside gunicorn), files under a fresh storage folder (every export built anew).
export REDISROOT="$WORK/redis"
export REDIS_URL=$(sh scripts/redis-up.sh | sed -n 's/^REDIS_URL=//p')
export STORAGE_FOLDER="$WORK/storage"
JOB_WORKERS=${JOB_WORKERS:-1}
SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
SESSION_COOKIE_SECURE=0 MIGRATE=0 BIND="127.0.0.1:$PORT" WORKERS="$WORKERS" VENV="$VENV" JOB_WORKERS="$JOB_WORKERS" \
  setsid scripts/serve.sh >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill -- -"$SERVER" 2>/dev/null || kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true
  sh scripts/redis-down.sh >/dev/null 2>&1 || true
  cp "$WORK/server.log" bench/results/load-test-server.log 2>/dev/null || true  # the last run's
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # the EXIT trap then stops the server
echo "== server: scripts/serve.sh, $WORKERS workers on $BASE" >&2
for _ in $(seq 150); do curl -sf -o /dev/null --max-time 10 "$BASE/login" && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/login" || { echo "the server did not start"; tail -30 "$WORK/server.log"; exit 1; }

# Warm-up (not measured): each worker compiles its templates on its first pages.
UA="kstt-load-warmup/1"
token=$(curl -s --max-time 30 -A "$UA" -c "$WORK/jar" "$BASE/login" | sed -n 's/.*name="csrf_token"[^>]*value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null --max-time 30 -A "$UA" -b "$WORK/jar" -c "$WORK/jar" --data-urlencode "csrf_token=$token" \
  --data-urlencode "username=vanphong" --data-urlencode "password=${LOAD_PASSWORD:-Bench@2022}" "$BASE/login"
echo "== warm-up" >&2
for _ in $(seq "$WORKERS"); do
  pids=()
  for p in / /tasks/ /overdue /dashboard/ "/reports/$REPORT_ID" /plans/; do
    curl -s -o /dev/null --max-time 30 -A "$UA" -b "$WORK/jar" "$BASE$p" & pids+=($!)
  done
  wait "${pids[@]}"  # these curls only (a bare `wait` would wait for the server too)
done

run() {  # $1: label, $2: downloaders
  echo "== $1: $USERS users ($2 downloading), ${SECONDS_EACH} s" >&2
  LOAD_USERS=$USERS LOAD_DOWNLOADERS=$2 LOAD_LOG="$WORK/$1.log" \
    "$VENV/bin/locust" -f bench/locustfile.py --headless --only-summary --loglevel WARNING \
      -u "$USERS" -r "$USERS" -t "${SECONDS_EACH}s" --stop-timeout 5 --host "$BASE" >"$WORK/$1.out" 2>&1 || true
  [ -s "$WORK/$1.log" ] || { echo "locust wrote nothing:"; cat "$WORK/$1.out"; exit 1; }
}
run idle 0
run downloads "$DOWNLOADERS"

db=${DATABASE_URL%%:*}
title="### Load test — $(date -u '+%Y-%m-%d %H:%M') UTC, $db ($SCALE, $TASKS tasks), gunicorn $WORKERS sync workers and $JOB_WORKERS job worker(s) on $(nproc) cores (load average before: $LOAD_BEFORE), $USERS users (think 0,5–1,5 s), ${SECONDS_EACH} s idle then ${SECONDS_EACH} s with $DOWNLOADERS downloading"
"$VENV/bin/python" bench/load_table.py "$WORK/idle.log" "$SECONDS_EACH" "$WORK/downloads.log" "$SECONDS_EACH" "$title" \
  | tee "$WORK/table.md"
{ echo; cat "$WORK/table.md"; } >>bench/results/load-test.md
! grep -q "errors: \*\*[1-9]" "$WORK/table.md"
