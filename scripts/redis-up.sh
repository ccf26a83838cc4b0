#!/bin/sh
# Starts a throwaway Redis (Debian's redis-server) for the job queue, as ldap-up.sh does for
# OpenLDAP: installs redis-server if missing, listens on 127.0.0.1:$REDIS_PORT only, keeps
# nothing on disk (no RDB, no AOF), and prints the URL to use as its last line. Safe to run twice.
set -eu
REDISROOT=${REDISROOT:-/tmp/portal-redis}
REDIS_PORT=${REDIS_PORT:-}
if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi
if [ -f "$REDISROOT/redis.pid" ]; then
  kill "$(cat "$REDISROOT/redis.pid")" 2>/dev/null || true
  sleep 0.3
fi
rm -rf "$REDISROOT"
mkdir -p "$REDISROOT"
if [ -z "$REDIS_PORT" ]; then  # a free loopback port
  REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$REDISROOT" --pidfile "$REDISROOT/redis.pid" --logfile "$REDISROOT/redis.log" --daemonize yes
for _ in $(seq 1 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping >/dev/null
echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
