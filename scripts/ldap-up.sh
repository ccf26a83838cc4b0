#!/bin/sh
# Starts a throwaway OpenLDAP directory (Debian's slapd) for the directory-login tests, as
# ../shared/scripts/pg-up.sh does for PostgreSQL: installs slapd if missing, listens on
# 127.0.0.1:$LDAP_PORT only (plain LDAP with StartTLS, certificate from a CA made here), loads
# tests/fixtures/ldap/directory.ldif and prints the settings to use as its last lines. Safe to run twice.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
LDAPROOT=${LDAPROOT:-/tmp/portal-ldap}
LDAP_PORT=${LDAP_PORT:-38989}
SUFFIX="dc=langson,dc=gov,dc=vn"
if ! command -v slapd >/dev/null 2>&1 && [ ! -x /usr/sbin/slapd ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slapd ldap-utils >/dev/null
fi
PATH="$PATH:/usr/sbin"
if [ -f "$LDAPROOT/slapd.pid" ]; then
  kill "$(cat "$LDAPROOT/slapd.pid")" 2>/dev/null || true
  sleep 0.5
fi
rm -rf "$LDAPROOT"
mkdir -p "$LDAPROOT/data" "$LDAPROOT/tls"

# A CA of the tests' own and a server certificate for 127.0.0.1 (StartTLS).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Portal test LDAP CA" \
  -keyout "$LDAPROOT/tls/ca.key" -out "$LDAPROOT/tls/ca.crt" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$LDAPROOT/tls/server.key" -out "$LDAPROOT/tls/server.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$LDAPROOT/tls/ext.cnf"
openssl x509 -req -in "$LDAPROOT/tls/server.csr" -CA "$LDAPROOT/tls/ca.crt" -CAkey "$LDAPROOT/tls/ca.key" \
  -CAcreateserial -days 2 -extfile "$LDAPROOT/tls/ext.cnf" -out "$LDAPROOT/tls/server.crt" >/dev/null 2>&1

ROOTPW=$(slappasswd -s "${LDAP_ROOT_PASSWORD:-ldap-root-pass}")
cat > "$LDAPROOT/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
moduleload ppolicy
pidfile $LDAPROOT/slapd.pid
TLSCACertificateFile $LDAPROOT/tls/ca.crt
TLSCertificateFile $LDAPROOT/tls/server.crt
TLSCertificateKeyFile $LDAPROOT/tls/server.key
database mdb
maxsize 104857600
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
rootpw $ROOTPW
directory $LDAPROOT/data
overlay memberof
overlay ppolicy
ppolicy_default "cn=default,ou=policies,$SUFFIX"
access to attrs=userPassword by self write by anonymous auth by * none
access to dn.subtree="ou=groups,$SUFFIX" by users read by dn.exact="cn=portal-svc,ou=services,$SUFFIX" read by * none
access to * by dn.exact="cn=portal-svc,ou=services,$SUFFIX" read by self read by * none
CONF
slapadd -f "$LDAPROOT/slapd.conf" -l "$here/tests/fixtures/ldap/directory.ldif" >"$LDAPROOT/slapadd.log" 2>&1 || {
  cat "$LDAPROOT/slapadd.log" >&2; exit 1; }
slapd -f "$LDAPROOT/slapd.conf" -h "ldap://127.0.0.1:$LDAP_PORT/" >"$LDAPROOT/slapd.log" 2>&1
for _ in $(seq 1 50); do
  ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT" -b "" -s base namingContexts >/dev/null 2>&1 && break
  sleep 0.1
done
echo "LDAP_CA_FILE=$LDAPROOT/tls/ca.crt"
echo "LDAP_URL=ldap://127.0.0.1:$LDAP_PORT"
