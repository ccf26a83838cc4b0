#!/usr/bin/env bash
# Installs what the tests need (virtualenv, Python packages, Debian's chromium, LibreOffice) and runs the
# whole suite twice: on SQLite, then on a throwaway PostgreSQL from ../shared/scripts/pg-up.sh.
# Extra arguments go to pytest (e.g. `scripts/test.sh -k plans`). SKIP_PG=1 skips PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=${PYTHON:-python3}

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# The report tests render the DOCX through LibreOffice and read the PDF with poppler.
if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libreoffice-writer-nogui fonts-liberation2 poppler-utils >/dev/null
fi
export PORTAL_CHROMIUM=/usr/bin/chromium

echo "=== tests on SQLite"
"$VENV/bin/python" -m pytest "$@"

if [ "${SKIP_PG:-0}" != "1" ]; then
  SHARED=${SHARED_DIR:-../shared}
  echo "=== tests on PostgreSQL"
  url=$(sh "$SHARED/scripts/pg-up.sh" | tail -n 1 | sed 's/^DATABASE_URL=//')
  trap 'sh "$SHARED/scripts/pg-down.sh"' EXIT
  TEST_DATABASE_URL="$url" "$VENV/bin/python" -m pytest "$@"
fi
