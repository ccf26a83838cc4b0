#!/bin/sh
# Stops the Redis that redis-up.sh started and removes its files (after it has exited, so it
# writes nothing more into the folder being removed).
set -eu
REDISROOT=${REDISROOT:-/tmp/portal-redis}
if [ -f "$REDISROOT/redis.pid" ]; then
  pid=$(cat "$REDISROOT/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
fi
rm -rf "$REDISROOT" 2>/dev/null || true
