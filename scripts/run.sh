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
echo
echo "Cổng KSTT đang chạy: http://127.0.0.1:${PORT:-5000}/  (ngày hệ thống: $PORTAL_TODAY; Ctrl+C để dừng)"
exec "$VENV/bin/flask" run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
