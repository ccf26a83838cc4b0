#!/usr/bin/env bash
# Installs what the tests need (virtualenv, Python packages, Debian's chromium, LibreOffice) and runs the
# whole suite twice: on SQLite, then on a throwaway PostgreSQL from ../shared/scripts/pg-up.sh,
# with a throwaway OpenLDAP directory (scripts/ldap-up.sh) for the directory-login tests and a
# throwaway Redis (scripts/redis-up.sh) for the background-job tests.
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

# The directory-login tests run against a real OpenLDAP server (Debian's slapd) on 127.0.0.1,
# started here and stopped on exit like PostgreSQL below.
LDAP_ENV=$(sh scripts/ldap-up.sh)
export LDAP_TEST_URL=$(printf '%s\n' "$LDAP_ENV" | sed -n 's/^LDAP_URL=//p')
export LDAP_TEST_CA_FILE=$(printf '%s\n' "$LDAP_ENV" | sed -n 's/^LDAP_CA_FILE=//p')
# The job tests go through a real Redis (Debian's redis-server, no persistence, 127.0.0.1, a
# free port) and a real `flask jobs worker` that tests/jobs/conftest.py starts per test.
REDIS_ENV=$(sh scripts/redis-up.sh)
export REDIS_TEST_URL=$(printf '%s\n' "$REDIS_ENV" | sed -n 's/^REDIS_URL=//p')
cleanup() {
  sh scripts/ldap-down.sh
  sh scripts/redis-down.sh
  if [ -n "${PG_STARTED:-}" ]; then sh "$SHARED/scripts/pg-down.sh"; fi
}
trap cleanup EXIT

echo "=== tests on SQLite"
"$VENV/bin/python" -m pytest "$@"

if [ "${SKIP_PG:-0}" != "1" ]; then
  SHARED=${SHARED_DIR:-../shared}
  echo "=== tests on PostgreSQL"
  url=$(sh "$SHARED/scripts/pg-up.sh" | tail -n 1 | sed 's/^DATABASE_URL=//')
  PG_STARTED=1
  TEST_DATABASE_URL="$url" "$VENV/bin/python" -m pytest "$@"
fi
