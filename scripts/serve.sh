#!/usr/bin/env bash
# Production run: gunicorn (no control socket) serving wsgi:app with PORTAL_ENV=production.
# Required: SECRET_KEY (long, random, the SAME on every app server) and DATABASE_URL
# (PostgreSQL). Optional: WORKERS (default 2×cores+1), BIND (127.0.0.1:8000), PROXY_HOPS
# (proxies in front, for X-Forwarded-*), UPLOAD_FOLDER (shared storage when several servers),
# MIGRATE=0 to skip `flask db upgrade` (run it on one server only per deployment).
# Background jobs: REDIS_URL (Debian's redis-server) and STORAGE_FOLDER (shared when several
# servers); run the workers beside gunicorn with `flask jobs worker` (docs/operations.md has a
# systemd unit; JOB_WORKERS=N here starts N of them in the background, stopped with gunicorn).
# Logs (application, access, errors) go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
: "${SECRET_KEY:?SECRET_KEY must be set to a long random string (the same on every app server)}"
: "${DATABASE_URL:?DATABASE_URL must point at the database, e.g. postgresql://kstt:...@db-host/kstt}"
[ -x "$VENV/bin/gunicorn" ] || { echo "No gunicorn in $VENV: create it with scripts/run.sh or pip install -r requirements.txt (VENV=... to use another)" >&2; exit 1; }
export PORTAL_ENV=production FLASK_APP=wsgi.py PORTAL_TODAY=
if [ "${MIGRATE:-1}" = 1 ]; then
  "$VENV/bin/flask" db upgrade heads 2>&1
fi
if [ "${JOB_WORKERS:-0}" -gt 0 ]; then
  pids=""
  for _ in $(seq 1 "$JOB_WORKERS"); do
    "$VENV/bin/flask" jobs worker 2>&1 &
    pids="$pids $!"
  done
  trap 'kill $pids 2>/dev/null || true' EXIT INT TERM
  set +e
  "$VENV/bin/gunicorn" --no-control-socket \
    --workers "${WORKERS:-$(( $(nproc) * 2 + 1 ))}" --bind "${BIND:-127.0.0.1:8000}" \
    --access-logfile - --error-logfile - --capture-output \
    --timeout "${TIMEOUT:-60}" --graceful-timeout 30 \
    --max-requests 5000 --max-requests-jitter 500 \
    wsgi:app 2>&1
  exit $?
fi
exec "$VENV/bin/gunicorn" --no-control-socket \
  --workers "${WORKERS:-$(( $(nproc) * 2 + 1 ))}" --bind "${BIND:-127.0.0.1:8000}" \
  --access-logfile - --error-logfile - --capture-output \
  --timeout "${TIMEOUT:-60}" --graceful-timeout 30 \
  --max-requests 5000 --max-requests-jitter 500 \
  wsgi:app 2>&1
