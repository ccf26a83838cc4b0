#!/bin/sh
# Stops the directory that ldap-up.sh started and removes its files.
set -eu
LDAPROOT=${LDAPROOT:-/tmp/portal-ldap}
if [ -f "$LDAPROOT/slapd.pid" ]; then
  kill "$(cat "$LDAPROOT/slapd.pid")" 2>/dev/null || true
fi
rm -rf "$LDAPROOT"
