#!/usr/bin/env bash
# One command on a fresh machine: virtualenv, packages, database migrations, demo data, and
# the portal on http://127.0.0.1:${PORT:-5000}. Set KEEP_DATA=1 to keep an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=${PYTHON:-python3}
export FLASK_APP=wsgi.py
# The demo data is the 2022 plan of seed 000: pin "today" inside it so some work is overdue.
export PORTAL_TODAY=${PORTAL_TODAY:-2022-06-10}

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt
mkdir -p instance
"$VENV/bin/flask" db upgrade heads
if [ "${KEEP_DATA:-0}" != "1" ]; then
  "$VENV/bin/flask" demo
fi
# Background jobs (issued PDFs, the export cache): a Redis of our own on 127.0.0.1 (Debian's
# redis-server, installed if missing; nothing kept on disk) and one worker, both stopped on exit.
export REDISROOT=${REDISROOT:-/tmp/portal-redis-run-$(id -u)}
REDIS_ENV=$(sh scripts/redis-up.sh)
export REDIS_URL=$(printf '%s\n' "$REDIS_ENV" | sed -n 's/^REDIS_URL=//p')
# Issued plans and reports are rendered to PDF by LibreOffice (Debian's, installed if missing,
# with the Liberation fonts the signature box embeds).
if ! command -v soffice >/dev/null || [ ! -d /usr/share/fonts/truetype/liberation2 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  if ! { $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
         libreoffice-writer-nogui fonts-liberation2 >/dev/null; }; then
    echo "Không cài được LibreOffice: PDF văn bản ban hành sẽ báo lỗi (apt-get install libreoffice-writer-nogui fonts-liberation2)." >&2
  fi
fi
"$VENV/bin/flask" jobs worker > instance/worker.log 2>&1 &
WORKER_PID=$!
cleanup() {
  kill "$WORKER_PID" 2>/dev/null || true
  wait "$WORKER_PID" 2>/dev/null || true
  sh scripts/redis-down.sh
}
trap cleanup EXIT INT TERM
echo
echo "Cổng KSTT đang chạy: http://127.0.0.1:${PORT:-5000}/  (ngày hệ thống: $PORTAL_TODAY; Ctrl+C để dừng)"
echo "Xử lý nền: Redis $REDIS_URL, worker pid $WORKER_PID (nhật ký: instance/worker.log)"
"$VENV/bin/flask" run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
