#!/usr/bin/env bash
# Screenshots of every main page per role at 1366×768 and 390×844 (demo data, throwaway
# SQLite database): scripts/screenshots.sh [OUT_DIR], default screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
[ -x "$VENV/bin/python" ] || { echo "No $VENV: run scripts/test.sh (or pip install -r requirements-dev.txt) first, or set VENV=..." >&2; exit 1; }
exec "$VENV/bin/python" scripts/screenshots.py "${1:-screenshots}"
